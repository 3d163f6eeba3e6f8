// A consume-transform-produce pipeline on the official Java client: a read_committed consumer of --input (group
// --group, --config group.protocol=consumer for KIP-848), and a producer with --transactional-id that writes each
// polled batch to --output and commits the batch's input offsets in the same transaction through
// sendOffsetsToTransaction(offsets, consumer.groupMetadata()) (KIP-447: fenced by the group generation too).
// --process-ms slows each record down (a pipeline falling behind). Output values equal input values, so a sink
// count shows duplicates and gaps.
// Events: ready (after initTransactions), assigned {partitions}, commit {n, records}, fenced {error}, stopped {n}.
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public final class EosPipeline {
  public static void main(String[] argv) throws Exception {
    ScenarioSupport.exitWithOwner();
    ScenarioSupport.Args args = new ScenarioSupport.Args(argv);
    String input = args.get("input");
    String output = args.get("output");
    long processMs = args.getLong("process-ms", 0);

    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(ScenarioSupport.clientConfig(args,
        "group.id", args.get("group"),
        "isolation.level", "read_committed",
        "enable.auto.commit", "false",
        "auto.offset.reset", "earliest",
        "max.poll.records", args.get("max-poll-records", "100"),
        "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName()));
    KafkaProducer<String, String> producer = new KafkaProducer<>(ScenarioSupport.clientConfig(args,
        "transactional.id", args.get("transactional-id"),
        "key.serializer", StringSerializer.class.getName(),
        "value.serializer", StringSerializer.class.getName()));

    ScenarioSupport.Lifecycle lifecycle = new ScenarioSupport.Lifecycle(consumer::wakeup);

    long commits = 0;
    try {
      producer.initTransactions();
      ScenarioSupport.emit("ready");
      consumer.subscribe(List.of(input), ScenarioSupport.reportAssignments());
      while (lifecycle.running()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) continue;
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
          if (processMs > 0) ScenarioSupport.sleep(processMs);
          producer.send(new ProducerRecord<>(output, record.key(), record.value()));
          offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        commits += 1;
        ScenarioSupport.emit("commit", "n", commits, "records", records.count());
      }
    } catch (WakeupException stopping) {
      // stop() woke the consumer out of poll(): an ordinary shutdown.
    } catch (RuntimeException error) {
      Throwable fence = ScenarioSupport.fencingCause(error);
      if (fence == null) throw error;
      ScenarioSupport.emit("fenced", "error", fence.getClass().getSimpleName());
    } finally {
      producer.close(Duration.ofSeconds(5));
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      ScenarioSupport.emit("stopped", "n", commits);
      lifecycle.finished();
    }
  }
}
