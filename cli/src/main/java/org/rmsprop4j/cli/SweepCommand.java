package org.rmsprop4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.rmsprop4j.sim.Contender;
import org.rmsprop4j.sim.SpecParser;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Surfaces;
import org.rmsprop4j.sim.Sweep;
import org.rmsprop4j.viz.HtmlReport;
import org.rmsprop4j.viz.Render;
import org.rmsprop4j.viz.SweepFigure;
import org.rmsprop4j.viz.Text;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rmsprop4j sweep}: final loss over a grid of learning rate × decay, drawn as a heat map. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Draws the final loss over a grid of learning rate × decay for one optimizer on",
                "a 2-D surface. Learning rates are spaced geometrically, decays linearly;",
                "divergent runs are marked. Decay is rmsprop's decay, adam's beta2, adadelta's rho.",
                "Example: rmsprop4j sweep --surface beale --opt rmsprop --lr 1e-4:1:20",
                "           --decay 0.5:0.999:20 --out sweep.png"},
        footer = {"", "Surfaces: sigmoid-neuron, bowl, valley, rosenbrock, beale, himmelblau, booth,",
                "          saddle, rastrigin, styblinski-tang, plateau",
                "--opt (or --optimizer) is KIND[:key=value,...] as for plot",
                "(see rmsprop4j plot --help)."})
final class SweepCommand implements Callable<Integer> {

    /** Most simulated steps in one sweep (cells × steps). */
    static final long MAX_WORK = 20_000_000L;

    @Option(names = "--surface", paramLabel = "NAME", defaultValue = "beale", description = "Loss surface (default: ${DEFAULT-VALUE}).")
    String surface;

    @Option(names = "--start", paramLabel = "X,Y", description = "Start point inside the surface's domain (default: the surface's own start).")
    String start;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200", description = "Steps per run (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = {"--opt", "--optimizer"}, paramLabel = "SPEC", defaultValue = "rmsprop",
            description = "The optimizer, KIND[:key=value,...] as for plot; its lr and decay are replaced by the grid's (default: ${DEFAULT-VALUE}).")
    String opt;

    @Option(names = "--lr", paramLabel = "FROM:TO:N", defaultValue = "1e-4:1:20", description = "Learning rates > 0, geometric (default: ${DEFAULT-VALUE}).")
    String lr;

    @Option(names = "--decay", paramLabel = "FROM:TO:N", defaultValue = "0.5:0.999:20", description = "Decays, linear, in [0, 1) (default: ${DEFAULT-VALUE}).")
    String decay;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output file: .png, .svg or .html.")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT", description = "Figure title.")
    String title;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Surface s = PlotCommand.surfaceByName(surface);
        Surface.Point p = start == null ? s.start() : s.checkStart("--start", Surface.Point.parse("--start", start));
        PlotCommand.checkSteps("--steps", steps);
        String format = PlotCommand.format(out);
        if (format.equals("gif")) throw new CliException("--out must end in .png, .svg or .html for a sweep, got '" + out + "'");
        PlotCommand.checkWritable(out); // before the work, not after it
        Contender c = SpecParser.parse("--opt", opt);
        c.spec().withDecay(0.9); // refuses optimizers without a decay before any work
        double[] lrs = range("--lr", lr, true);
        double[] ds = range("--decay", decay, false);
        for (double d : ds) {
            if (!(d >= 0 && d < 1)) throw new CliException("--decay values must be in [0, 1), got " + d + " from '" + decay + "'");
        }
        long work = (long) lrs.length * ds.length * steps;
        if (work > MAX_WORK) {
            throw new CliException("--lr × --decay × --steps must be at most " + MAX_WORK + " simulated steps, got " + lrs.length + " × "
                    + ds.length + " × " + steps + " = " + work);
        }
        Progress pr = new Progress(spec.commandLine().getErr(), "sweeping");
        Sweep sw = Sweep.run(s, p, steps, c.spec(), lrs, ds, done -> pr.update(done, lrs.length));
        pr.done();
        SweepFigure f = new SweepFigure(sw, title);
        switch (format) {
            case "png": Render.writePng(f, out); break;
            case "svg": Render.writeSvg(f, out); break;
            default: {
                HtmlReport r = new HtmlReport("rmsprop4j sweep: " + c.spec().kind() + " on " + s.title());
                r.svg(f, "Final loss after " + steps + " steps for every learning rate × decay; crosses mark runs that diverged.");
                r.paragraph(Text.settings(c.spec()) + "; start " + p + "; " + steps + " steps.");
                r.write(out);
            }
        }
        int bi = 0, bj = 0, diverged = 0;
        for (int i = 0; i < lrs.length; i++) {
            for (int j = 0; j < ds.length; j++) {
                if (sw.diverged(i, j)) diverged++;
                else if (sw.diverged(bi, bj) || sw.finalLoss(i, j) < sw.finalLoss(bi, bj)) { bi = i; bj = j; }
            }
        }
        var o = spec.commandLine().getOut();
        if (!sw.diverged(bi, bj)) {
            o.printf(Locale.ROOT, "best: lr %s, decay %s, final loss %s%n", Text.num(lrs[bi]), Text.num(ds[bj]), Text.num(sw.finalLoss(bi, bj)));
        }
        o.printf(Locale.ROOT, "%d of %d runs diverged%n", diverged, lrs.length * ds.length);
        o.println("wrote " + out);
        o.flush();
        return 0;
    }

    /** Parses FROM:TO:N into N values, geometric (FROM, TO > 0) or linear. */
    static double[] range(String name, String text, boolean geometric) {
        String[] p = text == null ? new String[0] : text.split(":");
        double from, to;
        int n;
        try {
            if (p.length != 3) throw new NumberFormatException();
            from = Double.parseDouble(p[0].trim());
            to = Double.parseDouble(p[1].trim());
            n = Integer.parseInt(p[2].trim());
        } catch (NumberFormatException e) {
            throw new CliException(name + " must be FROM:TO:N (e.g. " + (geometric ? "1e-4:1:20" : "0.5:0.999:20") + "), got '" + text + "'");
        }
        if (n < 1 || n > Sweep.MAX_GRID) throw new CliException(name + " grid size N must be in [1, " + Sweep.MAX_GRID + "], got " + n);
        if (!Double.isFinite(from) || !Double.isFinite(to)) throw new CliException(name + " FROM and TO must be finite, got '" + text + "'");
        if (geometric && !(from > 0 && to > 0)) throw new CliException(name + " FROM and TO must be > 0 (geometric spacing), got '" + text + "'");
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double t = n == 1 ? 0 : i / (n - 1.0);
            v[i] = geometric ? from * Math.pow(to / from, t) : from + (to - from) * t;
        }
        return v;
    }
}
