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
        description = {"Replays conformance cases through rmsprop4j's optimizers: files, or folders",
                "searched for files ending in .json.",
                "Prints the bound, then per case PASS or FAIL, the name, the worst error in ULP",
                "and relative terms and, for a PASS, which bound decided (bit for bit, the ULP",
                "bound, or how many values only the absolute floor accepted), then",
                "'N passed, M failed'. Exits 1 when any case fails or cannot be read.",
                "Default bound: within 1024 ulp, or within an absolute floor of 1e-06 (float32)",
                "or 1e-13 (float64). --max-ulp and --abs-floor replace it: give one or both;",
                "a bound not given is off."})
final class ConformanceCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Case files or folders of cases.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--max-ulp", paramLabel = "N",
            description = "Accept values within N units in the last place (float32 and float64 alike); no absolute floor unless --abs-floor is given.")
    Long maxUlp;

    @Option(names = "--abs-floor", paramLabel = "X",
            description = "Also accept values with |ours - reference| <= X (for values near 0, where ULPs shrink); no ULP slack unless --max-ulp is given.")
    Double absFloor;

    @Option(names = "--exact", description = "Require bit-identical results (0 ULP, no absolute floor); not with --max-ulp or --abs-floor.")
    boolean exact;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Tolerance tol = tolerance();
        for (Path p : paths) {
            if (!Files.exists(p)) throw new CliException("no such file or folder: " + p);
        }
        out.println("bound: " + tol.describe());
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

    private Tolerance tolerance() {
        if (maxUlp != null && maxUlp < 0) throw new CliException("--max-ulp must be a whole number >= 0, got " + maxUlp);
        if (absFloor != null && !(absFloor >= 0 && absFloor < Double.POSITIVE_INFINITY)) {
            throw new CliException("--abs-floor must be a finite number >= 0, got " + absFloor);
        }
        if (exact && (maxUlp != null || absFloor != null)) {
            throw new CliException("--exact means 0 ulp and no floor; it cannot be combined with "
                    + (maxUlp != null ? "--max-ulp " + maxUlp : "--abs-floor " + absFloor) + " (give one or the other)");
        }
        if (exact) return Tolerance.exact();
        if (maxUlp == null && absFloor == null) return Tolerance.standard();
        return Tolerance.ulp(maxUlp == null ? 0 : maxUlp).withFloor(absFloor == null ? 0 : absFloor);
    }
}
