import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs JUnit test classes (or {@code Class#method}) in the order given, in one JVM, as surefire does, and prints one line
 * per failed test with its message, then "RESULT pass" or "RESULT fail N". Used to reproduce compile-order effects
 * (issue 15: the dynamic map's Adam step boxing at 512 bits). See tools/vector-boxing/README.md.
 */
public final class Repro {
    public static void main(String[] args) {
        var launcher = LauncherFactory.create();
        int[] failed = {0};
        TestExecutionListener l = new TestExecutionListener() {
            @Override public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL && id.isTest()) {
                    failed[0]++;
                    System.out.println("FAILED " + id.getUniqueId() + ": "
                            + r.getThrowable().map(t -> t.getMessage().replace('\n', ' ')).orElse("?"));
                }
            }
        };
        for (String a : args) {       // one request per class, in order (surefire's order is the -Dtest scan order)
            System.out.println("CLASS " + a + " at " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
            List<DiscoverySelector> sel = new ArrayList<>();
            sel.add(a.contains("#") ? DiscoverySelectors.selectMethod(a) : DiscoverySelectors.selectClass(a));
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(sel).build(), l);
        }
        System.out.println(failed[0] == 0 ? "RESULT pass" : "RESULT fail " + failed[0]);
    }
}
