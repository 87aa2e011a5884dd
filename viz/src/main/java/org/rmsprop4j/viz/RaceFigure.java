package org.rmsprop4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Trajectory;

/**
 * A race drawn at one step: the title and settings on top, the loss surface with every path up to
 * that step on the left, and on the right a legend (label, settings, current loss) above either the
 * loss curves or the "squares" of accumulated squared gradients. Immutable; {@link #atStep(int)}
 * gives the figure at another step and {@link #animationFrames(int, IntConsumer)} the frames of a GIF.
 */
public final class RaceFigure implements Drawing {

    /** What the lower right panel shows. */
    public enum Panel {
        /** Loss (above the surface's minimum) against step, log scale. */
        LOSS,
        /** Squares whose areas are the accumulated squared gradients (AdaGrad, RMSprop, ...). */
        SQUARES
    }

    /** Default size: reads well on a slide. */
    public static final int WIDTH = 960, HEIGHT = 640;

    private final Race race;
    private final String title;
    private final Panel panel;
    private final int width, height;
    private final List<Color> colors;
    private final int step;
    private final SurfaceView view;
    private final double squaresMax;

    private RaceFigure(Race race, String title, Panel panel, int width, int height, List<Color> colors, int step, SurfaceView view) {
        this.race = race;
        this.title = title;
        this.panel = panel;
        this.width = width;
        this.height = height;
        this.colors = colors;
        this.step = step;
        this.view = view;
        this.squaresMax = SquaresView.maxValue(race.trajectories());
    }

    /** The figure of the whole race (its last step), at the default size, with Okabe–Ito colours in order. */
    public static RaceFigure of(Race race, String title, Panel panel) {
        return of(race, title, panel, WIDTH, HEIGHT, null);
    }

    /**
     * The figure of the whole race.
     *
     * @param colors one per trajectory, or null for the palette in order
     * @throws IllegalArgumentException for sizes outside [240, 4000] × [160, 4000] or a wrong number of colours
     */
    public static RaceFigure of(Race race, String title, Panel panel, int width, int height, List<Color> colors) {
        Objects.requireNonNull(race, "race");
        if (width < 240 || width > 4000) throw new IllegalArgumentException("width must be in [240, 4000] pixels, got " + width);
        if (height < 160 || height > 4000) throw new IllegalArgumentException("height must be in [160, 4000] pixels, got " + height);
        List<Color> cs = new ArrayList<>();
        if (colors == null) {
            for (int i = 0; i < race.trajectories().size(); i++) cs.add(Palette.series(i));
        } else {
            if (colors.size() != race.trajectories().size()) {
                throw new IllegalArgumentException("colors must have one colour per trajectory (" + race.trajectories().size() + "), got " + colors.size());
            }
            cs.addAll(colors);
        }
        return new RaceFigure(race, title == null ? defaultTitle(race) : title, panel == null ? Panel.LOSS : panel, width, height,
                List.copyOf(cs), race.steps(), new SurfaceView(race.surface()));
    }

    /** The same figure at step {@code step} (0 = start), clamped to the race. */
    public RaceFigure atStep(int step) {
        return new RaceFigure(race, title, panel, width, height, colors, Math.max(0, Math.min(step, race.steps())), view);
    }

    public Race race() { return race; }

    /** The colour of each trajectory. */
    public List<Color> colors() { return colors; }

    @Override public int width() { return width; }

    @Override public int height() { return height; }

    static String defaultTitle(Race r) {
        if (r.trajectories().size() > 3) return r.trajectories().size() + " optimizers on " + r.surface().title();
        List<String> names = new ArrayList<>();
        for (Trajectory t : r.trajectories()) names.add(t.label());
        return String.join(" vs ", names) + " on " + r.surface().title();
    }

    @Override public void draw(Graphics2D g) {
        double u = Math.min(width / (double) WIDTH, height / (double) HEIGHT);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Surface s = race.surface();
        String sub = s.formula() + "   ·   start " + race.start() + "   ·   step " + step + " of " + race.steps();
        Plot.title(g, title, sub, 16 * u, 8 * u, u, width - 32 * u);
        double top = 72 * u;
        double leftW = width * 0.6;
        double side = Math.min(leftW - 84 * u, height - top - 58 * u);
        Rectangle2D area = new Rectangle2D.Double(66 * u, top + 6 * u, side, side);
        view.draw(g, area, race.trajectories(), colors, step, u);

        double rx = area.getMaxX() + 30 * u, rw = width - rx - 14 * u;
        double legendBottom = legend(g, rx, top, rw, u);
        Rectangle2D lower = new Rectangle2D.Double(rx - (panel == Panel.LOSS ? 8 * u : 0), legendBottom + 8 * u,
                rw + (panel == Panel.LOSS ? 8 * u : 0), height - legendBottom - 16 * u);
        if (panel == Panel.SQUARES) {
            SquaresView.draw(g, lower, race.trajectories(), colors, step, squaresMax, u);
        } else {
            lossChart(race, colors, step, u).draw(g, lower, u);
        }
    }

    private double legend(Graphics2D g, double x, double y, double w, double u) {
        double rowH = 38 * u;
        List<Trajectory> ts = race.trajectories();
        for (int i = 0; i < ts.size(); i++) {
            Trajectory t = ts.get(i);
            double ry = y + i * rowH;
            g.setColor(colors.get(i));
            g.setStroke(new BasicStroke((float) (4 * u), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(x, ry + 11 * u, x + 22 * u, ry + 11 * u));
            int k = Math.min(step, t.frames() - 1);
            g.setFont(Text.font(Font.BOLD, (float) (14 * u)));
            String lossText = "loss " + Text.num(t.loss(k));
            if (t.diverged() && step >= t.frames() - 1) lossText = "stopped at " + t.stepsTaken() + " ✕";
            double lossW = g.getFontMetrics().stringWidth(lossText);
            Text.left(g, Text.fit(g, t.label(), w - 34 * u - lossW - 8 * u), x + 30 * u, ry + 16 * u);
            g.setColor(Palette.INK);
            Text.right(g, lossText, x + w, ry + 16 * u);
            g.setColor(Palette.MUTED);
            g.setFont(Text.font(Font.PLAIN, (float) (12 * u)));
            Text.left(g, Text.fit(g, Text.settings(t.spec()), w - 30 * u), x + 30 * u, ry + 31 * u);
        }
        return y + ts.size() * rowH;
    }

    /** The loss-against-step chart of a race up to {@code step}, its y range fixed by the whole race. */
    static LineChart lossChart(Race race, List<Color> colors, int step, double u) {
        double min = race.surface().minValue();
        LineChart c = new LineChart(min == 0 ? "Loss (log scale)" : "Loss − min (log scale)", "step", min == 0 ? "loss" : "loss − min", true);
        c.xMax = race.steps();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Trajectory t : race.trajectories()) {
            for (int k = 0; k < t.frames(); k++) {
                double v = t.loss(k) - min;
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        c.yLo = lo;
        c.yHi = hi;
        for (int i = 0; i < race.trajectories().size(); i++) {
            Trajectory t = race.trajectories().get(i);
            int n = Math.min(step, t.frames() - 1) + 1;
            double[] xs = new double[n], ys = new double[n];
            for (int k = 0; k < n; k++) {
                xs[k] = k;
                ys[k] = t.loss(k) - min;
            }
            c.add(new LineChart.Series(t.label(), colors.get(i), xs, ys, false));
        }
        if (step < race.steps()) c.marker = step;
        return c;
    }

    /** The steps the frames of an animation of at most {@code maxFrames} frames show (0 and the last step included). */
    public int[] animationSteps(int maxFrames) {
        if (maxFrames < 2 || maxFrames > AnimatedGif.MAX_FRAMES) {
            throw new IllegalArgumentException("frames must be in [2, " + AnimatedGif.MAX_FRAMES + "], got " + maxFrames);
        }
        int n = Math.min(maxFrames, race.steps() + 1);
        int[] steps = new int[n];
        for (int i = 0; i < n; i++) steps[i] = (int) Math.round(i * (double) race.steps() / (n - 1));
        return steps;
    }

    /** Renders the frames of an animation; {@code afterEach} gets the number of frames done. */
    public List<BufferedImage> animationFrames(int maxFrames, IntConsumer afterEach) {
        List<BufferedImage> out = new ArrayList<>();
        for (int s : animationSteps(maxFrames)) {
            out.add(Render.image(atStep(s)));
            afterEach.accept(out.size());
        }
        return out;
    }

    /** Writes a looping animated GIF of at most {@code maxFrames} frames, holding the last frame for 2.5 s. */
    public Path writeGif(Path file, int maxFrames, int delayCentis, IntConsumer afterEach) {
        return AnimatedGif.write(animationFrames(maxFrames, afterEach), delayCentis, 250, file);
    }
}
