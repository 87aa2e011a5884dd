package org.rmsprop4j.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Momentum (Optax {@code trace}, PyTorch's momentum buffer):
 * <pre>{@code
 * b ← β·b + (1−δ)·u        // slot "momentum_buffer", from 0; on step 1 with dampening δ > 0, b ← u (PyTorch SGD)
 * u ← b                    // nesterov: u ← u + β·b
 * }</pre>
 * Before {@link ScaleByLearningRate} the learning rate stays outside the buffer (PyTorch), after it
 * inside (TF, Keras, Optax).
 *
 * @param momentum   β, finite and {@code >= 0}
 * @param dampening  δ, in {@code [0, 1]} (PyTorch SGD's {@code dampening})
 * @param nesterov   Nesterov's form; requires β {@code > 0}
 */
public record Trace(double momentum, double dampening, boolean nesterov) implements GradientTransform {

    /** Slot of the buffer b. */
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    /**
     * Validates the parameters.
     *
     * @param momentum   β, finite and {@code >= 0}
     * @param dampening  δ, in {@code [0, 1]} (PyTorch SGD's {@code dampening})
     * @param nesterov   Nesterov's form; requires β {@code > 0}
     * @throws IllegalArgumentException if {@code momentum} is negative or not finite, {@code dampening} is outside {@code [0, 1]}, or
     *         {@code nesterov} is asked for with momentum 0 or with dampening
     */
    public Trace {
        Checks.nonNegative("momentum", momentum);
        Checks.inClosed("dampening", dampening, 0.0, 1.0);
        if (nesterov && momentum == 0) throw Checks.invalid("nesterov", true, "false when momentum is 0 (Nesterov needs momentum > 0)");
        if (nesterov && dampening != 0) throw Checks.invalid("dampening", dampening, "0 with nesterov (as PyTorch requires)");
    }

    /** No dampening. */
    public static Trace of(double momentum, boolean nesterov) { return new Trace(momentum, 0.0, nesterov); }

    @Override public String type() { return "trace"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("momentum", momentum);
        m.put("dampening", dampening);
        m.put("nesterov", nesterov);
        return m;
    }

    @Override public List<String> slots() { return List.of(MOMENTUM_BUFFER); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float[] b = s[slot0];
        boolean copy = dampening > 0 && c.step() == 1;
        float keep = copy ? 0f : (float) momentum, cg = copy ? 1f : (float) (1 - dampening), m = (float) momentum;
        for (int i = off, end = off + len; i < end; i++) {
            float ui = u[i];
            float bi = Math.fma(cg, ui, keep * b[i]);
            b[i] = bi;
            u[i] = nesterov ? Math.fma(m, bi, ui) : bi;
        }
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double[] b = s[slot0];
        boolean copy = dampening > 0 && c.step() == 1;
        double keep = copy ? 0 : momentum, cg = copy ? 1 : 1 - dampening;
        for (int i = off, end = off + len; i < end; i++) {
            double ui = u[i];
            double bi = Math.fma(cg, ui, keep * b[i]);
            b[i] = bi;
            u[i] = nesterov ? Math.fma(momentum, bi, ui) : bi;
        }
    }
}
