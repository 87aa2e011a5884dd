package org.rmsprop4j.transform;

import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Runs {@code inner} only when the whole group's update is finite; otherwise the update becomes 0
 * (the parameters do not move) and {@code inner}'s state is left exactly as it was (Optax
 * {@code apply_if_finite}, per group). The group's step count still advances; for a skip that
 * does not count as a step, use the optimizer's {@code NonFinitePolicy.SKIP}.
 *
 * @param inner the transform to protect
 */
public record ApplyIfFinite(GradientTransform inner) implements GradientTransform {
    /**
     * Validates the parameters.
     *
     * @param inner the transform to protect
     * @throws IllegalArgumentException if {@code inner} is null or an arithmetic profile (which returns parameters, not an update)
     */
    public ApplyIfFinite {
        Checks.notNull("inner", inner);
        if (inner.producesParameters()) {
            throw Checks.invalid("inner", inner.type(), "a transform that returns an update (an arithmetic profile returns the new"
                    + " parameters and cannot be wrapped: use the library's own arithmetic, arithmetic PYTORCH_1_13, inside)");
        }
    }

    @Override public String type() { return "apply_if_finite"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of("inner", inner); }

    @Override public boolean nonNegative(String slot) { return inner.nonNegative(slot); }

    @Override public List<String> slots() { return inner.slots(); }

    @Override public double initialValue(String slot) { return inner.initialValue(slot); }

    @Override public boolean elementwise() { return false; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        for (int i = off, end = off + len; i < end; i++) {
            if (!Float.isFinite(u[i])) {
                java.util.Arrays.fill(u, off, off + len, 0f);
                return;
            }
        }
        inner.update(u, p, s, slot0, off, len, c);
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        for (int i = off, end = off + len; i < end; i++) {
            if (!Double.isFinite(u[i])) {
                java.util.Arrays.fill(u, off, off + len, 0d);
                return;
            }
        }
        inner.update(u, p, s, slot0, off, len, c);
    }

    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        for (int r = 0, n = c.runCount(); r < n; r++) {
            for (int i = c.runOffset(r), end = i + c.runLength(r); i < end; i++) {
                if (!Float.isFinite(u[i])) {
                    for (int q = 0; q < n; q++) java.util.Arrays.fill(u, c.runOffset(q), c.runOffset(q) + c.runLength(q), 0f);
                    return;
                }
            }
        }
        inner.updateGroup(u, p, s, slot0, c);
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        for (int r = 0, n = c.runCount(); r < n; r++) {
            for (int i = c.runOffset(r), end = i + c.runLength(r); i < end; i++) {
                if (!Double.isFinite(u[i])) {
                    for (int q = 0; q < n; q++) java.util.Arrays.fill(u, c.runOffset(q), c.runOffset(q) + c.runLength(q), 0d);
                    return;
                }
            }
        }
        inner.updateGroup(u, p, s, slot0, c);
    }
}
