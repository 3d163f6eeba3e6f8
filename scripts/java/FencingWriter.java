// One instance of a transactional writer: commits a small transaction every --commit-interval-ms under
// --transactional-id. Run two with the same id and they fence each other: whichever is fenced logs
// {"event":"fenced"}, waits --reinit-delay-ms, and calls initTransactions() again, which fences the other one.
// Events: ready {instance, inits}, commit {n}, fenced {n, error}, failed {error} (any other client failure, also
// followed by a re-init), stopped.
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

public final class FencingWriter {
  public static void main(String[] argv) throws Exception {
    ScenarioSupport.exitWithOwner();
    ScenarioSupport.Args args = new ScenarioSupport.Args(argv);
    String topic = args.get("topic");
    String transactionalId = args.get("transactional-id");
    String instance = args.get("instance", "1");
    long commitIntervalMs = args.getLong("commit-interval-ms", 200);
    long reinitDelayMs = args.getLong("reinit-delay-ms", 4000);

    ScenarioSupport.Lifecycle lifecycle = new ScenarioSupport.Lifecycle(() -> {});

    long commits = 0;
    long fences = 0;
    int inits = 0;
    try {
      while (lifecycle.running()) {
        KafkaProducer<String, String> producer = new KafkaProducer<>(ScenarioSupport.clientConfig(args,
            "transactional.id", transactionalId,
            "client.id", transactionalId + "-instance-" + instance,
            "key.serializer", StringSerializer.class.getName(),
            "value.serializer", StringSerializer.class.getName()));
        try {
          producer.initTransactions();
          inits += 1;
          ScenarioSupport.emit("ready", "instance", instance, "inits", inits);
          while (lifecycle.running()) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, instance, "instance-" + instance + "-commit-" + (commits + 1)));
            producer.commitTransaction();
            commits += 1;
            ScenarioSupport.emit("commit", "n", commits);
            ScenarioSupport.sleep(commitIntervalMs);
          }
        } catch (KafkaException error) {
          Throwable fence = ScenarioSupport.fencingCause(error);
          if (fence != null) {
            fences += 1;
            ScenarioSupport.emit("fenced", "n", fences, "error", fence.getClass().getSimpleName());
          } else {
            // A crash-looping deployment restarts on any client failure. Kafka 3.9's coordinator answers an EndTxn that
            // races the other instance's fence with UNKNOWN_SERVER_ERROR ("transition to PrepareCommit while it already
            // a pending state PrepareEpochFence"): without the restart one instance of the fight would be gone.
            ScenarioSupport.emit("failed", "error", ScenarioSupport.describe(error));
          }
        } finally {
          producer.close(Duration.ZERO);
        }
        // A restarted deployment takes a moment before its new instance comes up.
        for (long waited = 0; lifecycle.running() && waited < reinitDelayMs; waited += 100) ScenarioSupport.sleep(100);
      }
      ScenarioSupport.emit("stopped", "commits", commits, "fences", fences);
    } finally {
      lifecycle.finished();
    }
  }
}
