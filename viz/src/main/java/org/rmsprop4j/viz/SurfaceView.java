package org.rmsprop4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Trajectory;

/**
 * A loss surface as a heat map of log-loss with contour lines, plus trajectories drawn on it as
 * paths with their current positions marked. The heat map and contours are computed once per
 * surface and reused for every frame.
 */
final class SurfaceView {
    private static final int HEAT = LossMap.REFERENCE;
    private static final int CONTOUR = 140;

    final Surface surface;
    final LossMap map;
    final BufferedImage heat;
    final List<Path2D.Double> contours = new ArrayList<>();

    SurfaceView(Surface surface) {
        this.surface = surface;
        Surface.Domain d = surface.domain();
        map = LossMap.of(surface, HEAT);
        heat = new BufferedImage(HEAT, HEAT, BufferedImage.TYPE_INT_RGB);
        for (int j = 0; j < HEAT; j++) {
            for (int i = 0; i < HEAT; i++) heat.setRGB(i, HEAT - 1 - j, map.color(map.value(i, j)));
        }
        double[] z = LossMap.of(surface, CONTOUR).values();
        for (double level : map.levels()) contours.add(marchingSquares(z, CONTOUR, level, d));
    }

    /** Contour segments of one level in data coordinates (marching squares, linear interpolation). */
    private static Path2D.Double marchingSquares(double[] z, int n, double level, Surface.Domain d) {
        Path2D.Double p = new Path2D.Double();
        double cw = d.width() / n, ch = d.height() / n;
        double[] ex = new double[4], ey = new double[4];
        for (int j = 0; j < n - 1; j++) {
            for (int i = 0; i < n - 1; i++) {
                double a = z[j * n + i], b = z[j * n + i + 1], c = z[(j + 1) * n + i + 1], e = z[(j + 1) * n + i];
                double x0 = d.xMin() + (i + 0.5) * cw, y0 = d.yMin() + (j + 0.5) * ch;
                int m = 0;
                // edges: bottom a-b, right b-c, top e-c, left a-e
                if ((a < level) != (b < level)) { ex[m] = x0 + cw * (level - a) / (b - a); ey[m++] = y0; }
                if ((b < level) != (c < level)) { ex[m] = x0 + cw; ey[m++] = y0 + ch * (level - b) / (c - b); }
                if ((e < level) != (c < level)) { ex[m] = x0 + cw * (level - e) / (c - e); ey[m++] = y0 + ch; }
                if ((a < level) != (e < level)) { ex[m] = x0; ey[m++] = y0 + ch * (level - a) / (e - a); }
                for (int s = 0; s + 1 < m; s += 2) {
                    p.moveTo(ex[s], ey[s]);
                    p.lineTo(ex[s + 1], ey[s + 1]);
                }
            }
        }
        return p;
    }

    private List<Trajectory> sameFor;
    private int[] sameCache;

    /** {@link RaceMarks#samePathAs}, computed once for the trajectories every frame of an animation shares. */
    synchronized int[] samePathAs(List<Trajectory> ts) {
        if (ts != sameFor) {
            sameCache = RaceMarks.samePathAs(ts);
            sameFor = ts;
        }
        return sameCache.clone();
    }

    /** Maps data coordinates to the pixels of {@code area}. */
    static AffineTransform toPixels(Surface.Domain d, Rectangle2D area) {
        AffineTransform t = new AffineTransform();
        t.translate(area.getMinX(), area.getMaxY());
        t.scale(area.getWidth() / d.width(), -area.getHeight() / d.height());
        t.translate(-d.xMin(), -d.yMin());
        return t;
    }

    /**
     * Draws the surface into {@code area} with axes, then each trajectory up to frame {@code step}
     * (clamped to its length) in {@code colors[i]}.
     */
    void draw(Graphics2D g, Rectangle2D area, List<Trajectory> ts, List<Color> colors, int step, double u) {
        Surface.Domain d = surface.domain();
        g.drawImage(heat, (int) Math.round(area.getMinX()), (int) Math.round(area.getMinY()),
                (int) Math.round(area.getWidth()), (int) Math.round(area.getHeight()), null);
        AffineTransform t = toPixels(d, area);
        Shape oldClip = g.getClip();
        g.clip(area);
        g.setColor(new Color(40, 50, 60, 80));
        g.setStroke(new BasicStroke((float) (0.9 * u)));
        for (Path2D.Double c : contours) g.draw(t.createTransformedShape(c));
        // minima
        for (Surface.Point m : surface.minima()) star(g, t, m.x(), m.y(), 8 * u);
        // paths; one that overlaps an earlier path is drawn dashed over it (RaceMarks.samePathAs)
        int[] same = samePathAs(ts);
        int[] count = new int[ts.size()], index = new int[ts.size()];
        for (int i = 0; i < same.length; i++) if (same[i] >= 0) index[i] = ++count[same[i]];
        for (int i = 0; i < ts.size(); i++) {
            Trajectory tr = ts.get(i);
            int last = Math.min(step, tr.frames() - 1);
            Path2D.Double path = new Path2D.Double();
            double[] pt = new double[2];
            for (int k = 0; k <= last; k++) {
                t.transform(new double[] {tr.x(k), tr.y(k)}, 0, pt, 0, 1);
                if (k == 0) path.moveTo(pt[0], pt[1]);
                else path.lineTo(pt[0], pt[1]);
            }
            g.setStroke(new BasicStroke((float) (4.2 * u), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(255, 255, 255, 170));
            g.draw(path);
            g.setStroke(same[i] >= 0 // each duplicate's dashes in their own place, the original visible between them
                    ? new BasicStroke((float) (2.2 * u), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                            LineChart.duplicateDash((float) (7 * u), index[i], count[same[i]]), 0f)
                    : new BasicStroke((float) (2.2 * u), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(colors.get(i));
            g.draw(path);
        }
        // start and current positions on top of every path
        if (!ts.isEmpty()) {
            double[] s = new double[2];
            t.transform(new double[] {ts.get(0).x(0), ts.get(0).y(0)}, 0, s, 0, 1);
            double r = 6 * u;
            g.setStroke(new BasicStroke((float) (2 * u)));
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Double(s[0] - r, s[1] - r, 2 * r, 2 * r));
            g.setColor(Palette.INK);
            g.draw(new Ellipse2D.Double(s[0] - r, s[1] - r, 2 * r, 2 * r));
        }
        for (int i = 0; i < ts.size(); i++) {
            Trajectory tr = ts.get(i);
            int last = Math.min(step, tr.frames() - 1);
            double[] p = new double[2];
            t.transform(new double[] {tr.x(last), tr.y(last)}, 0, p, 0, 1);
            if (!d.contains(tr.x(last), tr.y(last))) { // off the map: a pointer at the edge, towards the run
                outside(g, area, p[0], p[1], colors.get(i), u);
                continue;
            }
            double r = 6.5 * u;
            g.setColor(colors.get(i));
            g.fill(new Ellipse2D.Double(p[0] - r, p[1] - r, 2 * r, 2 * r));
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke((float) (1.8 * u)));
            g.draw(new Ellipse2D.Double(p[0] - r, p[1] - r, 2 * r, 2 * r));
            if (tr.diverged() && step >= tr.frames() - 1) { // mark where a diverging run stopped
                g.setColor(Palette.INK);
                g.setStroke(new BasicStroke((float) (2.5 * u)));
                double q = 9 * u;
                g.draw(new Line2D.Double(p[0] - q, p[1] - q, p[0] + q, p[1] + q));
                g.draw(new Line2D.Double(p[0] - q, p[1] + q, p[0] + q, p[1] - q));
            }
        }
        g.setClip(oldClip);
        Scale sx = new Scale(d.xMin(), d.xMax(), area.getMinX(), area.getMaxX(), false);
        Scale sy = new Scale(d.yMin(), d.yMax(), area.getMaxY(), area.getMinY(), false);
        Plot.axes(g, area, sx, sy, surface.xLabel(), surface.yLabel(), u, false);
    }

    /** A triangle on the edge of {@code area} pointing towards the point {@code (px, py)} outside it. */
    private static void outside(Graphics2D g, Rectangle2D area, double px, double py, Color c, double u) {
        double cx = Math.max(area.getMinX(), Math.min(area.getMaxX(), px)), cy = Math.max(area.getMinY(), Math.min(area.getMaxY(), py));
        double a = Math.atan2(py - cy, px - cx);
        Path2D.Double tri = new Path2D.Double();
        tri.moveTo(cx + 12 * u * Math.cos(a), cy + 12 * u * Math.sin(a));
        tri.lineTo(cx + 10 * u * Math.cos(a + 2.4), cy + 10 * u * Math.sin(a + 2.4));
        tri.lineTo(cx + 10 * u * Math.cos(a - 2.4), cy + 10 * u * Math.sin(a - 2.4));
        tri.closePath();
        Shape clip = g.getClip();
        g.setClip(null);
        g.setColor(c);
        g.fill(tri);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) (1.5 * u)));
        g.draw(tri);
        g.setClip(clip);
    }

    /**
     * The colour key of the shading: the ramp in {@code bar} (high loss at the top) with ticks at
     * whole decades of loss (above the minimum), from the same {@link LossMap} as the map.
     */
    void drawKey(Graphics2D g, Rectangle2D bar, double u) {
        int n = (int) Math.max(2, Math.round(bar.getHeight()));
        for (int p = 0; p < n; p++) {
            g.setColor(new Color(map.color(map.hi() - (map.hi() - map.lo()) * p / (n - 1.0))));
            g.fill(new Rectangle2D.Double(bar.getMinX(), bar.getMinY() + p * bar.getHeight() / n, bar.getWidth(), bar.getHeight() / n + 0.7));
        }
        g.setColor(Palette.INK);
        g.setStroke(new BasicStroke((float) (1 * u)));
        g.draw(bar);
        g.setFont(Text.font(Font.PLAIN, (float) (11.5 * u)));
        var fm = g.getFontMetrics();
        Text.left(g, surface.minValue() == 0 ? "loss" : "loss − min", bar.getMinX() - 4 * u, bar.getMinY() - 7 * u);
        int lo = (int) Math.ceil(map.lo() - 1e-9), hi = (int) Math.floor(map.hi() + 1e-9);
        int every = Math.max(1, (int) Math.ceil((hi - lo + 1) / Math.max(2.0, bar.getHeight() / (22 * u))));
        for (int e = lo; e <= hi; e++) {
            if (Math.floorMod(e, every) != 0) continue;
            double py = bar.getMaxY() - bar.getHeight() * (e - map.lo()) / (map.hi() - map.lo());
            g.draw(new Line2D.Double(bar.getMaxX(), py, bar.getMaxX() + 3 * u, py));
            Text.left(g, e == 0 ? "1" : e == 1 ? "10" : "1e" + e, bar.getMaxX() + 5 * u, py + fm.getAscent() / 2.0 - 1.5 * u);
        }
    }

    private static void star(Graphics2D g, AffineTransform t, double x, double y, double r) {
        double[] c = new double[2];
        t.transform(new double[] {x, y}, 0, c, 0, 1);
        Path2D.Double s = new Path2D.Double();
        for (int k = 0; k < 10; k++) {
            double a = -Math.PI / 2 + k * Math.PI / 5, rr = k % 2 == 0 ? r : r * 0.45;
            double px = c[0] + rr * Math.cos(a), py = c[1] + rr * Math.sin(a);
            if (k == 0) s.moveTo(px, py);
            else s.lineTo(px, py);
        }
        s.closePath();
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) (r / 3)));
        g.draw(s);
        g.setColor(Palette.INK);
        g.fill(s);
    }
}
