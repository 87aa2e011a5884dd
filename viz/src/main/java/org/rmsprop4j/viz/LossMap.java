package org.rmsprop4j.viz;

import java.util.Arrays;

import org.rmsprop4j.sim.Surface;

/**
 * The shading of a loss surface, computed once and shared by every renderer (PNG, SVG, GIF and the
 * playground page), so that they all show the same colours, the same contour levels and the same
 * colour key.
 *
 * <p>Values are {@code log10(f(x, y) − min + floor)} at the centres of an {@code n × n} grid over
 * the surface's domain, row-major, row 0 at the bottom ({@code yMin}). {@code floor} is
 * {@code max(1e-12, 1e-7 · largest value)}, so the minimum itself is finite. The colour range
 * {@link #lo()}..{@link #hi()} and the contour {@link #levels()} come from a fixed reference grid
 * ({@value #REFERENCE} cells a side) whatever {@code n} is: the 0.2nd percentile to the maximum.
 * Immutable.
 */
public final class LossMap {

    /** Cells per side of the grid the colour range and contour levels are taken from. */
    public static final int REFERENCE = 220;
    /** Number of contour levels, evenly spaced in log-loss strictly between lo and hi. */
    public static final int LEVELS = 14;
    /** Accepted grid sizes. */
    public static final int MIN_N = 8, MAX_N = 400;

    private final Surface surface;
    private final int n;
    private final double[] values;
    private final double lo, hi, floor;

    private LossMap(Surface surface, int n, double[] values, double lo, double hi, double floor) {
        this.surface = surface;
        this.n = n;
        this.values = values;
        this.lo = lo;
        this.hi = hi;
        this.floor = floor;
    }

    /**
     * The map of {@code surface} on an {@code n × n} grid.
     *
     * @throws IllegalArgumentException if {@code n} is not in [{@value #MIN_N}, {@value #MAX_N}]
     */
    public static LossMap of(Surface surface, int n) {
        if (surface == null) throw new IllegalArgumentException("surface must not be null");
        if (n < MIN_N || n > MAX_N) throw new IllegalArgumentException("n must be in [" + MIN_N + ", " + MAX_N + "], got " + n);
        double[] ref = raw(surface, REFERENCE);
        double floor = floorOf(ref);
        double[] refLog = logs(ref, floor);
        double[] sorted = refLog.clone();
        Arrays.sort(sorted);
        double lo = sorted[(int) (0.002 * (sorted.length - 1))], hi = sorted[sorted.length - 1];
        if (!(hi > lo)) hi = lo + 1;
        double[] v = n == REFERENCE ? refLog : logs(raw(surface, n), floor);
        return new LossMap(surface, n, v, lo, hi, floor);
    }

    private static double[] raw(Surface s, int n) {
        Surface.Domain d = s.domain();
        double[] f = new double[n * n];
        for (int j = 0; j < n; j++) {
            double y = d.yMin() + (j + 0.5) * d.height() / n;
            for (int i = 0; i < n; i++) {
                double x = d.xMin() + (i + 0.5) * d.width() / n;
                f[j * n + i] = s.value(x, y) - s.minValue();
            }
        }
        return f;
    }

    private static double floorOf(double[] f) {
        double max = -Double.MAX_VALUE;
        for (double v : f) if (Double.isFinite(v)) max = Math.max(max, v);
        return Math.max(1e-12, 1e-7 * max);
    }

    private static double[] logs(double[] f, double floor) {
        double max = -Double.MAX_VALUE;
        for (double v : f) if (Double.isFinite(v)) max = Math.max(max, v);
        double[] out = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            double v = Double.isFinite(f[k]) ? f[k] : max;
            out[k] = Math.log10(Math.max(v, 0) + floor);
        }
        return out;
    }

    public Surface surface() { return surface; }

    /** Cells per side. */
    public int n() { return n; }

    /** The log-loss grid (a copy): {@code n·n} values, row-major, row 0 at {@code yMin}. */
    public double[] values() { return values.clone(); }

    double value(int i, int j) { return values[j * n + i]; }

    /** Bottom of the colour range, in log10 units. */
    public double lo() { return lo; }

    /** Top of the colour range, in log10 units. */
    public double hi() { return hi; }

    /** The floor added before taking the log. */
    public double floor() { return floor; }

    /** The contour levels, in log10 units, evenly spaced strictly inside (lo, hi). */
    public double[] levels() {
        double[] l = new double[LEVELS];
        for (int k = 1; k <= LEVELS; k++) l[k - 1] = lo + (hi - lo) * k / (LEVELS + 1.0);
        return l;
    }

    /** The shade ({@code 0xRRGGBB}) of a log-loss value: {@link Palette#ramp} of its place in [lo, hi]. */
    public int color(double logLoss) { return Palette.ramp((logLoss - lo) / (hi - lo)); }

    /** The ramp's stops as {@code 0xRRGGBB}, low to high, for renderers that interpolate themselves. */
    public static int[] rampStops() { return Palette.rampStops(); }
}
