package org.rmsprop4j.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.rmsprop4j.sim.Contender;
import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Simulator;
import org.rmsprop4j.sim.SpecParser;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Surfaces;
import org.rmsprop4j.sim.Trajectory;
import org.rmsprop4j.viz.AnimatedGif;
import org.rmsprop4j.viz.Charts;
import org.rmsprop4j.viz.HtmlReport;
import org.rmsprop4j.viz.RaceFigure;
import org.rmsprop4j.viz.Render;
import org.rmsprop4j.viz.Text;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rmsprop4j plot}: a race of optimizers on a loss surface, to PNG, SVG, animated GIF or HTML. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Races optimizers on a 2-D loss surface and draws the race as PNG, SVG, animated",
                "GIF or HTML. The figure shows the surface with every path, a legend with the",
                "settings, and the loss curves (or, with --panel squares, the accumulated squared",
                "gradients). The format follows the extension of --out: .png, .svg, .gif",
                "(animated, loops) or .html (a self-contained report).",
                "Example: rmsprop4j plot --surface rosenbrock --start -1.5,2 --steps 300",
                "           --opt rmsprop:preset=keras,lr=0.01 --opt adam:lr=0.05 --out race.gif"},
        footer = {"", "--opt (or --optimizer) is KIND[:key=value,...]; kinds and keys:",
                "  rmsprop: label, preset, lr, decay, eps, eps_placement (inside|outside), init,",
                "           centered, momentum, momentum_style (lr_inside|lr_outside),",
                "           nesterov, weight_decay, weight_decay_style (l2|decoupled),",
                "           bias_correction, lr_decay, maximize;",
                "           presets: pytorch, keras, tf1, optax, dl4j, mxnet, tribuo, caffe,",
                "           lasagne, hinton, graves, dqn, seed",
                "  sgd: label, lr, momentum, dampening, nesterov, weight_decay, maximize",
                "  adagrad: label, lr, lr_decay, init, eps, weight_decay, maximize",
                "  adam, adamw: label, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize",
                "  adadelta: label, lr, rho, eps, weight_decay, maximize",
                "Surfaces: sigmoid-neuron, bowl, valley, rosenbrock, beale, himmelblau, booth,",
                "          saddle, rastrigin, styblinski-tang, plateau"})
final class PlotCommand implements Callable<Integer> {

    /** Most optimizers in one race: one distinct colour each. */
    static final int MAX_OPTIMIZERS = 8;
    static final int MAX_FRAMES = 500;

    @Option(names = "--surface", paramLabel = "NAME", defaultValue = "rosenbrock", description = "Loss surface (default: ${DEFAULT-VALUE}).")
    String surface;

    @Option(names = "--start", paramLabel = "X,Y", description = "Start point inside the surface's domain (default: the surface's own start).")
    String start;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200", description = "Steps per optimizer, 1.." + Simulator.MAX_STEPS + " (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = {"--opt", "--optimizer"}, paramLabel = "SPEC", required = true, description = "An optimizer, KIND[:key=value,...]; repeat for a race (1.." + MAX_OPTIMIZERS + ").")
    List<String> opts = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output file: .png, .svg, .gif or .html.")
    Path out;

    @Option(names = "--panel", paramLabel = "loss|squares", defaultValue = "loss",
            description = "Right-hand panel: loss curves or squares of the accumulated squared gradients (default: ${DEFAULT-VALUE}).")
    String panel;

    @Option(names = "--title", paramLabel = "TEXT", description = "Figure title (default: the optimizers and the surface).")
    String title;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "90", description = "Most frames of a GIF, 2.." + MAX_FRAMES + " (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--delay", paramLabel = "CS", defaultValue = "8", description = "GIF frame delay in hundredths of a second, 1..500 (default: ${DEFAULT-VALUE}).")
    int delay;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "960x640", description = "Figure size in pixels (default: ${DEFAULT-VALUE}).")
    String size;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The surface named by --surface; the error names the option. */
    static Surface surfaceByName(String name) {
        try {
            return Surfaces.byName(name);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            throw m.startsWith("surface ") ? new CliException("--surface" + m.substring("surface".length())) : e;
        }
    }

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        Surface s = surfaceByName(surface);
        Surface.Point p = start == null ? s.start() : s.checkStart("--start", Surface.Point.parse("--start", start));
        checkSteps("--steps", steps);
        if (opts.size() > MAX_OPTIMIZERS) {
            throw new CliException("--opt must be given 1.." + MAX_OPTIMIZERS + " times (one colour each), got " + opts.size());
        }
        String format = format(out);
        checkWritable(out); // before the work, not after it
        RaceFigure.Panel pn = panel(panel);
        int[] wh = size(size);
        if (frames < 2 || frames > MAX_FRAMES) throw new CliException("--frames must be in [2, " + MAX_FRAMES + "], got " + frames);
        if (delay < 1 || delay > 500) throw new CliException("--delay must be in [1, 500] hundredths of a second, got " + delay);
        List<Contender> cs = SpecParser.parseAll("--opt", opts);

        Progress sim = new Progress(err, "simulating");
        Race race = Simulator.race(s, p, steps, cs, done -> sim.update(done, cs.size()));
        sim.done();
        RaceFigure fig = RaceFigure.of(race, title, pn, wh[0], wh[1], null);
        switch (format) {
            case "png": Render.writePng(fig, out); break;
            case "svg": Render.writeSvg(fig, out); break;
            case "gif": Render.write(out, gif(fig, err)); break;
            default: {
                HtmlReport r = new HtmlReport(fig.race().trajectories().size() == 1 ? "rmsprop4j: " + race.trajectories().get(0).label()
                        + " on " + s.title() : "rmsprop4j race on " + s.title());
                r.image(gif(fig, err), "image/gif", "race animation", "Animation (loops): " + steps + " steps.");
                r.svg(fig, "Final step.");
                r.svg(Charts.loss(race, null, null), "Loss against step (log scale).");
                r.svg(Charts.effectiveStep(race, null, null), "Effective step size per parameter (log scale).");
                r.settings(race, null).lossTable(race, null);
                r.write(out);
            }
        }
        var o = spec.commandLine().getOut();
        for (int i = 0; i < race.trajectories().size(); i++) {
            Trajectory t = race.trajectories().get(i);
            o.printf(Locale.ROOT, "%-20s final loss %-12s at (%s, %s) after %d steps%s%n", t.label(), Text.num(t.finalLoss()),
                    Text.num(t.x(t.frames() - 1)), Text.num(t.y(t.frames() - 1)), t.stepsTaken(),
                    t.diverged() ? " (" + t.stopMessage() + ")" : "");
        }
        o.println("wrote " + out);
        o.flush();
        return 0;
    }

    private byte[] gif(RaceFigure fig, java.io.PrintWriter err) {
        int n = fig.animationSteps(frames).length;
        Progress pr = new Progress(err, "rendering GIF frames");
        List<BufferedImage> imgs = fig.animationFrames(frames, done -> pr.update(done, n));
        byte[] bytes = AnimatedGif.encode(imgs, delay, 250);
        pr.done();
        return bytes;
    }

    static void checkSteps(String name, int steps) {
        if (steps < 1 || steps > Simulator.MAX_STEPS) throw new CliException(name + " must be in [1, " + Simulator.MAX_STEPS + "], got " + steps);
    }

    /**
     * Checks before any work that {@code out} can be written: not a folder, and its folder exists (or
     * is created) and takes a file (a probe file is written and deleted).
     */
    static void checkWritable(Path out) {
        if (java.nio.file.Files.isDirectory(out)) throw new CliException("--out " + out + " is a folder; give a file name");
        Path parent = out.toAbsolutePath().getParent();
        try {
            java.nio.file.Files.createDirectories(parent);
            java.nio.file.Files.delete(java.nio.file.Files.createTempFile(parent, ".probe-", ".tmp"));
        } catch (java.io.IOException e) {
            throw new CliException("cannot write " + out + ": " + org.rmsprop4j.internal.IoErrors.reason(e));
        }
    }

    static String format(Path out) {
        String n = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String ext : List.of("png", "svg", "gif", "html")) if (n.endsWith("." + ext)) return ext;
        throw new CliException("--out must end in .png, .svg, .gif or .html, got '" + out + "'");
    }

    static RaceFigure.Panel panel(String v) {
        for (RaceFigure.Panel p : RaceFigure.Panel.values()) if (p.name().equalsIgnoreCase(v)) return p;
        throw new CliException("--panel must be loss or squares, got '" + v + "'");
    }

    static int[] size(String v) {
        String[] p = v == null ? new String[0] : v.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int w = Integer.parseInt(p[0].trim()), h = Integer.parseInt(p[1].trim());
                if (w >= 240 && w <= 4000 && h >= 160 && h <= 4000) return new int[] {w, h};
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new CliException("--size must be WIDTHxHEIGHT with width 240..4000 and height 160..4000, got '" + v + "'");
    }
}
