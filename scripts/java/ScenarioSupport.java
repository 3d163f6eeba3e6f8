// Shared plumbing for the scenario programs in this directory: "--key value" arguments, one JSON line per event
// on stdout (the TypeScript harness waits on these), fencing-error classification, and dying with the owner.
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;

final class ScenarioSupport {
  private ScenarioSupport() {}

  /** "--key value" pairs; "--config k=v" may repeat and is passed to every Kafka client the program creates. */
  static final class Args {
    private final Map<String, String> values = new HashMap<>();
    final Properties config = new Properties();

    Args(String[] argv) {
      for (int i = 0; i < argv.length; i += 2) {
        if (!argv[i].startsWith("--") || i + 1 >= argv.length) throw new IllegalArgumentException("expected --key value at " + argv[i]);
        String key = argv[i].substring(2);
        if (key.equals("config")) {
          int eq = argv[i + 1].indexOf('=');
          if (eq < 1) throw new IllegalArgumentException("--config needs key=value, got " + argv[i + 1]);
          config.setProperty(argv[i + 1].substring(0, eq), argv[i + 1].substring(eq + 1));
        } else {
          values.put(key, argv[i + 1]);
        }
      }
    }

    String get(String key) {
      String value = values.get(key);
      if (value == null) throw new IllegalArgumentException("missing --" + key);
      return value;
    }

    String get(String key, String fallback) {
      return values.getOrDefault(key, fallback);
    }

    long getLong(String key, long fallback) {
      return values.containsKey(key) ? Long.parseLong(values.get(key)) : fallback;
    }
  }

  /** Client properties: the program's own settings first, then the --config overrides. */
  static Properties clientConfig(Args args, Object... keyValues) {
    Properties props = new Properties();
    props.put("bootstrap.servers", args.get("bootstrap"));
    for (int i = 0; i < keyValues.length; i += 2) props.put(keyValues[i], String.valueOf(keyValues[i + 1]));
    props.putAll(args.config);
    return props;
  }

  /** Prints {"event":name, k1:v1, ...} as one line; numbers and booleans raw, lists as arrays, the rest as strings. */
  static synchronized void emit(String event, Object... keyValues) {
    StringBuilder line = new StringBuilder("{\"event\":").append(json(event));
    for (int i = 0; i < keyValues.length; i += 2) line.append(',').append(json(String.valueOf(keyValues[i]))).append(':').append(json(keyValues[i + 1]));
    System.out.println(line.append('}'));
    System.out.flush();
  }

  private static String json(Object value) {
    if (value instanceof Number || value instanceof Boolean) return String.valueOf(value);
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      for (Object item : list) items.add(json(item));
      return "[" + String.join(",", items) + "]";
    }
    StringBuilder out = new StringBuilder("\"");
    for (char c : String.valueOf(value).toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  /**
   * The fencing error somewhere in an exception's cause chain, or null if it is not a fence. On a TV2 broker (4.4.0)
   * an instance fenced mid-transaction often gets INVALID_TXN_STATE on commit instead: the other instance's
   * InitProducerId aborted its transaction with an epoch bump, so its EndTxn (epoch one below the current) reads to
   * the coordinator as a retried end of that aborted transaction, with the wrong result.
   */
  static Throwable fencingCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException || t instanceof InvalidTxnStateException) return t;
    }
    return null;
  }

  static String describe(Throwable error) {
    return error.getClass().getSimpleName() + ": " + error.getMessage();
  }

  /**
   * With SCENARIO_OWNER_STDIN=1 the harness holds this process's stdin open; end of stdin means the owner is gone
   * (even by SIGKILL), so the JVM halts instead of living on as an orphan.
   */
  static void exitWithOwner() {
    if (!"1".equals(System.getenv("SCENARIO_OWNER_STDIN"))) return;
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // the owner writes nothing; reading only waits for end of stream
        }
      } catch (IOException ignored) {
        // a broken pipe means the same as end of stream
      }
      Runtime.getRuntime().halt(2);
    }, "owner-stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /**
   * SIGTERM handling: the shutdown hook clears running(), calls `wake` (e.g. consumer.wakeup()), and holds the JVM
   * until the main loop has closed its clients and called finished().
   */
  static final class Lifecycle {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch finished = new CountDownLatch(1);

    Lifecycle(Runnable wake) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        running.set(false);
        wake.run();
        try {
          finished.await();
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }));
    }

    boolean running() {
      return running.get();
    }

    void finished() {
      finished.countDown();
    }
  }

  /** Emits {"event":"assigned","partitions":[...]} on every assignment. */
  static ConsumerRebalanceListener reportAssignments() {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        List<Object> names = new ArrayList<>();
        for (TopicPartition tp : partitions) names.add(tp.toString());
        emit("assigned", "partitions", names);
      }
    };
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
