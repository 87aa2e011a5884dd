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

    /**
     * Smallest text scale: the smallest text of a figure is 11.5 px at slide size, so no text is
     * smaller than 10 px; small figures keep readable text and give the drawing less room instead.
     */
    static final double MIN_TEXT_SCALE = 0.875;

    /** Domains wider than this (width / height) put the map across the figure, legend and panel below it. */
    static final double WIDE = 1.4;

    /** The scale of text and spacing at this size: 1 at 960×640, never below {@link #MIN_TEXT_SCALE}. */
    double unit() { return Math.max(MIN_TEXT_SCALE, Math.min(width / (double) WIDTH, height / (double) HEIGHT)); }

    @Override public void draw(Graphics2D g) {
        double u = unit();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Surface s = race.surface();
        String sub = s.formula() + "   ·   start " + race.start() + "   ·   step " + step + " of " + race.steps();
        Plot.title(g, title, sub, 16 * u, 8 * u, u, width - 32 * u);
        double top = 72 * u;
        Surface.Domain d = s.domain();
        double aspect = d.width() / d.height();
        Rectangle2D area = mapArea(), lower;
        double legendBottom;
        if (aspect > WIDE) {
            // equal x and y scales: a wide domain gets a wide map, with the legend and the panel below it
            view.draw(g, area, race.trajectories(), colors, step, u);
            view.drawKey(g, keyBar(area, u), u);
            double below = area.getMaxY() + 52 * u, half = width / 2.0;
            legendBottom = legend(g, 16 * u, below, half - 32 * u, u);
            lower = new Rectangle2D.Double(half - (panel == Panel.LOSS ? 8 * u : 0), below - 6 * u,
                    half - 14 * u + (panel == Panel.LOSS ? 8 * u : 0), height - below - 4 * u);
        } else {
            view.draw(g, area, race.trajectories(), colors, step, u);
            Rectangle2D bar = keyBar(area, u);
            view.drawKey(g, bar, u);
            double rx = bar.getMaxX() + 46 * u, rw = width - rx - 14 * u;
            legendBottom = legend(g, rx, top, rw, u);
            lower = new Rectangle2D.Double(rx - (panel == Panel.LOSS ? 8 * u : 0), legendBottom + 8 * u,
                    rw + (panel == Panel.LOSS ? 8 * u : 0), height - legendBottom - 16 * u);
        }
        if (panel == Panel.SQUARES) {
            SquaresView.draw(g, lower, race.trajectories(), colors, step, squaresMax, u);
        } else {
            lossChart(race, colors, step, u).draw(g, lower, u);
        }
    }

    /** Where the map goes: the largest rectangle with the domain's aspect (equal x and y scales) that the layout allows. */
    Rectangle2D mapArea() {
        double u = unit(), top = 72 * u, keyW = 62 * u;
        Surface.Domain d = race.surface().domain();
        double aspect = d.width() / d.height();
        double availW = aspect > WIDE ? width - 66 * u - keyW - 14 * u : width * 0.6 - 84 * u - keyW + 40 * u;
        double availH = aspect > WIDE ? (height - top) * 0.56 - 40 * u : height - top - 58 * u;
        double w = Math.min(availW, availH * aspect);
        return new Rectangle2D.Double(66 * u, top + 6 * u, w, w / aspect);
    }

    /** The colour key's bar, right of the map. */
    private static Rectangle2D keyBar(Rectangle2D area, double u) {
        double h = Math.max(40 * u, Math.min(area.getHeight() - 24 * u, 240 * u));
        return new Rectangle2D.Double(area.getMaxX() + 12 * u, area.getMinY() + 22 * u, 11 * u, h);
    }

    private double legend(Graphics2D g, double x, double y, double w, double u) {
        double rowH = 38 * u;
        List<Trajectory> ts = race.trajectories();
        int[] same = view.samePathAs(ts);
        for (int i = 0; i < ts.size(); i++) {
            Trajectory t = ts.get(i);
            double ry = y + i * rowH;
            g.setColor(colors.get(i));
            g.setStroke(same[i] >= 0
                    ? new BasicStroke((float) (4 * u), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {(float) (5 * u), (float) (3 * u)}, 0f)
                    : new BasicStroke((float) (4 * u), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(x, ry + 11 * u, x + 22 * u, ry + 11 * u));
            int k = Math.min(step, t.frames() - 1);
            g.setFont(Text.font(Font.BOLD, (float) (14 * u)));
            String lossText = "loss " + Text.num(t.loss(k));
            if (t.diverged() && step >= t.frames() - 1) lossText = "stopped at " + t.stepsTaken() + " ✕";
            double lossW = g.getFontMetrics().stringWidth(lossText);
            Text.left(g, Text.fit(g, t.label(), w - 34 * u - lossW - 8 * u), x + 30 * u, ry + 16 * u);
            g.setColor(Palette.INK);
            Text.right(g, lossText, x + w, ry + 16 * u);
            List<String> notes = new ArrayList<>();
            if (same[i] >= 0) notes.add("dashed: path ≈ " + ts.get(same[i]).label() + "'s");
            int left = RaceMarks.leftDomainAt(t);
            if (left >= 0 && step >= left) notes.add("left the map at step " + left);
            g.setFont(Text.font(Font.PLAIN, (float) (12 * u)));
            String line = Text.settings(t.spec());
            if (!notes.isEmpty()) {
                String n = String.join(" · ", notes) + " · ";
                g.setColor(Palette.INK);
                String fitted = Text.fit(g, n, w - 30 * u);
                Text.left(g, fitted, x + 30 * u, ry + 31 * u);
                double nw = g.getFontMetrics().stringWidth(fitted);
                g.setColor(Palette.MUTED);
                if (nw < w - 60 * u) Text.left(g, Text.fit(g, line, w - 30 * u - nw), x + 30 * u + nw, ry + 31 * u);
            } else {
                g.setColor(Palette.MUTED);
                Text.left(g, Text.fit(g, line, w - 30 * u), x + 30 * u, ry + 31 * u);
            }
        }
        return y + ts.size() * rowH;
    }

    /**
     * The loss-against-step chart of a race up to {@code step}, its y range fixed by the whole race:
     * the top is the highest loss of the runs that stayed on the map (a run that left it cannot
     * squash the others; its curve leaves the chart at the top and a note says so), the bottom the
     * lowest loss of any run, however many decades apart. Lines that coincide with an earlier
     * one are dashed.
     */
    static LineChart lossChart(Race race, List<Color> colors, int step, double u) {
        double min = race.surface().minValue();
        LineChart c = new LineChart(min == 0 ? "Loss (log scale)" : "Loss − min (log scale)", "step", min == 0 ? "loss" : "loss − min", true);
        c.xMax = race.steps();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, hiAll = Double.NEGATIVE_INFINITY;
        List<double[]> full = new ArrayList<>();
        for (Trajectory t : race.trajectories()) {
            boolean stayed = RaceMarks.leftDomainAt(t) < 0;
            double[] ys = new double[t.frames()];
            for (int k = 0; k < t.frames(); k++) {
                double v = ys[k] = t.loss(k) - min;
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hiAll = Math.max(hiAll, v);
                    if (stayed) hi = Math.max(hi, v);
                }
            }
            full.add(ys);
        }
        if (!(hi > 0)) hi = hiAll;
        c.yLo = lo;
        c.yHi = hi;
        List<String> off = new ArrayList<>(), labels = new ArrayList<>();
        for (int i = 0; i < race.trajectories().size(); i++) {
            Trajectory t = race.trajectories().get(i);
            labels.add(t.label());
            int n = Math.min(step, t.frames() - 1) + 1;
            for (int k = 0; k < n; k++) {
                if (full.get(i)[k] > hi * (1 + 1e-9)) {
                    off.add(t.label());
                    break;
                }
            }
        }
        c.addAll(labels, colors, full, step);
        if (!off.isEmpty()) c.notes.add("↑ off the top (left the map): " + String.join(", ", off));
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
