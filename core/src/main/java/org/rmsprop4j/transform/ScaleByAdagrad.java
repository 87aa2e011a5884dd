package org.rmsprop4j.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * AdaGrad's scaling (Duchi et al.; PyTorch's placement of ε): {@code s ← s + u²} (slot {@code "sum"},
 * starts at initialAccumulator), {@code u ← u / (√s + ε)}.
 *
 * @param eps                ε, finite and {@code >= 0}
 * @param initialAccumulator s₀, finite and {@code >= 0}
 */
public record ScaleByAdagrad(double eps, double initialAccumulator) implements GradientTransform {

    /** Slot of the running sum s of squared updates. */
    public static final String SUM = "sum";

    /**
     * Validates the parameters.
     *
     * @param eps                ε, finite and {@code >= 0}
     * @param initialAccumulator s₀, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code eps} or {@code initialAccumulator} is negative or not finite
     */
    public ScaleByAdagrad {
        Checks.nonNegative("eps", eps);
        Checks.nonNegative("initialAccumulator", initialAccumulator);
    }

    @Override public String type() { return "scale_by_adagrad"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eps", eps);
        m.put("initialAccumulator", initialAccumulator);
        return m;
    }

    @Override public boolean nonNegative(String slot) { return true; }

    @Override public List<String> slots() { return List.of(SUM); }

    @Override public double initialValue(String slot) { return initialAccumulator; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float[] sum = s[slot0];
        float e = (float) eps;
        for (int i = off, end = off + len; i < end; i++) {
            float gi = u[i];
            float si = Math.fma(gi, gi, sum[i]);
            sum[i] = si;
            u[i] = gi / ((float) Math.sqrt(si) + e);
        }
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double[] sum = s[slot0];
        for (int i = off, end = off + len; i < end; i++) {
            double gi = u[i];
            double si = Math.fma(gi, gi, sum[i]);
            sum[i] = si;
            u[i] = gi / (Math.sqrt(si) + eps);
        }
    }
}
