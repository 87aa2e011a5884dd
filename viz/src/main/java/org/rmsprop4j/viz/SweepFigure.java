package org.rmsprop4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.rmsprop4j.sim.Sweep;

/**
 * A {@link Sweep} as a heat map: learning rate across, decay up, each cell coloured by the log of
 * its final loss above the surface's minimum (viridis: dark = low), divergent runs marked with a light grey cell
 * and a vermillion cross, and a colour bar. Immutable.
 */
public final class SweepFigure implements Drawing {

    public static final int WIDTH = 960, HEIGHT = 640;

    private static final Color DIVERGED = new Color(0xe4e4e4);

    private final Sweep sweep;
    private final String title;

    public SweepFigure(Sweep sweep, String title) {
        this.sweep = sweep;
        this.title = title == null ? "Final loss over learning rate × decay: " + sweep.base().kind() + " on " + sweep.surface().title() : title;
    }

    /**
     * The best cell: the lowest final loss among the runs that completed, as {@code {i, j}} (learning
     * rate index, decay index; the first one on ties), or null when every run diverged.
     */
    public static int[] best(Sweep sweep) {
        int[] b = null;
        double bl = Double.POSITIVE_INFINITY;
        int nl = sweep.learningRates().length, nd = sweep.decays().length;
        for (int i = 0; i < nl; i++) {
            for (int j = 0; j < nd; j++) {
                if (!sweep.diverged(i, j) && sweep.finalLoss(i, j) < bl) {
                    bl = sweep.finalLoss(i, j);
                    b = new int[] {i, j};
                }
            }
        }
        return b;
    }

    @Override public int width() { return WIDTH; }

    @Override public int height() { return HEIGHT; }

    @Override public void draw(Graphics2D g) {
        double u = 1;
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Plot.title(g, title, Text.settings(sweep.base()).replaceFirst("lr [^,]*, ", "").replaceFirst("(ρ|β) [^,]*, ", "") + "   ·   start " + sweep.start() + "   ·   "
                + sweep.steps() + " steps", 16, 8, u, WIDTH - 32);
        double[] lrs = sweep.learningRates(), ds = sweep.decays();
        int nx = lrs.length, ny = ds.length;
        double min = sweep.surface().minValue();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        double[][] z = new double[nx][ny];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                z[i][j] = Math.log10(Math.max(sweep.finalLoss(i, j) - min, 1e-16));
                if (!sweep.diverged(i, j)) {
                    lo = Math.min(lo, z[i][j]);
                    hi = Math.max(hi, z[i][j]);
                }
            }
        }
        if (!(lo <= hi)) { lo = 0; hi = 1; }
        if (hi - lo < 1e-9) hi = lo + 1;
        Rectangle2D area = new Rectangle2D.Double(90, 84, 700, HEIGHT - 84 - 70);
        double cw = area.getWidth() / nx, ch = area.getHeight() / ny;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                Rectangle2D cell = new Rectangle2D.Double(area.getMinX() + i * cw, area.getMaxY() - (j + 1) * ch, cw + 0.5, ch + 0.5);
                if (sweep.diverged(i, j)) {
                    g.setColor(DIVERGED);
                    g.fill(cell);
                    g.setColor(Palette.VERMILLION);
                    g.setStroke(new BasicStroke(2.2f));
                    double q = Math.min(cw, ch) * 0.28;
                    g.draw(new Line2D.Double(cell.getCenterX() - q, cell.getCenterY() - q, cell.getCenterX() + q, cell.getCenterY() + q));
                    g.draw(new Line2D.Double(cell.getCenterX() - q, cell.getCenterY() + q, cell.getCenterX() + q, cell.getCenterY() - q));
                } else {
                    g.setColor(new Color(Palette.sequential((z[i][j] - lo) / (hi - lo))));
                    g.fill(cell);
                }
            }
        }
        int[] best = best(sweep);
        if (best != null) { // the best cell: outlined white on black
            Rectangle2D cell = new Rectangle2D.Double(area.getMinX() + best[0] * cw, area.getMaxY() - (best[1] + 1) * ch, cw, ch);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(3.5f));
            g.draw(inset(cell, 2));
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(inset(cell, 2));
        }
        // axes: ticks at round values (powers of ten on a geometric axis), placed between the cells they fall in
        g.setColor(Palette.INK);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(area);
        g.setFont(Text.font(Font.PLAIN, 12.5f));
        for (double[] t : axisTicks(lrs, area.getMinX(), cw)) {
            g.draw(new Line2D.Double(t[1], area.getMaxY(), t[1], area.getMaxY() + 5));
            Text.centre(g, Text.num(t[0]), t[1], area.getMaxY() + 20);
        }
        for (double[] t : axisTicks(ds, 0, ch)) {
            double py = area.getMaxY() - t[1];
            g.draw(new Line2D.Double(area.getMinX() - 5, py, area.getMinX(), py));
            Text.right(g, Text.num(t[0]), area.getMinX() - 8, py + 4);
        }
        g.setFont(Text.font(Font.PLAIN, 14f));
        Text.centre(g, "learning rate", area.getCenterX(), area.getMaxY() + 42);
        var at = g.getTransform();
        g.translate(area.getMinX() - 62, area.getCenterY());
        g.rotate(-Math.PI / 2);
        Text.centre(g, sweep.base().kind().equals("adam") ? "beta2" : "decay ρ", 0, 0);
        g.setTransform(at);
        // colour bar
        Rectangle2D bar = new Rectangle2D.Double(area.getMaxX() + 40, area.getMinY() + 20, 24, area.getHeight() - 120);
        for (int p = 0; p < (int) bar.getHeight(); p++) {
            g.setColor(new Color(Palette.sequential(1 - p / bar.getHeight())));
            g.fill(new Rectangle2D.Double(bar.getMinX(), bar.getMinY() + p, bar.getWidth(), 1.5));
        }
        g.setColor(Palette.INK);
        g.draw(bar);
        g.setFont(Text.font(Font.BOLD, 13f));
        Text.left(g, min == 0 ? "final loss" : "final loss − min", bar.getMinX() - 10, bar.getMinY() - 8);
        g.setFont(Text.font(Font.PLAIN, 12.5f));
        Scale s = new Scale(Math.pow(10, lo), Math.pow(10, hi), bar.getMaxY(), bar.getMinY(), true);
        for (double v : s.ticks(6)) {
            double py = s.map(v);
            g.draw(new Line2D.Double(bar.getMaxX(), py, bar.getMaxX() + 4, py));
            Text.left(g, s.label(v), bar.getMaxX() + 7, py + 4);
        }
        double ly = bar.getMaxY() + 40;
        g.setColor(DIVERGED);
        g.fill(new Rectangle2D.Double(bar.getMinX(), ly, 24, 18));
        g.setColor(Palette.VERMILLION);
        g.setStroke(new BasicStroke(2.2f));
        g.draw(new Line2D.Double(bar.getMinX() + 6, ly + 4, bar.getMinX() + 18, ly + 14));
        g.draw(new Line2D.Double(bar.getMinX() + 6, ly + 14, bar.getMinX() + 18, ly + 4));
        g.setColor(Palette.INK);
        Text.left(g, "diverged", bar.getMaxX() + 7, ly + 14);
        if (best != null) {
            double by = ly + 30;
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Rectangle2D.Double(bar.getMinX() + 1, by + 1, 22, 16));
            Text.left(g, "best:", bar.getMaxX() + 7, by + 14);
            g.setFont(Text.font(Font.PLAIN, 12f));
            Text.left(g, "lr " + Text.num(lrs[best[0]]) + ", " + (sweep.base().kind().equals("adam") ? "β2 " : "ρ ") + Text.num(ds[best[1]]),
                    bar.getMinX(), by + 34);
            Text.left(g, "final loss " + Text.num(sweep.finalLoss(best[0], best[1])), bar.getMinX(), by + 50);
        }
    }

    private static Rectangle2D inset(Rectangle2D r, double d) {
        return new Rectangle2D.Double(r.getMinX() + d, r.getMinY() + d, Math.max(1, r.getWidth() - 2 * d), Math.max(1, r.getHeight() - 2 * d));
    }

    /**
     * Round tick values for an axis of cells holding {@code v} (monotonic): powers of ten (or a
     * 1-2-5 fallback within a decade) when the values are geometric, nice linear steps otherwise.
     * Each tick is {@code {value, pixel}}, the pixel interpolated between cell centres from
     * {@code origin} with cells {@code size} wide.
     */
    static List<double[]> axisTicks(double[] v, double origin, double size) {
        List<double[]> out = new ArrayList<>();
        int n = v.length;
        if (n == 1) {
            out.add(new double[] {v[0], origin + size / 2});
            return out;
        }
        double lo = Math.min(v[0], v[n - 1]), hi = Math.max(v[0], v[n - 1]);
        boolean geometric = v[0] > 0 && v[n - 1] > 0 && n > 2 && Math.abs(Math.log(v[1] / v[0]) - Math.log(v[n - 1] / v[n - 2])) < 1e-6;
        Scale sc = new Scale(lo, hi, 0, 1, geometric);
        for (double t : sc.ticks(6)) {
            double f = geometric ? Math.log(t / v[0]) / Math.log(v[n - 1] / v[0]) : (t - v[0]) / (v[n - 1] - v[0]);
            if (f < -1e-9 || f > 1 + 1e-9) continue;
            out.add(new double[] {t, origin + (0.5 + f * (n - 1)) * size});
        }
        return out;
    }
}
