package org.rmsprop4j.viz;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;
import org.rmsprop4j.sim.Contender;
import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Simulator;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Surfaces;

/**
 * The seed article's figures, reproduced from our own simulation, plus an HTML report of them:
 * <ol>
 *   <li>{@code fig1-momentum-vs-rmsprop.{gif,png,svg}}: on the ill-conditioned bowl, momentum
 *       zig-zags across the steep direction while RMSprop heads straight for the valley floor
 *       ("Momentum (blue) and RMSprop (green)").</li>
 *   <li>{@code fig2-rmsprop-vs-adagrad.{gif,png,svg}}: same start, AdaGrad's learning rate tuned so
 *       that its first step equals RMSprop's; AdaGrad's summed squares grow without bound and it
 *       stalls, RMSprop's decayed mean stays small ("RMSProp (green) vs AdaGrad").</li>
 *   <li>{@code fig3-sigmoid-neuron.{gif,png,svg}}, {@code fig3-loss.{png,svg}},
 *       {@code fig3-step-size.{png,svg}}: the article's neuron from (−2, −2) with the demo's seven
 *       optimizers, their loss curves and effective step sizes.</li>
 *   <li>{@code report.html}: all of the above in one self-contained page.</li>
 * </ol>
 */
public final class ArticleFigures {
    private ArticleFigures() {}

    /** Sizes and frame counts; {@link #DEFAULT} is for slides, tests use smaller ones. */
    public record Options(int width, int height, int maxFrames, int delayCentis) {
        public Options {
            if (maxFrames < 2 || maxFrames > AnimatedGif.MAX_FRAMES) {
                throw new IllegalArgumentException("maxFrames must be in [2, " + AnimatedGif.MAX_FRAMES + "], got " + maxFrames);
            }
        }

        /** 960×640, up to 90 frames at 0.08 s. */
        public static final Options DEFAULT = new Options(RaceFigure.WIDTH, RaceFigure.HEIGHT, 90, 8);
    }

    /** RMSprop is bluish green and momentum blue, as in the article; AdaGrad (white there) is vermillion here. */
    static final Color MOMENTUM = Palette.BLUE, RMSPROP = Palette.BLUISH_GREEN, ADAGRAD = Palette.VERMILLION;

    /**
     * Figure 1's race: momentum (lr 0.15, β 0.9) against RMSprop (the article's settings with lr 0.3)
     * on the ill-conditioned bowl, 120 steps. RMSprop reaches the valley floor first; then, with this
     * tiny ε inside the root, it is thrown out once the gradient has vanished (the mean square decays
     * towards ε and the effective step grows, near step 72) and hovers at a loss of about 0.05 while
     * momentum converges: the figure shows both parts of the story ({@link #thrownOutAt}).
     */
    public static Race momentumVsRmsprop() {
        Surface s = Surfaces.ellipticBowl();
        return Simulator.race(s, s.start(), 120, List.of(
                new Contender("momentum", SgdConfig.builder().learningRate(0.15).momentum(0.9).build()),
                new Contender("rmsprop", RmsPropPreset.SEED.config().toBuilder().learningRate(0.3).build())));
    }

    /**
     * The first step at which a run that had come within 1e-9 of the minimum's loss is back above
     * 1e-3 ("thrown out"), or −1 if that never happens.
     */
    static int thrownOutAt(org.rmsprop4j.sim.Trajectory t) {
        boolean reached = false;
        double min = t.surface().minValue();
        for (int k = 0; k < t.frames(); k++) {
            double v = t.loss(k) - min;
            if (v < 1e-9) reached = true;
            else if (reached && v > 1e-3) return k;
        }
        return -1;
    }

    /**
     * Figure 2's race: RMSprop (the article's settings) against AdaGrad with learning rate
     * {@code 0.1·√10}, so both take the same first step ({@code η·g/√(0.1·g²)} and {@code η'·g/√(g²)}).
     */
    public static Race rmspropVsAdagrad() {
        Surface s = Surfaces.ellipticBowl();
        return Simulator.race(s, s.start(), 150, List.of(
                new Contender("rmsprop", RmsPropPreset.SEED.config()),
                new Contender("adagrad", AdagradConfig.builder().learningRate(0.1 * Math.sqrt(10)).eps(1e-8).build())));
    }

    /** Figure 3's race: the article demo's optimizers on the sigmoid neuron from (−2, −2). */
    public static Race sigmoidNeuronRace() {
        Surface s = Surfaces.sigmoidNeuron();
        return Simulator.race(s, s.start(), 300, List.of(
                new Contender("gd", SgdConfig.builder().learningRate(1.0).build()),
                new Contender("momentum", SgdConfig.builder().learningRate(1.0).momentum(0.9).build()),
                new Contender("nesterov", SgdConfig.builder().learningRate(1.0).momentum(0.9).nesterov(true).build()),
                new Contender("adagrad", AdagradConfig.builder().learningRate(0.1).eps(1e-8).build()),
                new Contender("rmsprop-seed", RmsPropPreset.SEED.config()),
                new Contender("rmsprop-pytorch", RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.1).decay(0.9).build()),
                new Contender("adam", AdamConfig.builder().learningRate(0.1).build())));
    }

    /** Colours of figure 3, one per optimizer, Okabe–Ito; RMSprop (seed) green as in the article. */
    static final List<Color> NEURON_COLORS = List.of(Palette.BLACK, Palette.BLUE, Palette.SKY_BLUE, Palette.VERMILLION,
            Palette.BLUISH_GREEN, Palette.REDDISH_PURPLE, Palette.ORANGE);

    /** Writes every figure and the report at slide size; see {@link #writeAll(Path, Consumer, Options)}. */
    public static List<Path> writeAll(Path outDir, Consumer<String> progress) {
        return writeAll(outDir, progress, Options.DEFAULT);
    }

    /**
     * Writes every figure and the report into {@code outDir} (created if missing) and returns the
     * paths written, report last. {@code progress} receives one short line per piece of work
     * (suitable for stderr); pass {@code s -> { }} for none.
     */
    public static List<Path> writeAll(Path outDir, Consumer<String> progress, Options o) {
        if (outDir == null) throw new IllegalArgumentException("outDir must be a folder path, got null");
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("outDir must be a folder, got the file " + outDir);
        }
        Consumer<String> say = progress == null ? s -> { } : progress;
        List<Path> out = new ArrayList<>();
        HtmlReport report = new HtmlReport("RMSprop, seen: the article's figures reproduced by rmsprop4j");
        report.paragraph("Every figure below is computed by rmsprop4j's optimizers (float64) on 2-D loss surfaces and drawn from the "
                + "recorded trajectories. The settings of every run are listed under its figure.");

        Race r1 = momentumVsRmsprop();
        List<Color> c1 = List.of(MOMENTUM, RMSPROP);
        int out1 = thrownOutAt(r1.trajectories().get(1));
        RaceFigure f1 = RaceFigure.of(r1, "Momentum (blue) zig-zags; RMSprop (green) goes straight" + (out1 > 0 ? ", until step " + out1 : ""), RaceFigure.Panel.LOSS, o.width(), o.height(), c1);
        section(outDir, "fig1-momentum-vs-rmsprop", f1, o, say, out, report, "1. Momentum vs RMSprop on an ill-conditioned bowl",
                "Gradient descent with momentum overshoots in the steep y direction and zig-zags; RMSprop divides each "
                        + "coordinate's gradient by the root of its own mean square, so the steep direction is damped and it heads for "
                        + "the valley floor and reaches a low loss first. Then, at step " + out1 + ", RMSprop with this tiny ε "
                        + "is thrown away from the minimum: the gradient has vanished, its mean square decays towards ε and the "
                        + "effective step lr/√(v+ε) grows (the effective-step chart of figure 3 shows the same effect). It keeps "
                        + "hovering at a loss of about 0.05 while momentum converges.");

        Race r2 = rmspropVsAdagrad();
        RaceFigure f2 = RaceFigure.of(r2, "RMSprop (green) vs AdaGrad (vermillion), with their squares",
                RaceFigure.Panel.SQUARES, o.width(), o.height(), List.of(RMSPROP, ADAGRAD));
        section(outDir, "fig2-rmsprop-vs-adagrad", f2, o, say, out, report, "2. RMSprop vs AdaGrad, with the squares",
                "AdaGrad's learning rate is set so that its first step equals RMSprop's, and the two paths coincide at first. "
                        + "AdaGrad sums every squared gradient, so its squares (area = accumulated value) grow without bound and its "
                        + "steps shrink until it practically stops; RMSprop's exponentially decayed mean stays small and it keeps moving.");

        Race r3 = sigmoidNeuronRace();
        RaceFigure f3 = RaceFigure.of(r3, "The article's sigmoid neuron: seven optimizers from (−2, −2)", RaceFigure.Panel.LOSS,
                o.width(), o.height(), NEURON_COLORS);
        section(outDir, "fig3-sigmoid-neuron", f3, o, say, out, report, "3. The sigmoid neuron's error surface",
                "The article's neuron σ(w·x + b) fitted to X = [0.5, 2.5], Y = [0.2, 0.9] by full-batch descent from (−2, −2). "
                        + "The start lies on a plateau where the gradient is tiny: gradient descent crawls, momentum builds up speed, "
                        + "RMSprop divides the tiny gradient by its own scale and crosses the plateau in a few steps; AdaGrad slows "
                        + "down as its sum grows. RMSprop reaches the minimum first (about 90 steps), but with a constant learning rate "
                        + "and a tiny ε its mean square decays once the gradient vanishes, the effective step grows (see the step-size "
                        + "chart) and it is thrown out again, ending up hovering around a loss of 1e-4 while momentum, Nesterov and "
                        + "Adam keep converging.");
        Drawing loss = Charts.loss(r3, NEURON_COLORS, "Loss against step on the sigmoid neuron (log scale)");
        Drawing eff = Charts.effectiveStep(r3, NEURON_COLORS, "Effective step size per parameter on the sigmoid neuron");
        say.accept("figure 3: loss and step-size charts");
        out.add(Render.writePng(loss, outDir.resolve("fig3-loss.png")));
        out.add(Render.writeSvg(loss, outDir.resolve("fig3-loss.svg")));
        out.add(Render.writePng(eff, outDir.resolve("fig3-step-size.png")));
        out.add(Render.writeSvg(eff, outDir.resolve("fig3-step-size.svg")));
        report.svg(loss, "Loss above the minimum against step, log scale (the minimum is 0).");
        report.svg(eff, "Effective step size per parameter: the factor each step multiplies the gradient by "
                + "(lr/√(v+ε) for RMSprop seed, lr/(√v+ε) for PyTorch's, lr/(√s+ε) for AdaGrad, bias-corrected for Adam). Gradient descent, "
                + "momentum and Nesterov all have the constant lr = 1, so their lines coincide.");

        say.accept("report");
        out.add(report.write(outDir.resolve("report.html")));
        return out;
    }

    private static void section(Path dir, String base, RaceFigure f, Options o, Consumer<String> say, List<Path> out,
                                HtmlReport report, String heading, String text) {
        int[] steps = f.animationSteps(o.maxFrames());
        say.accept(heading + ": rendering " + steps.length + " frames");
        byte[] gif = AnimatedGif.encode(f.animationFrames(o.maxFrames(), done -> {
            if (done % 30 == 0) say.accept("  frame " + done + "/" + steps.length);
        }), o.delayCentis(), 250);
        out.add(Render.write(dir.resolve(base + ".gif"), gif));
        out.add(Render.writePng(f, dir.resolve(base + ".png")));
        out.add(Render.writeSvg(f, dir.resolve(base + ".svg")));
        report.heading(heading).paragraph(text);
        report.image(gif, "image/gif", heading + " (animation)", "Animation, looping: " + f.race().steps() + " steps in "
                + steps.length + " frames.");
        report.svg(f, "The final frame (SVG).");
        report.settings(f.race(), f.colors()).lossTable(f.race(), f.colors());
    }
}
