// Runs an official Kafka tool's main class many times inside one warm JVM: what 500 `kafka-transactions.sh describe`
// calls cost without 500 JVM start-ups. Each invocation still creates and closes its own Admin client, as the script does.
// usage: java -cp '<kafka libs>/*:<this class>' WarmCli <main class> <file: one invocation per line, arguments tab-separated>
// Prints the tools' own output on stdout and "WARM-CLI-MS <ms>" per invocation on stderr.
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.kafka.common.utils.internals.Exit;

public class WarmCli {
    static final class ToolExit extends RuntimeException {
        final int code;

        ToolExit(int code, String message) {
            super("tool exited with " + code + ": " + message);
            this.code = code;
        }
    }

    public static void main(String[] args) throws Exception {
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        // The tools end with Exit.exit(code): unwind to the loop instead of ending the JVM, and fail on a non-zero code.
        Exit.setExitProcedure((code, message) -> {
            throw new ToolExit(code, message);
        });
        for (String line : Files.readAllLines(Paths.get(args[1]))) {
            long start = System.nanoTime();
            try {
                main.invoke(null, (Object) line.split("\t"));
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof ToolExit exit) || exit.code != 0) throw e;
            }
            System.out.flush();
            System.err.println("WARM-CLI-MS " + (System.nanoTime() - start) / 1e6);
        }
    }
}
