// A plain consumer group member: subscribes to --topic in --group (--config group.protocol=consumer for KIP-848,
// --config isolation.level=read_committed ...), commits its position synchronously whenever it moved (also past
// records it never receives: aborted data and transaction markers, as auto-commit would), and spends --process-ms
// per record (a slow consumer with growing lag).
// Events: assigned {partitions}, consumed {n} (total records so far, after each commit), stopped {n}.
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

public final class GroupConsumer {
  public static void main(String[] argv) throws Exception {
    ScenarioSupport.exitWithOwner();
    ScenarioSupport.Args args = new ScenarioSupport.Args(argv);
    long processMs = args.getLong("process-ms", 0);
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(ScenarioSupport.clientConfig(args,
        "group.id", args.get("group"),
        "enable.auto.commit", "false",
        "auto.offset.reset", "earliest",
        "max.poll.records", args.get("max-poll-records", "100"),
        "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName()));

    ScenarioSupport.Lifecycle lifecycle = new ScenarioSupport.Lifecycle(consumer::wakeup);

    long consumed = 0;
    Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
    try {
      consumer.subscribe(List.of(args.get("topic")), ScenarioSupport.reportAssignments());
      while (lifecycle.running()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, String> record : records) {
          if (processMs > 0) ScenarioSupport.sleep(processMs);
        }
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        if (positions.equals(committed)) continue;
        consumer.commitSync(positions);
        committed = positions;
        consumed += records.count();
        ScenarioSupport.emit("consumed", "n", consumed);
      }
    } catch (WakeupException stopping) {
      // stop() woke the consumer out of poll(): an ordinary shutdown.
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      ScenarioSupport.emit("stopped", "n", consumed);
      lifecycle.finished();
    }
  }
}
