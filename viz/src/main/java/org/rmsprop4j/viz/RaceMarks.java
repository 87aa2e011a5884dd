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

    /** Two frames coincide when they are closer than this fraction of the domain's larger side (about a pixel). */
    public static final double PATH_TOLERANCE = 2e-3;
    /** A path hides under an earlier one when at least this fraction of its frames coincide with that one's. */
    public static final double PATH_OVERLAP = 0.5;
    /** Two log-scale chart lines coincide when every pair of points differs by less than this many decades. */
    public static final double LOG_TOLERANCE = 2e-3;

    /** The first frame at which {@code t} is outside its surface's domain, or −1 if it never leaves it. */
    public static int leftDomainAt(Trajectory t) {
        Surface.Domain d = t.surface().domain();
        for (int k = 0; k < t.frames(); k++) if (!d.contains(t.x(k), t.y(k))) return k;
        return -1;
    }

    /**
     * For each trajectory, the index of the first earlier one whose path it overlaps: at least
     * {@link #PATH_OVERLAP} of its frames lie within {@link #PATH_TOLERANCE} of the domain of the
     * other's frame at the same step (frames past the other's end count as apart), or −1.
     * Renderers draw such a path dashed over the other and say so in the legend.
     */
    public static int[] samePathAs(List<Trajectory> ts) {
        int[] out = new int[ts.size()];
        for (int i = 0; i < ts.size(); i++) {
            out[i] = -1;
            Trajectory a = ts.get(i);
            Surface.Domain d = a.surface().domain();
            double tol = PATH_TOLERANCE * Math.max(d.width(), d.height());
            for (int j = 0; j < i && out[i] < 0; j++) {
                Trajectory b = ts.get(j);
                int close = 0, common = Math.min(a.frames(), b.frames());
                for (int k = 0; k < common; k++) {
                    if (Math.abs(a.x(k) - b.x(k)) <= tol && Math.abs(a.y(k) - b.y(k)) <= tol) close++;
                }
                if (close >= PATH_OVERLAP * a.frames()) out[i] = j;
            }
        }
        return out;
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
