package org.rmsprop4j.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Adam's scaling (Kingma &amp; Ba; Optax {@code scale_by_adam}, with PyTorch's placement of ε):
 * <pre>{@code
 * m ← β1·m + (1−β1)·u            // slot "exp_avg"
 * v ← β2·v + (1−β2)·u²           // slot "exp_avg_sq"
 * v̄ = max(v̄, v) if amsgrad       // slot "max_exp_avg_sq"; else v̄ = v
 * u ← (m/(1−β1ᵗ)) / (√v̄/√(1−β2ᵗ) + ε)
 * }</pre>
 *
 * @param beta1   β1 in {@code [0, 1)}
 * @param beta2   β2 in {@code [0, 1)}
 * @param eps     ε, finite and {@code >= 0}
 * @param amsgrad keep the running maximum of v
 */
public record ScaleByAdam(double beta1, double beta2, double eps, boolean amsgrad) implements GradientTransform {

    /** Slot of the first moment m. */
    public static final String EXP_AVG = "exp_avg";
    /** Slot of the second moment v. */
    public static final String EXP_AVG_SQ = "exp_avg_sq";
    /** Slot of the running maximum of v (AMSGrad only). */
    public static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    /**
     * Validates the parameters.
     *
     * @param beta1   β1 in {@code [0, 1)}
     * @param beta2   β2 in {@code [0, 1)}
     * @param eps     ε, finite and {@code >= 0}
     * @param amsgrad keep the running maximum of v
     * @throws IllegalArgumentException if {@code beta1} or {@code beta2} is outside {@code [0, 1)}, or {@code eps} is negative or not finite
     */
    public ScaleByAdam {
        Checks.inHalfOpen("beta1", beta1, 0.0, 1.0);
        Checks.inHalfOpen("beta2", beta2, 0.0, 1.0);
        Checks.nonNegative("eps", eps);
    }

    @Override public String type() { return "scale_by_adam"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("eps", eps);
        m.put("amsgrad", amsgrad);
        return m;
    }

    @Override public boolean nonNegative(String slot) { return !EXP_AVG.equals(slot); }

    @Override public List<String> slots() { return amsgrad ? List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : List.of(EXP_AVG, EXP_AVG_SQ); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float[] m = s[slot0], v = s[slot0 + 1], vm = amsgrad ? s[slot0 + 2] : null;
        long t = c.step();
        float b1 = (float) beta1, omb1 = (float) (1 - beta1), b2 = (float) beta2, omb2 = (float) (1 - beta2);
        float bc1 = (float) (1 - Math.pow(beta1, t)), bc2sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t)), e = (float) eps;
        for (int i = off, end = off + len; i < end; i++) {
            float gi = u[i];
            float mi = Math.fma(omb1, gi, b1 * m[i]);
            m[i] = mi;
            float vi = Math.fma(omb2 * gi, gi, b2 * v[i]);
            v[i] = vi;
            if (vm != null) {
                vi = Math.max(vm[i], vi);
                vm[i] = vi;
            }
            u[i] = (mi / bc1) / ((float) Math.sqrt(vi) / bc2sqrt + e);
        }
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double[] m = s[slot0], v = s[slot0 + 1], vm = amsgrad ? s[slot0 + 2] : null;
        long t = c.step();
        double omb1 = 1 - beta1, omb2 = 1 - beta2, bc1 = 1 - Math.pow(beta1, t), bc2sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        for (int i = off, end = off + len; i < end; i++) {
            double gi = u[i];
            double mi = Math.fma(omb1, gi, beta1 * m[i]);
            m[i] = mi;
            double vi = Math.fma(omb2 * gi, gi, beta2 * v[i]);
            v[i] = vi;
            if (vm != null) {
                vi = Math.max(vm[i], vi);
                vm[i] = vi;
            }
            u[i] = (mi / bc1) / (Math.sqrt(vi) / bc2sqrt + eps);
        }
    }
}
