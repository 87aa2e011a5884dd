package org.rmsprop4j.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Gradient accumulation over {@code k} micro-steps (Optax {@code MultiSteps}): every step adds the
 * update to slot {@code "acc"} and leaves the parameters where they are (update 0); every k-th
 * step hands the mean {@code acc/k} to {@code inner}, on inner's own clock (inner step
 * {@code t/k}), applies its result and clears {@code acc}. The learning rate {@code inner} sees is
 * the group's rate at that k-th step.
 *
 * @param every k, {@code >= 1}
 * @param inner the transform to run on the mean
 */
public record MultiSteps(int every, GradientTransform inner) implements GradientTransform {

    /** Slot of the accumulated updates since the inner transform last ran. */
    public static final String ACC = "acc";

    /**
     * Validates the parameters.
     *
     * @param every k, {@code >= 1}
     * @param inner the transform to run on the mean
     * @throws IllegalArgumentException if {@code every < 1}, {@code inner} is null, or {@code inner} is an arithmetic profile
     *         (which returns parameters, not an update)
     */
    public MultiSteps {
        Checks.atLeast("every", every, 1);
        Checks.notNull("inner", inner);
        if (inner.producesParameters()) {
            throw Checks.invalid("inner", inner.type(), "a transform that returns an update (an arithmetic profile returns the new"
                    + " parameters and cannot be wrapped: use the library's own arithmetic, arithmetic PYTORCH_1_13, inside)");
        }
        if (inner.slots().contains(ACC)) throw Checks.invalid("slots of inner", inner.slots(), "names other than '" + ACC + "'");
    }

    @Override public String type() { return "multi_steps"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("every", every);
        m.put("inner", inner);
        return m;
    }

    @Override public boolean nonNegative(String slot) { return !ACC.equals(slot) && inner.nonNegative(slot); }

    @Override public List<String> slots() {
        List<String> s = new ArrayList<>();
        s.add(ACC);
        s.addAll(inner.slots());
        return List.copyOf(s);
    }

    @Override public double initialValue(String slot) { return ACC.equals(slot) ? 0.0 : inner.initialValue(slot); }

    @Override public boolean elementwise() { return false; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        throw new UnsupportedOperationException("multi_steps runs on the whole group (updateGroup)");
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        throw new UnsupportedOperationException("multi_steps runs on the whole group (updateGroup)");
    }

    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        float[] acc = s[slot0];
        boolean emit = c.step() % every == 0;
        float inv = (float) (1.0 / every);
        for (int r = 0, n = c.runCount(); r < n; r++) {
            for (int i = c.runOffset(r), end = i + c.runLength(r); i < end; i++) {
                float a = acc[i] + u[i];
                if (emit) {
                    u[i] = every == 1 ? a : a * inv;
                    acc[i] = 0f;
                } else {
                    acc[i] = a;
                    u[i] = 0f;
                }
            }
        }
        if (emit) inner.updateGroup(u, p, s, slot0 + 1, c.withStep(c.step() / every));
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        double[] acc = s[slot0];
        boolean emit = c.step() % every == 0;
        double inv = 1.0 / every;
        for (int r = 0, n = c.runCount(); r < n; r++) {
            for (int i = c.runOffset(r), end = i + c.runLength(r); i < end; i++) {
                double a = acc[i] + u[i];
                if (emit) {
                    u[i] = every == 1 ? a : a * inv;
                    acc[i] = 0d;
                } else {
                    acc[i] = a;
                    u[i] = 0d;
                }
            }
        }
        if (emit) inner.updateGroup(u, p, s, slot0 + 1, c.withStep(c.step() / every));
    }
}
