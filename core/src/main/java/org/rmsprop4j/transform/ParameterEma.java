package org.rmsprop4j.transform;

import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * An exponential moving average of the parameters after each step (Polyak averaging; timm's
 * {@code ModelEmaV2}), kept in slot {@code "ema"} and read with {@code Optimizer.state(param, "ema")}.
 * Leaves the update as it is; put it last in a chain.
 * <pre>{@code
 * θ' = θ − u;   ema ← θ' on the group's first step, else ema ← d·ema + (1−d)·θ'
 * }</pre>
 *
 * @param decay d in {@code [0, 1)}
 */
public record ParameterEma(double decay) implements GradientTransform {

    /** Slot of the parameters' moving average. */
    public static final String EMA = "ema";

    /**
     * Validates the parameters.
     *
     * @param decay d in {@code [0, 1)}
     * @throws IllegalArgumentException if {@code decay} is outside {@code [0, 1)}
     */
    public ParameterEma {
        Checks.inHalfOpen("decay", decay, 0.0, 1.0);
    }

    @Override public String type() { return "parameter_ema"; }

    @Override public Map<String, Object> hyperParameters() { return Map.of("decay", decay); }

    @Override public List<String> slots() { return List.of(EMA); }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float[] e = s[slot0];
        float d = (float) decay, omd = (float) (1 - decay);
        boolean first = c.step() == 1;
        for (int i = off, end = off + len; i < end; i++) {
            float next = p[i] - u[i];
            e[i] = first ? next : Math.fma(omd, next, d * e[i]);
        }
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double[] e = s[slot0];
        double omd = 1 - decay;
        boolean first = c.step() == 1;
        for (int i = off, end = off + len; i < end; i++) {
            double next = p[i] - u[i];
            e[i] = first ? next : Math.fma(omd, next, decay * e[i]);
        }
    }
}
