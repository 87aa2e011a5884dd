package org.rmsprop4j.transform;

import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * {@code u ← s·u}: a constant factor (MXNet's {@code rescale_grad}; {@code −1} maximizes, as
 * PyTorch's {@code maximize}).
 *
 * @param factor s, finite and non-zero
 */
public record Scale(double factor) implements GradientTransform {
    /**
     * Validates the parameters.
     *
     * @param factor s, finite and non-zero
     * @throws IllegalArgumentException if {@code factor} is 0 or not finite
     */
    public Scale {
        if (!Double.isFinite(factor) || factor == 0) throw Checks.invalid("factor", factor, "a finite number other than 0");
    }

    @Override public String type() { return "scale"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of("factor", factor); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float f = (float) factor;
        for (int i = off, end = off + len; i < end; i++) u[i] = f * u[i];
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        for (int i = off, end = off + len; i < end; i++) u[i] = factor * u[i];
    }
}
