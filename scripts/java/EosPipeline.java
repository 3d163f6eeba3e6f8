// A consume-transform-produce pipeline on the official Java client: a read_committed consumer of --input (group
// --group, --config group.protocol=consumer for KIP-848), and a producer with --transactional-id that writes each
// polled batch to --output and commits the batch's input offsets in the same transaction through
// sendOffsetsToTransaction(offsets, consumer.groupMetadata()) (KIP-447: fenced by the group generation too).
// --process-ms slows each record down (a pipeline falling behind). Output values equal input values, so a sink
// count shows duplicates and gaps.
// It rides out a cluster outage the way the KafkaProducer documentation says an application should: a commit
// that timed out is retried; any other error aborts the transaction (a fenced or otherwise failed producer is
// replaced: close, new producer, initTransactions) and the consumer rewinds to its committed offsets, so nothing
// is lost or written twice.
// Events: ready (after initTransactions), assigned {partitions}, commit {n, records}, recovered {error}, stopped {n}.
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
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
    Supplier<KafkaProducer<String, String>> newProducer = () -> new KafkaProducer<>(ScenarioSupport.clientConfig(args,
        "transactional.id", args.get("transactional-id"),
        "key.serializer", StringSerializer.class.getName(),
        "value.serializer", StringSerializer.class.getName()));

    ScenarioSupport.Lifecycle lifecycle = new ScenarioSupport.Lifecycle(consumer::wakeup);

    KafkaProducer<String, String> producer = newProducer.get();
    long commits = 0;
    try {
      untilDone(lifecycle, producer::initTransactions);
      ScenarioSupport.emit("ready");
      consumer.subscribe(List.of(input), ScenarioSupport.reportAssignments());
      while (lifecycle.running()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) continue;
        try {
          producer.beginTransaction();
          Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
          for (ConsumerRecord<String, String> record : records) {
            if (processMs > 0) ScenarioSupport.sleep(processMs);
            producer.send(new ProducerRecord<>(output, record.key(), record.value()));
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
          }
          producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
          untilDone(lifecycle, producer::commitTransaction);
          commits += 1;
          ScenarioSupport.emit("commit", "n", commits, "records", records.count());
        } catch (WakeupException | InterruptException stopping) {
          throw stopping;
        } catch (KafkaException error) {
          producer = abortOrReplace(lifecycle, producer, newProducer);
          rewind(lifecycle, consumer);
          ScenarioSupport.emit("recovered", "error", ScenarioSupport.describe(error));
        }
      }
    } catch (WakeupException stopping) {
      // stop() woke the consumer out of poll(): an ordinary shutdown.
    } finally {
      producer.close(Duration.ofSeconds(5));
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      ScenarioSupport.emit("stopped", "n", commits);
      lifecycle.finished();
    }
  }

  /** Runs a producer call again while it times out (the cluster is unreachable); the call is safe to retry. */
  private static void untilDone(ScenarioSupport.Lifecycle lifecycle, Runnable call) {
    while (true) {
      try {
        call.run();
        return;
      } catch (TimeoutException unreachable) {
        if (!lifecycle.running()) throw new WakeupException();
      }
    }
  }

  /** Aborts the open transaction; a producer that cannot abort (fenced, fatal) is replaced by a new one. */
  private static KafkaProducer<String, String> abortOrReplace(
      ScenarioSupport.Lifecycle lifecycle, KafkaProducer<String, String> producer, Supplier<KafkaProducer<String, String>> newProducer) {
    try {
      untilDone(lifecycle, producer::abortTransaction);
      return producer;
    } catch (WakeupException | InterruptException stopping) {
      throw stopping;
    } catch (KafkaException fatal) {
      producer.close(Duration.ZERO);
      KafkaProducer<String, String> replacement = newProducer.get();
      untilDone(lifecycle, replacement::initTransactions);
      return replacement;
    }
  }

  /** Back to the committed offsets: the aborted batch is read and written again, in a new transaction. */
  private static void rewind(ScenarioSupport.Lifecycle lifecycle, KafkaConsumer<String, String> consumer) {
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    untilDone(lifecycle, () -> committed.putAll(consumer.committed(assigned)));
    for (TopicPartition partition : assigned) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset == null) consumer.seekToBeginning(List.of(partition));
      else consumer.seek(partition, offset);
    }
  }
}
