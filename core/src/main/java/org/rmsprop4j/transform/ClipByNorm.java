package org.rmsprop4j.transform;

import java.util.Map;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.internal.ClipOps;

/**
 * Rescales each parameter tensor's update whose Euclidean norm exceeds {@code maxNorm} to that norm
 * (norm accumulated in double). A zero or non-finite norm leaves the tensor as it is.
 *
 * @param maxNorm finite and {@code > 0}
 */
public record ClipByNorm(double maxNorm) implements GradientTransform {
    /**
     * Validates the parameters.
     *
     * @param maxNorm finite and {@code > 0}
     * @throws IllegalArgumentException unless {@code maxNorm} is finite and {@code > 0}
     */
    public ClipByNorm {
        Checks.positive("maxNorm", maxNorm);
    }

    @Override public String type() { return "clip_by_norm"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of("maxNorm", maxNorm); }

    @Override public boolean elementwise() { return false; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        ClipOps.scaleInPlace(u, off, len, ClipOps.exactFactor(Math.sqrt(ClipOps.sumOfSquares(u, off, len)), maxNorm));
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        ClipOps.scaleInPlace(u, off, len, ClipOps.exactFactor(Math.sqrt(ClipOps.sumOfSquares(u, off, len)), maxNorm));
    }

    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        for (int t = 0, n = c.tensorCount(); t < n; t++) update(u, p, s, slot0, c.tensorOffset(t), c.tensorLength(t), c);
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        for (int t = 0, n = c.tensorCount(); t < n; t++) update(u, p, s, slot0, c.tensorOffset(t), c.tensorLength(t), c);
    }
}
