package org.rmsprop4j.transform;

import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Coupled L2 weight decay: {@code u ← u + λ·θ} (one fused multiply-add, as PyTorch's
 * {@code grad.add(param, alpha=λ)}). Place it before the scaling transforms; for decay applied
 * after them (AdamW, Keras 3) use {@link DecoupledWeightDecay}.
 *
 * @param weightDecay λ, finite and {@code >= 0}
 */
public record AddDecayedWeights(double weightDecay) implements GradientTransform {
    /**
     * Validates the parameters.
     *
     * @param weightDecay λ, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
     */
    public AddDecayedWeights {
        Checks.nonNegative("weightDecay", weightDecay);
    }

    @Override public String type() { return "add_decayed_weights"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of("weightDecay", weightDecay); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float l = (float) weightDecay;
        for (int i = off, end = off + len; i < end; i++) u[i] = Math.fma(l, p[i], u[i]);
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        for (int i = off, end = off + len; i < end; i++) u[i] = Math.fma(weightDecay, p[i], u[i]);
    }
}
