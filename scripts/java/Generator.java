// Input for the pipelines: an idempotent producer writing records whose value is a sequence number 0, 1, 2, ...
// (key "customer-<seq % 50>"), --batch records every --interval-ms, until --count records (0 = no limit).
// Events: sent {n} after each acknowledged batch (n = records acknowledged so far), done {n}, stopped {n}.
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

public final class Generator {
  public static void main(String[] argv) throws Exception {
    ScenarioSupport.exitWithOwner();
    ScenarioSupport.Args args = new ScenarioSupport.Args(argv);
    String topic = args.get("topic");
    long batch = args.getLong("batch", 10);
    long intervalMs = args.getLong("interval-ms", 200);
    long count = args.getLong("count", 0);

    ScenarioSupport.Lifecycle lifecycle = new ScenarioSupport.Lifecycle(() -> {});

    long sent = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(ScenarioSupport.clientConfig(args,
        "enable.idempotence", "true",
        "acks", "all",
        "linger.ms", "5",
        "key.serializer", StringSerializer.class.getName(),
        "value.serializer", StringSerializer.class.getName()))) {
      while (lifecycle.running() && (count == 0 || sent < count)) {
        long n = count == 0 ? batch : Math.min(batch, count - sent);
        for (long i = 0; i < n; i++) {
          long seq = sent + i;
          producer.send(new ProducerRecord<>(topic, "customer-" + (seq % 50), Long.toString(seq)));
        }
        // flush() waits for every acknowledgement; a failed send surfaces in the next send or close.
        producer.flush();
        sent += n;
        ScenarioSupport.emit("sent", "n", sent);
        ScenarioSupport.sleep(intervalMs);
      }
      if (count > 0 && sent >= count) ScenarioSupport.emit("done", "n", sent);
      producer.close(Duration.ofSeconds(10));
      ScenarioSupport.emit("stopped", "n", sent);
    } finally {
      lifecycle.finished();
    }
  }
}
