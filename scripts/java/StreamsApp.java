// A stateless Kafka Streams exactly_once_v2 application: --input mapped value-for-value to --output under
// --application-id. Every start uses a fresh temporary state directory, deleted on exit, so Streams draws a new
// process UUID each time and its transactional ids (<application.id>-<process UUID>-<thread index>) change per
// start, as on hosts without persistent disks. Streams' EOS defaults stay: commit.interval.ms 100,
// transaction.timeout.ms 10 s.
// --leave-group-on-close true closes with LeaveGroup (KIP-812): without it Streams stays a member of the classic
// group after close, so a restart's rebalance waits for that member's session timeout (45 s) while the other
// instances commit nothing and their open transactions outlive their 10 s timeout.
// Events: state {from, to}; running {clientIds} (each stream thread's producer client id, which carries the
// process UUID) on every transition to RUNNING; error {error} (the thread is then replaced); stopped.
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

public final class StreamsApp {
  public static void main(String[] argv) throws Exception {
    ScenarioSupport.exitWithOwner();
    ScenarioSupport.Args args = new ScenarioSupport.Args(argv);
    Path stateDir = Files.createTempDirectory("eos-auditor-streams-");

    StreamsBuilder builder = new StreamsBuilder();
    builder.<String, String>stream(args.get("input")).mapValues(value -> value).to(args.get("output"));
    KafkaStreams streams = new KafkaStreams(builder.build(), ScenarioSupport.clientConfig(args,
        "application.id", args.get("application-id"),
        "processing.guarantee", "exactly_once_v2",
        "num.stream.threads", args.get("threads", "1"),
        "state.dir", stateDir.toString(),
        "default.key.serde", Serdes.StringSerde.class.getName(),
        "default.value.serde", Serdes.StringSerde.class.getName(),
        // Only silences a start-up warning: this topology has no global state.
        "processing.exception.handler.global.enabled", "true"));

    streams.setStateListener((to, from) -> {
      ScenarioSupport.emit("state", "from", from.name(), "to", to.name());
      if (to == KafkaStreams.State.RUNNING) {
        List<Object> clientIds = new ArrayList<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) clientIds.addAll(thread.producerClientIds());
        ScenarioSupport.emit("running", "clientIds", clientIds);
      }
    });
    // A resumed zombie on a TV2 broker can get INVALID_TXN_STATE on commit (its timed-out transaction was aborted with
    // an epoch bump, so its EndTxn reads as a retry), which Streams does not treat as a fence: the thread dies.
    // Replacing the thread is the documented recovery, and keeps the instance in the group.
    streams.setUncaughtExceptionHandler(error -> {
      ScenarioSupport.emit("error", "error", ScenarioSupport.describe(error));
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });

    CloseOptions.GroupMembershipOperation onClose = Boolean.parseBoolean(args.get("leave-group-on-close", "false"))
        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
        : CloseOptions.GroupMembershipOperation.DEFAULT;
    ScenarioSupport.Lifecycle lifecycle = new ScenarioSupport.Lifecycle(() -> {
      streams.close(CloseOptions.timeout(Duration.ofSeconds(15)).withGroupMembershipOperation(onClose));
      deleteTree(stateDir);
      ScenarioSupport.emit("stopped");
    });
    streams.start();
    while (lifecycle.running()) ScenarioSupport.sleep(200);
    lifecycle.finished();
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
