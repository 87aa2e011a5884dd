package org.rmsprop4j.transform;

import java.util.Map;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.internal.ClipOps;

/**
 * Rescales the whole group's update when its joint Euclidean norm exceeds {@code maxNorm} (Optax
 * {@code clip_by_global_norm}; PyTorch {@code clip_grad_norm_} over the group). Norm accumulated in
 * double, run by run in layout order. A zero or non-finite norm leaves the update as it is.
 *
 * @param maxNorm finite and {@code > 0}
 */
public record ClipByGlobalNorm(double maxNorm) implements GradientTransform {
    /**
     * Validates the parameters.
     *
     * @param maxNorm finite and {@code > 0}
     * @throws IllegalArgumentException unless {@code maxNorm} is finite and {@code > 0}
     */
    public ClipByGlobalNorm {
        Checks.positive("maxNorm", maxNorm);
    }

    @Override public String type() { return "clip_by_global_norm"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of("maxNorm", maxNorm); }

    @Override public boolean elementwise() { return false; }

    /** On a sub-range alone this clips that range by its own norm; the optimizer calls {@link #updateGroup}. */
    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        ClipOps.scaleInPlace(u, off, len, ClipOps.exactFactor(Math.sqrt(ClipOps.sumOfSquares(u, off, len)), maxNorm));
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        ClipOps.scaleInPlace(u, off, len, ClipOps.exactFactor(Math.sqrt(ClipOps.sumOfSquares(u, off, len)), maxNorm));
    }

    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        double ss = 0;
        for (int r = 0, n = c.runCount(); r < n; r++) ss += ClipOps.sumOfSquares(u, c.runOffset(r), c.runLength(r));
        double f = ClipOps.exactFactor(Math.sqrt(ss), maxNorm);
        for (int r = 0, n = c.runCount(); r < n; r++) ClipOps.scaleInPlace(u, c.runOffset(r), c.runLength(r), f);
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        double ss = 0;
        for (int r = 0, n = c.runCount(); r < n; r++) ss += ClipOps.sumOfSquares(u, c.runOffset(r), c.runLength(r));
        double f = ClipOps.exactFactor(Math.sqrt(ss), maxNorm);
        for (int r = 0, n = c.runCount(); r < n; r++) ClipOps.scaleInPlace(u, c.runOffset(r), c.runLength(r), f);
    }
}
