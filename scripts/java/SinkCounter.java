// Counts what a read_committed reader sees in --topic from the beginning up to the current end (the LSO of each
// partition), reading values as sequence numbers: records, distinct values, duplicates, and how many of 0..expected-1
// are missing. Prints one event and exits: count {records, distinct, duplicates, missing, maxValue}.
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

public final class SinkCounter {
  public static void main(String[] argv) {
    ScenarioSupport.Args args = new ScenarioSupport.Args(argv);
    String topic = args.get("topic");
    long expected = args.getLong("expected", 0);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(ScenarioSupport.clientConfig(args,
        "isolation.level", "read_committed",
        "enable.auto.commit", "false",
        "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName()))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long records = 0;
      long maxValue = -1;
      Set<Long> seen = new HashSet<>();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          long value = Long.parseLong(record.value());
          records += 1;
          seen.add(value);
          maxValue = Math.max(maxValue, value);
        }
      }
      long missing = 0;
      for (long v = 0; v < expected; v++) if (!seen.contains(v)) missing += 1;
      ScenarioSupport.emit("count", "records", records, "distinct", seen.size(), "duplicates", records - seen.size(),
          "missing", missing, "maxValue", maxValue);
    }
  }
}
