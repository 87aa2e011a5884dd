package org.rmsprop4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart of lines against a linear x axis and a linear or logarithmic y axis, drawn into a given
 * rectangle. Points that are NaN, infinite or (on a log axis) not positive break the line.
 */
final class LineChart {

    /**
     * One line. A line that coincides with an earlier one is the {@code dup}-th (1-based) of
     * {@code dups} duplicates of that line and is drawn dashed, each duplicate's dashes in their
     * own place along the line so that every one of them, and the original, stays visible.
     */
    record Series(String label, Color color, double[] x, double[] y, int dup, int dups) {
        boolean dashed() { return dup > 0; }
    }

    /**
     * Series for {@code lines} (y values against their index) with the coincidences of
     * {@link RaceMarks#sameLogLineAs} marked as duplicates; {@code notes} receives one line naming them.
     */
    void addAll(List<String> labels, List<Color> colors, List<double[]> full, int upTo) {
        int[] same = RaceMarks.sameLogLineAs(full);
        int[] count = new int[full.size()], index = new int[full.size()];
        for (int i = 0; i < same.length; i++) if (same[i] >= 0) index[i] = ++count[same[i]];
        List<String> dashedNames = new ArrayList<>();
        for (int i = 0; i < full.size(); i++) {
            int n = Math.min(upTo, full.get(i).length - 1) + 1;
            double[] xs = new double[n], ys = java.util.Arrays.copyOf(full.get(i), n);
            for (int k = 0; k < n; k++) xs[k] = k;
            add(new Series(labels.get(i), colors.get(i), xs, ys, same[i] >= 0 ? index[i] : 0, same[i] >= 0 ? count[same[i]] : 0));
            if (same[i] >= 0) dashedNames.add(labels.get(i) + " = " + labels.get(same[i]));
        }
        if (!dashedNames.isEmpty()) notes.add("dashed, same line: " + String.join(", ", dashedNames));
    }

    final String title;
    final String xTitle;
    final String yTitle;
    final boolean logY;
    final List<Series> series = new ArrayList<>();
    double xMax = Double.NaN;
    double marker = Double.NaN;
    /** When both are set, the y range is fixed (animations: the axis must not rescale between frames). */
    double yLo = Double.NaN, yHi = Double.NaN;
    /** Short notes printed in the top right corner of the plot area (lines off the chart, coinciding lines). */
    final List<String> notes = new ArrayList<>();

    LineChart(String title, String xTitle, String yTitle, boolean logY) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.logY = logY;
    }

    LineChart add(Series s) {
        series.add(s);
        return this;
    }

    /**
     * The dash pattern of the {@code dup}-th (1-based) of {@code dups} duplicates of a line: one dash
     * of length {@code dash} per period of {@code (dups + 1)·dash}, at offset {@code dup·dash}, so the
     * duplicates and the original (visible in the first slot) take turns along the line. The offset
     * is written into the pattern (a hair-thin first dash, then a gap) rather than as a dash phase,
     * which the SVG writer drops.
     */
    static float[] duplicateDash(float dash, int dup, int dups) {
        float hair = 0.01f, period = dash * (dups + 1);
        return new float[] {hair, dash * dup - hair, dash, Math.max(0f, period - dash * dup - dash)};
    }

    void draw(Graphics2D g, Rectangle2D box, double u) {
        Rectangle2D area = new Rectangle2D.Double(box.getMinX() + 64 * u, box.getMinY() + 26 * u,
                box.getWidth() - 74 * u, box.getHeight() - 26 * u - 46 * u);
        double x0 = 0, x1 = 1, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                double y = s.y[i];
                if (!Double.isFinite(y) || (logY && !(y > 0))) continue;
                x1 = Math.max(x1, s.x[i]);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
        if (Double.isFinite(xMax)) x1 = xMax;
        if (Double.isFinite(yLo) && Double.isFinite(yHi) && yLo <= yHi) {
            y0 = yLo;
            y1 = yHi;
        }
        if (!(y0 <= y1)) { y0 = logY ? 1e-3 : 0; y1 = 1; }
        if (logY) {
            // every decade the runs reach stays on the chart: no lower cut-off
            y0 = Math.pow(10, Math.floor(Math.log10(y0)));
            y1 = Math.pow(10, Math.ceil(Math.log10(y1)));
            if (y1 <= y0) y1 = y0 * 10;
        } else {
            double pad = (y1 - y0) * 0.05 + (y1 == y0 ? 1 : 0);
            y0 -= pad;
            y1 += pad;
        }
        Scale sx = new Scale(x0, x1, area.getMinX(), area.getMaxX(), false);
        Scale sy = new Scale(y0, y1, area.getMaxY(), area.getMinY(), logY);
        g.setColor(Color.WHITE);
        g.fill(area);
        Plot.axes(g, area, sx, sy, xTitle, yTitle, u, true);
        g.setColor(Palette.INK);
        g.setFont(Text.font(Font.BOLD, (float) (14 * u)));
        Text.left(g, Text.fit(g, title, box.getWidth() - 10 * u), area.getMinX(), box.getMinY() + 16 * u);
        Shape old = g.getClip();
        g.clip(area);
        if (Double.isFinite(marker)) {
            g.setColor(new Color(0, 0, 0, 70));
            g.setStroke(new BasicStroke((float) (1 * u)));
            g.draw(new Line2D.Double(sx.map(marker), area.getMinY(), sx.map(marker), area.getMaxY()));
        }
        for (Series s : series) {
            Path2D.Double p = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < s.x.length; i++) {
                double y = s.y[i];
                if (!Double.isFinite(y) || (logY && !(y > 0))) { pen = false; continue; }
                double px = sx.map(s.x[i]), py = sy.map(Math.max(y, y0 * 0.5));
                if (pen) p.lineTo(px, py);
                else p.moveTo(px, py);
                pen = true;
            }
            g.setColor(s.color);
            g.setStroke(s.dashed()
                    ? new BasicStroke((float) (2 * u), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, duplicateDash((float) (7 * u), s.dup, s.dups), 0f)
                    : new BasicStroke((float) (2 * u), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(p);
        }
        if (!notes.isEmpty()) {
            g.setFont(Text.font(Font.PLAIN, (float) (11.5 * u)));
            var fm = g.getFontMetrics();
            double ny = area.getMinY() + 4 * u;
            for (String n : notes) {
                String t = Text.fit(g, n, area.getWidth() - 12 * u);
                double tw = fm.stringWidth(t);
                g.setColor(new Color(255, 255, 255, 215));
                g.fill(new Rectangle2D.Double(area.getMaxX() - tw - 8 * u, ny, tw + 6 * u, fm.getHeight()));
                g.setColor(Palette.INK);
                Text.right(g, t, area.getMaxX() - 5 * u, ny + fm.getAscent());
                ny += fm.getHeight();
            }
        }
        g.setClip(old);
    }
}
