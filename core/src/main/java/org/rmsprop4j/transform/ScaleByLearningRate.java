package org.rmsprop4j.transform;

import java.util.Map;

/**
 * {@code u ← η_t·u}, with η_t the group's learning rate for this step (its base rate with its
 * schedule applied: {@link StepContext#learningRate()}). Where it sits in a chain decides where
 * the learning rate enters: before a {@link Trace} it is inside the momentum buffer (TF, Keras,
 * Optax, Graves), after it outside (PyTorch). The two agree only while η is constant.
 */
public record ScaleByLearningRate() implements GradientTransform {

    @Override public String type() { return "scale_by_learning_rate"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of(); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float lr = (float) c.learningRate();
        for (int i = off, end = off + len; i < end; i++) u[i] = lr * u[i];
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double lr = c.learningRate();
        for (int i = off, end = off + len; i < end; i++) u[i] = lr * u[i];
    }
}
