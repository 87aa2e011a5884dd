package org.rmsprop4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.rmsprop4j.testkit.CaseLoader;
import org.rmsprop4j.testkit.CaseResult;
import org.rmsprop4j.testkit.CaseRunner;
import org.rmsprop4j.testkit.Tolerance;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rmsprop4j conformance PATH...}: replays recorded cases through our optimizers. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Replays conformance cases (files, or folders searched for *.json) through rmsprop4j's optimizers.",
                "Prints PASS or FAIL, the case name, the worst error in ULP and relative terms, then 'N passed, M failed'.",
                "Exits 1 when any case fails or cannot be read."})
final class ConformanceCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Case files or folders of cases.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--max-ulp", paramLabel = "N",
            description = "Largest accepted distance in units in the last place, for float32 and float64 alike "
                    + "(default: the standard bound, 1024 ULP or an absolute 1e-6 / 1e-13 near zero).")
    Long maxUlp;

    @Option(names = "--exact", description = "Require bit-identical results (0 ULP, no absolute slack).")
    boolean exact;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        for (Path p : paths) {
            if (!Files.exists(p)) throw new CliException("no such file or folder: " + p);
        }
        Tolerance std = Tolerance.standard();
        if (maxUlp != null && maxUlp < 0) throw new CliException("--max-ulp must be >= 0, got " + maxUlp);
        Tolerance tol = exact ? Tolerance.exact()
                : maxUlp == null ? std : new Tolerance(maxUlp, maxUlp, std.atolFloat32(), std.atolFloat64());
        CaseRunner runner = new CaseRunner(tol);
        List<Path> files = CaseLoader.findCaseFiles(paths);
        int passed = 0, failed = 0;
        for (Path f : files) {
            CaseResult r = runner.run(f);
            out.println(r.line());
            if (r.passed()) passed++;
            else failed++;
        }
        if (files.isEmpty()) out.println("no *.json case files under " + paths);
        out.println(passed + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 && !files.isEmpty() ? 0 : 1;
    }
}
