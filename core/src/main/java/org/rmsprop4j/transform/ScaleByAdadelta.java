package org.rmsprop4j.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Adadelta's scaling (Zeiler 2012, as PyTorch computes it):
 * <pre>{@code
 * v ← ρ·v + (1−ρ)·u²                  // slot "square_avg"
 * δ = √(a + ε) / √(v + ε) · u
 * a ← ρ·a + (1−ρ)·δ²                  // slot "acc_delta"
 * u ← δ
 * }</pre>
 *
 * @param rho ρ in {@code [0, 1]}
 * @param eps ε, finite and {@code >= 0}
 */
public record ScaleByAdadelta(double rho, double eps) implements GradientTransform {

    /** Slot of the running mean v of squared updates in. */
    public static final String SQUARE_AVG = "square_avg";
    /** Slot of the running mean a of squared updates out, δ². */
    public static final String ACC_DELTA = "acc_delta";

    /**
     * Validates the parameters.
     *
     * @param rho ρ in {@code [0, 1]}
     * @param eps ε, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code rho} is outside {@code [0, 1]} or {@code eps} is negative or not finite
     */
    public ScaleByAdadelta {
        Checks.inClosed("rho", rho, 0.0, 1.0);
        Checks.nonNegative("eps", eps);
    }

    @Override public String type() { return "scale_by_adadelta"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rho", rho);
        m.put("eps", eps);
        return m;
    }

    @Override public boolean nonNegative(String slot) { return true; }

    @Override public List<String> slots() { return List.of(SQUARE_AVG, ACC_DELTA); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float[] v = s[slot0], acc = s[slot0 + 1];
        float r = (float) rho, omr = (float) (1 - rho), e = (float) eps;
        for (int i = off, end = off + len; i < end; i++) {
            float gi = u[i];
            float vi = Math.fma(omr * gi, gi, r * v[i]);
            v[i] = vi;
            float delta = (float) Math.sqrt(acc[i] + e) / (float) Math.sqrt(vi + e) * gi;
            acc[i] = Math.fma(omr * delta, delta, r * acc[i]);
            u[i] = delta;
        }
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double[] v = s[slot0], acc = s[slot0 + 1];
        double omr = 1 - rho;
        for (int i = off, end = off + len; i < end; i++) {
            double gi = u[i];
            double vi = Math.fma(omr * gi, gi, rho * v[i]);
            v[i] = vi;
            double delta = Math.sqrt(acc[i] + eps) / Math.sqrt(vi + eps) * gi;
            acc[i] = Math.fma(omr * delta, delta, rho * acc[i]);
            u[i] = delta;
        }
    }
}
