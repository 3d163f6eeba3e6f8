// Leaves a transaction open: commits --committed-before records in one transaction, then begins another, writes
// --records-in-transaction records to partition 0 of --topic, reports where it starts, and idles with it open.
// The harness SIGKILLs it to leave the transaction to the coordinator's timeout (--config transaction.timeout.ms).
// Events: open {topic, partition, offset} (offset = the open transaction's first record: the partition's LSO).
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

public final class OpenTransaction {
  public static void main(String[] argv) throws Exception {
    ScenarioSupport.exitWithOwner();
    ScenarioSupport.Args args = new ScenarioSupport.Args(argv);
    String topic = args.get("topic");
    long before = args.getLong("committed-before", 5);
    long inTransaction = args.getLong("records-in-transaction", 3);

    KafkaProducer<String, String> producer = new KafkaProducer<>(ScenarioSupport.clientConfig(args,
        "transactional.id", args.get("transactional-id"),
        "key.serializer", StringSerializer.class.getName(),
        "value.serializer", StringSerializer.class.getName()));
    producer.initTransactions();
    if (before > 0) {
      producer.beginTransaction();
      for (long i = 0; i < before; i++) producer.send(new ProducerRecord<>(topic, 0, "k", Long.toString(i)));
      producer.commitTransaction();
    }
    producer.beginTransaction();
    RecordMetadata first = null;
    for (long i = 0; i < inTransaction; i++) {
      RecordMetadata written = producer.send(new ProducerRecord<>(topic, 0, "k", "open-" + i)).get();
      if (first == null) first = written;
    }
    ScenarioSupport.emit("open", "topic", topic, "partition", first.partition(), "offset", first.offset());
    // Idle with the transaction open until killed; SIGTERM ends the JVM without committing either.
    for (;;) ScenarioSupport.sleep(60_000);
  }
}
