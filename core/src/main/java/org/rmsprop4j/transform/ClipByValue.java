package org.rmsprop4j.transform;

import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * {@code u ← min(max(u, −c), c)} element by element (Optax {@code clip}, MXNet {@code clip_gradient}).
 *
 * @param limit c, {@code > 0} ({@code +∞} allowed: no clipping)
 */
public record ClipByValue(double limit) implements GradientTransform {
    /**
     * Validates the parameters.
     *
     * @param limit c, {@code > 0} ({@code +∞} allowed: no clipping)
     * @throws IllegalArgumentException unless {@code limit > 0} (NaN is refused; {@code +∞} is accepted)
     */
    public ClipByValue {
        if (!(limit > 0)) throw Checks.invalid("limit", limit, "> 0");
    }

    @Override public String type() { return "clip_by_value"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of("limit", limit); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float l = (float) limit;
        for (int i = off, end = off + len; i < end; i++) u[i] = Math.min(Math.max(u[i], -l), l);
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        for (int i = off, end = off + len; i < end; i++) u[i] = Math.min(Math.max(u[i], -limit), limit);
    }
}
