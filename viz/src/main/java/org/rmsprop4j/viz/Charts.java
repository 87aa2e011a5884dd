package org.rmsprop4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Trajectory;

/**
 * Stand-alone charts of a race: loss against step, and the effective step size per parameter
 * against step. Both are {@link Drawing}s, so they go to PNG and SVG like every figure.
 */
public final class Charts {
    private Charts() {}

    /** Default size of a chart. */
    public static final int WIDTH = 960, HEIGHT = 540;

    /** Loss (above the surface's minimum) against step on a log scale, one line per optimizer, legend below. */
    public static Drawing loss(Race race, List<Color> colors, String title) {
        List<Color> cs = colors(race, colors);
        return new ChartDrawing(title == null ? "Loss against step — " + race.surface().title() : title, race, cs) {
            @Override void charts(Graphics2D g, Rectangle2D box, double u) {
                RaceFigure.lossChart(race, cs, race.steps(), u).draw(g, box, u);
            }
        };
    }

    /**
     * The effective step size per parameter against step (log scale): one panel per parameter,
     * one line per optimizer. See {@link Trajectory#effectiveStep(int, int)}.
     */
    public static Drawing effectiveStep(Race race, List<Color> colors, String title) {
        List<Color> cs = colors(race, colors);
        return new ChartDrawing(title == null ? "Effective step size per parameter — " + race.surface().title() : title, race, cs) {
            @Override void charts(Graphics2D g, Rectangle2D box, double u) {
                double half = box.getWidth() / 2;
                for (int a = 0; a < 2; a++) {
                    String name = a == 0 ? race.surface().xLabel() : race.surface().yLabel();
                    LineChart c = new LineChart("Effective step for " + name + " (log scale)", "step", "step size", true);
                    c.xMax = race.steps();
                    List<String> labels = new ArrayList<>();
                    List<double[]> lines = new ArrayList<>();
                    for (Trajectory t : race.trajectories()) {
                        double[] ys = new double[t.frames()];
                        for (int k = 0; k < t.frames(); k++) ys[k] = t.effectiveStep(k, a);
                        labels.add(t.label());
                        lines.add(ys);
                    }
                    c.addAll(labels, cs, lines, race.steps()); // coinciding lines dashed and named
                    c.draw(g, new Rectangle2D.Double(box.getMinX() + a * half, box.getMinY(), half - 8 * u, box.getHeight()), u);
                }
            }
        };
    }

    static List<Color> colors(Race race, List<Color> colors) {
        if (colors != null) {
            if (colors.size() != race.trajectories().size()) {
                throw new IllegalArgumentException("colors must have one colour per trajectory (" + race.trajectories().size() + "), got " + colors.size());
            }
            return List.copyOf(colors);
        }
        List<Color> cs = new ArrayList<>();
        for (int i = 0; i < race.trajectories().size(); i++) cs.add(Palette.series(i));
        return cs;
    }

    /** Title on top, charts in the middle, a legend of every optimizer at the bottom. */
    private abstract static class ChartDrawing implements Drawing {
        final String title;
        final Race race;
        final List<Color> colors;

        ChartDrawing(String title, Race race, List<Color> colors) {
            this.title = title;
            this.race = race;
            this.colors = colors;
        }

        @Override public int width() { return WIDTH; }

        @Override public int height() { return HEIGHT; }

        abstract void charts(Graphics2D g, Rectangle2D box, double u);

        @Override public void draw(Graphics2D g) {
            double u = 1;
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            Plot.title(g, title, race.surface().formula() + "   ·   start " + race.start() + "   ·   " + race.steps() + " steps",
                    16, 8, u, WIDTH - 32);
            int n = race.trajectories().size();
            int perRow = Math.min(n, 4);
            int legendRows = (n + perRow - 1) / perRow;
            double legendH = legendRows * 22 + 8;
            charts(g, new Rectangle2D.Double(10, 70, WIDTH - 24, HEIGHT - 70 - legendH - 6), u);
            double colW = (WIDTH - 40) / (double) perRow;
            g.setFont(Text.font(Font.PLAIN, 13f));
            for (int i = 0; i < n; i++) {
                double x = 20 + (i % perRow) * colW, y = HEIGHT - legendH + (i / perRow) * 22 + 8;
                g.setColor(colors.get(i));
                g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new Line2D.Double(x, y + 6, x + 20, y + 6));
                g.setColor(Palette.INK);
                Trajectory t = race.trajectories().get(i);
                Text.left(g, Text.fit(g, t.label() + (t.diverged() ? " (stopped: " + t.stopReason().toString().toLowerCase() + ")" : ""),
                        colW - 34), x + 28, y + 11);
            }
        }
    }
}
