package org.rmsprop4j.transform;

import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Decoupled weight decay scaled by the step's learning rate: {@code u ← u + (λ·η_t)·θ}, so that the
 * step becomes {@code θ ← θ − u_before − λ·η_t·θ} (Loshchilov &amp; Hutter; PyTorch AdamW, Keras 3).
 * Place it after {@link ScaleByLearningRate}.
 *
 * @param weightDecay λ, finite and {@code >= 0}
 */
public record DecoupledWeightDecay(double weightDecay) implements GradientTransform {
    /**
     * Validates the parameters.
     *
     * @param weightDecay λ, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
     */
    public DecoupledWeightDecay {
        Checks.nonNegative("weightDecay", weightDecay);
    }

    @Override public String type() { return "decoupled_weight_decay"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of("weightDecay", weightDecay); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float l = (float) (weightDecay * c.learningRate());
        for (int i = off, end = off + len; i < end; i++) u[i] = Math.fma(l, p[i], u[i]);
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double l = weightDecay * c.learningRate();
        for (int i = off, end = off + len; i < end; i++) u[i] = Math.fma(l, p[i], u[i]);
    }
}
