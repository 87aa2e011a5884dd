package org.rmsprop4j.viz;

import java.util.List;

import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Trajectory;

/**
 * Facts about a race that every renderer marks the same way (PNG, SVG, GIF and the playground
 * page): where a run left the drawn domain, and which runs or chart lines coincide with an
 * earlier one and would otherwise hide under it.
 */
public final class RaceMarks {
    private RaceMarks() {}

    /** Width of the band around a path, as a fraction of the domain's larger side (about a pixel at slide size). */
    public static final double PATH_TOLERANCE = 2e-3;
    /** A path hides under an earlier one when at least this fraction of its drawn length lies in that one's band. */
    public static final double PATH_OVERLAP = 0.9;
    /** Two log-scale chart lines coincide when every pair of points differs by less than this many decades. */
    public static final double LOG_TOLERANCE = 2e-3;

    /** The first frame at which {@code t} is outside its surface's domain, or −1 if it never leaves it. */
    public static int leftDomainAt(Trajectory t) {
        Surface.Domain d = t.surface().domain();
        for (int k = 0; k < t.frames(); k++) if (!d.contains(t.x(k), t.y(k))) return k;
        return -1;
    }

    /**
     * For each trajectory, the index of the first earlier one whose drawn path hides it: at least
     * {@link #PATH_OVERLAP} of its length inside the domain lies within {@link #PATH_TOLERANCE}
     * (of the domain's larger side) of the earlier path, or −1. This is what the eye sees, not a
     * step-by-step comparison: two runs that differ only in speed along the same line hide each
     * other too. Renderers draw such a path dashed over the other and say so in the legend.
     */
    public static int[] samePathAs(List<Trajectory> ts) {
        int[] out = new int[ts.size()];
        java.util.Arrays.fill(out, -1);
        if (ts.isEmpty()) return out;
        Surface.Domain d = ts.get(0).surface().domain();
        double cell = PATH_TOLERANCE * Math.max(d.width(), d.height());
        int nx = (int) Math.ceil(d.width() / cell) + 1, ny = (int) Math.ceil(d.height() / cell) + 1;
        boolean[][] bands = new boolean[ts.size()][];
        for (int i = 0; i < ts.size(); i++) {
            Trajectory a = ts.get(i);
            for (int j = 0; j < i && out[i] < 0; j++) {
                if (bands[j] == null) bands[j] = band(ts.get(j), d, cell, nx, ny);
                if (covered(a, bands[j], d, cell, nx, ny) >= PATH_OVERLAP) out[i] = j;
            }
        }
        return out;
    }

    /** The grid cells (of side {@code cell}) the path of {@code t} passes through, grown by one cell on every side. */
    private static boolean[] band(Trajectory t, Surface.Domain d, double cell, int nx, int ny) {
        boolean[] grid = new boolean[nx * ny];
        walk(t, d, cell, (cx, cy) -> {
            for (int ox = -1; ox <= 1; ox++) {
                for (int oy = -1; oy <= 1; oy++) {
                    int x = cx + ox, y = cy + oy;
                    if (x >= 0 && y >= 0 && x < nx && y < ny) grid[y * nx + x] = true;
                }
            }
        });
        return grid;
    }

    /** The fraction of the visible samples of {@code t}'s path that fall in {@code band}; 0 if none is visible. */
    private static double covered(Trajectory t, boolean[] band, Surface.Domain d, double cell, int nx, int ny) {
        int[] n = new int[2];
        walk(t, d, cell, (cx, cy) -> {
            n[0]++;
            if (cx >= 0 && cy >= 0 && cx < nx && cy < ny && band[cy * nx + cx]) n[1]++;
        });
        return n[0] == 0 ? 0 : n[1] / (double) n[0];
    }

    private interface CellVisitor {
        void visit(int cx, int cy);
    }

    /** Visits the cell of every sample, half a cell apart (at most 4,000 per segment), of the path's segments inside the domain. */
    private static void walk(Trajectory t, Surface.Domain d, double cell, CellVisitor v) {
        for (int k = 0; k < t.frames(); k++) {
            double x0 = k == 0 ? t.x(0) : t.x(k - 1), y0 = k == 0 ? t.y(0) : t.y(k - 1), x1 = t.x(k), y1 = t.y(k);
            int n = (int) Math.min(4000, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / (cell / 2)));
            for (int s = k == 0 ? 0 : 1; s <= n; s++) {
                double f = n == 0 ? 1 : s / (double) n, x = x0 + f * (x1 - x0), y = y0 + f * (y1 - y0);
                if (d.contains(x, y)) v.visit((int) ((x - d.xMin()) / cell), (int) ((y - d.yMin()) / cell));
            }
        }
    }

    /**
     * For each line of a log-scale chart, the index of the first earlier line it coincides with
     * (same length; at every point both non-positive or non-finite, or within
     * {@link #LOG_TOLERANCE} decades), or −1.
     */
    public static int[] sameLogLineAs(List<double[]> lines) {
        int[] out = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            out[i] = -1;
            double[] a = lines.get(i);
            for (int j = 0; j < i && out[i] < 0; j++) {
                double[] b = lines.get(j);
                if (a.length != b.length) continue;
                boolean same = true;
                for (int k = 0; k < a.length && same; k++) {
                    boolean va = a[k] > 0 && Double.isFinite(a[k]), vb = b[k] > 0 && Double.isFinite(b[k]);
                    same = va == vb && (!va || Math.abs(Math.log10(a[k]) - Math.log10(b[k])) <= LOG_TOLERANCE);
                }
                if (same) out[i] = j;
            }
        }
        return out;
    }
}
