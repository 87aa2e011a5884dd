package org.rmsprop4j.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.rmsprop4j.train.seed.RealDataDemo;
import org.rmsprop4j.train.seed.SeedComparison;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rmsprop4j demo}: the seed article's comparison on its own problem, then RMSprop on real data.
 *
 * <p>Structure: {@link #call()} computes a {@link Report} (pure computation lives in the train module:
 * {@link SeedComparison}, {@link RealDataDemo}), then renders it as a table or as JSON. Figures
 * (a later {@code --out DIR}) belong in one more renderer of the same {@link Report}: every run's
 * full trajectory (loss, w, b per epoch) is in {@link SeedComparison.Run}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The seed article's comparison on its own problem, then RMSprop on real data.",
                "One sigmoid neuron (X=[0.5, 2.5], Y=[0.2, 0.9], start w=b=-2, float64),",
                "full batch, 1000 epochs each of: gradient descent, momentum, Nesterov,",
                "AdaGrad, RMSprop (article, PyTorch) and Adam, against the exact optimum;",
                "then RMSprop on the shipped digits data set."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON document instead of the table.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the article's figures and the HTML report (default: ${DEFAULT-VALUE}).",
            defaultValue = "rmsprop4j-out")
    java.nio.file.Path outDir;

    @Option(names = "--no-figures", description = "Skip the figures (only the table and the real-data result).")
    boolean noFigures;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the real-data part (default: cores, at most 8). Does not change results.")
    Integer threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Everything the demo computed; the input of every renderer (table, JSON, and later figures). */
    record Report(SeedComparison.Result seed, RealDataDemo.Result realData, java.util.List<java.nio.file.Path> figures) {}

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int th = threads == null ? Math.min(8, Runtime.getRuntime().availableProcessors()) : threads;
        if (th < 1 || th > 256) throw new CliException("--threads must be in 1..256, got " + th);
        if (!noFigures) checkOutFolder(outDir); // before the work, not after it
        SeedComparison.Result seed = SeedComparison.compute();
        if (!json) {
            printTable(out, seed);
            out.println();
            out.print("Real data: training RMSprop on digits ... ");
            out.flush();
        }
        RealDataDemo.Result realData = RealDataDemo.run(th);
        if (!json) printRealData(out, realData);
        java.util.List<java.nio.file.Path> figures = java.util.List.of();
        if (!noFigures) {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter say = json ? err : out;
            say.println();
            say.println("Writing the article's figures to " + outDir.toAbsolutePath().normalize() + " ...");
            say.flush();
            figures = org.rmsprop4j.viz.ArticleFigures.writeAll(outDir, line -> {
                err.println("  " + line);
                err.flush();
            });
            if (!json) {
                for (java.nio.file.Path f : figures) out.println("  wrote " + f);
                out.println("Open " + figures.get(figures.size() - 1).toAbsolutePath().normalize() + " in a browser for all of them.");
            }
        }
        Report report = new Report(seed, realData, figures);
        if (json) printJson(out, report);
        out.flush();
        return 0;
    }

    /** Creates {@code dir} when needed and checks that a file can be written in it. */
    static void checkOutFolder(java.nio.file.Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path probe = java.nio.file.Files.createTempFile(dir, ".probe-", ".tmp");
            java.nio.file.Files.delete(probe);
        } catch (java.io.IOException e) {
            throw new CliException("--out " + dir + ": cannot write figures there: " + org.rmsprop4j.internal.IoErrors.reason(e));
        }
    }

    /**
     * What the table shows about RMSprop at a fixed learning rate, from the numbers themselves: the
     * lowest loss each RMSprop run reaches and when, and the two losses it then alternates between.
     */
    static java.util.List<String> rmspropSummary(SeedComparison.Result r) {
        SeedComparison.Run a = r.run("rmsprop-seed"), b = r.run("rmsprop-pytorch");
        int ea = argmin(a.loss()), eb = argmin(b.loss());
        int n = b.loss().length - 1;
        return java.util.List.of(
                String.format(Locale.ROOT, "At a fixed learning rate both RMSprop runs dive to a loss of %.0e (article, epoch %d) and %.0e (PyTorch, epoch %d),",
                        a.loss()[ea], ea, b.loss()[eb], eb),
                String.format(Locale.ROOT, "then settle into a period-2 oscillation (PyTorch's last losses %.2e / %.2e): dividing by the root mean square",
                        b.loss()[n - 1], b.loss()[n]),
                "keeps the step size from shrinking with the gradient. Lower the learning rate, or use a schedule, to converge.");
    }

    private static int argmin(double[] v) {
        int at = 0;
        for (int i = 1; i < v.length; i++) if (v[i] < v[at]) at = i;
        return at;
    }

    static void printTable(PrintWriter out, SeedComparison.Result r) {
        out.println("The seed article's problem: one sigmoid neuron f(x) = 1/(1+exp(-(w*x+b))), loss sum 0.5*(f(x)-y)^2,");
        out.println("X = [0.5, 2.5], Y = [0.2, 0.9], start w = b = -2, full batch, float64, 1000 epochs (one update each).");
        out.println("loss@k is the loss after k updates; w and b are the final parameters.");
        out.println();
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-16s %-34s", "run", "settings"));
        for (int k : SeedComparison.REPORTED_EPOCHS) h.append(String.format(Locale.ROOT, " %10s", "loss@" + k));
        h.append(String.format(Locale.ROOT, "  %13s %13s", "w", "b"));
        out.println(h);
        out.println("-".repeat(h.length()));
        for (SeedComparison.Run run : r.runs()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %-34s", run.name(), settingsText(run.name())));
            for (int k : SeedComparison.REPORTED_EPOCHS) sb.append(String.format(Locale.ROOT, " %10.3e", run.lossAfter(k)));
            sb.append(String.format(Locale.ROOT, "  %13.9f %13.9f", run.finalW(), run.finalB()));
            out.println(sb);
        }
        out.println("-".repeat(h.length()));
        out.printf(Locale.ROOT, "%-16s %-" + (34 + 11 * SeedComparison.REPORTED_EPOCHS.size()) + "s  %13.9f %13.9f%n", "exact optimum",
                "w* = ln 6, b* = logit(0.2) - w*/2", r.optimumW(), r.optimumB());
        out.println();
        for (String line : rmspropSummary(r)) out.println(line);
    }

    static String settingsText(String run) {
        switch (run) {
            case "gd": return "lr 1.0";
            case "momentum": return "lr 1.0, momentum 0.9";
            case "nesterov": return "lr 1.0, momentum 0.9, Nesterov";
            case "adagrad": return "lr 0.1, eps 1e-8";
            case "rmsprop-seed": return "lr 0.1, beta 0.9, eps 1e-9 in sqrt";
            case "rmsprop-pytorch": return "lr 0.1, alpha 0.9, eps 1e-8 out";
            case "adam": return "lr 0.1, betas 0.9/0.999";
            default: return "";
        }
    }

    static void printRealData(PrintWriter out, RealDataDemo.Result d) {
        out.printf(Locale.ROOT, "done in %.1f s%n", d.seconds());
        out.printf(Locale.ROOT, "  %s (%d train / %d test rows, standardised), model %s, RMSprop (PyTorch, lr %s), batch %d, %d epochs:%n",
                d.dataset(), d.trainRows(), d.testRows(), d.model(), d.spec().learningRate(), d.batchSize(), d.epochs());
        out.printf(Locale.ROOT, "  test accuracy %.4f, test loss %s%n", d.testAccuracy(), Fmt.loss(d.testLoss()));
    }

    static void printJson(PrintWriter out, Report report) throws Exception {
        Map<String, Object> runs = new LinkedHashMap<>();
        for (SeedComparison.Run run : report.seed().runs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> settings = new LinkedHashMap<>();
            run.settings().forEach((k, v) -> settings.put(k, v instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : v));
            m.put("settings", settings);
            Map<String, Object> loss = new LinkedHashMap<>();
            loss.put("0", run.lossAfter(0));
            for (int k : SeedComparison.REPORTED_EPOCHS) loss.put(Integer.toString(k), run.lossAfter(k));
            m.put("loss_after_epoch", loss);
            m.put("w", run.finalW());
            m.put("b", run.finalB());
            runs.put(run.name(), m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("X", new double[] {0.5, 2.5});
        problem.put("Y", new double[] {0.2, 0.9});
        problem.put("start", Map.of("w", SeedComparison.START_W, "b", SeedComparison.START_B));
        problem.put("epochs", SeedComparison.EPOCHS);
        problem.put("dtype", "float64");
        doc.put("problem", problem);
        doc.put("runs", runs);
        Map<String, Object> optimum = new LinkedHashMap<>();
        optimum.put("w", report.seed().optimumW());
        optimum.put("b", report.seed().optimumB());
        doc.put("optimum", optimum);
        RealDataDemo.Result d = report.realData();
        Map<String, Object> rd = new LinkedHashMap<>();
        rd.put("dataset", d.dataset());
        rd.put("model", d.model());
        rd.put("optimizer", "rmsprop (pytorch preset, lr " + d.spec().learningRate() + ")");
        rd.put("epochs", d.epochs());
        rd.put("batch_size", d.batchSize());
        rd.put("train_rows", d.trainRows());
        rd.put("test_rows", d.testRows());
        rd.put("test_accuracy", d.testAccuracy());
        rd.put("test_loss", d.testLoss());
        doc.put("real_data", rd);
        doc.put("figures", report.figures().stream().map(f -> f.toAbsolutePath().normalize().toString()).toList());
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    }
}
