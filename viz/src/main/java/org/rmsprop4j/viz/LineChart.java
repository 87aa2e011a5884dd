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

    /** One line. */
    record Series(String label, Color color, double[] x, double[] y, boolean dashed) {}

    final String title;
    final String xTitle;
    final String yTitle;
    final boolean logY;
    final List<Series> series = new ArrayList<>();
    double xMax = Double.NaN;
    double marker = Double.NaN;
    /** When both are set, the y range is fixed (animations: the axis must not rescale between frames). */
    double yLo = Double.NaN, yHi = Double.NaN;

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
            y0 = Math.max(y0, y1 * 1e-14); // keep twelve-ish decades readable
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
            g.setStroke(s.dashed
                    ? new BasicStroke((float) (2 * u), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {(float) (7 * u), (float) (4 * u)}, 0f)
                    : new BasicStroke((float) (2 * u), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(p);
        }
        g.setClip(old);
    }
}
