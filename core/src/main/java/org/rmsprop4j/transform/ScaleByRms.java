package org.rmsprop4j.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.EpsPlacement;

/**
 * Divides by the root of a running mean of squared updates (Tieleman &amp; Hinton's RMSprop core;
 * Optax {@code scale_by_rms}):
 * <pre>{@code
 * ν ← ρ·ν + (1−ρ)·u²            // slot "square_avg", starts at initialMeanSquare; (1−ρ)·u·u as one FMA
 * ν̂ = ν / (1−ρᵗ)                // only if biasCorrection, t = the group's step
 * u ← u / (√ν̂ + ε)              // OUTSIDE;  INSIDE: u / √(ν̂ + ε)
 * }</pre>
 *
 * @param decay             ρ, in {@code [0, 1)}
 * @param eps               ε, finite and {@code >= 0}
 * @param epsPlacement      where ε is added
 * @param initialMeanSquare ν₀, finite and {@code >= 0}; 0 when biasCorrection is on
 * @param biasCorrection    divide ν by {@code 1 − ρᵗ}
 */
public record ScaleByRms(double decay, double eps, EpsPlacement epsPlacement, double initialMeanSquare, boolean biasCorrection)
        implements GradientTransform {

    /** Slot of ν. */
    public static final String SQUARE_AVG = "square_avg";

    /**
     * Validates the parameters.
     *
     * @param decay             ρ, in {@code [0, 1)}
     * @param eps               ε, finite and {@code >= 0}
     * @param epsPlacement      where ε is added
     * @param initialMeanSquare ν₀, finite and {@code >= 0}; 0 when biasCorrection is on
     * @param biasCorrection    divide ν by {@code 1 − ρᵗ}
     * @throws IllegalArgumentException if {@code decay} is outside {@code [0, 1)}, {@code eps} or {@code initialMeanSquare} is negative
     *         or not finite, {@code epsPlacement} is null, or {@code initialMeanSquare} is not 0 with {@code biasCorrection}
     */
    public ScaleByRms {
        checkCommon(decay, eps, epsPlacement, initialMeanSquare, biasCorrection);
    }

    /** ν₀ = 0, no bias correction. */
    public static ScaleByRms of(double decay, double eps, EpsPlacement epsPlacement) {
        return new ScaleByRms(decay, eps, epsPlacement, 0.0, false);
    }

    static void checkCommon(double decay, double eps, EpsPlacement epsPlacement, double initialMeanSquare, boolean biasCorrection) {
        Checks.inHalfOpen("decay", decay, 0.0, 1.0);
        Checks.nonNegative("eps", eps);
        Checks.notNull("epsPlacement", epsPlacement);
        Checks.nonNegative("initialMeanSquare", initialMeanSquare);
        if (biasCorrection && initialMeanSquare != 0.0) {
            throw Checks.invalid("initialMeanSquare", initialMeanSquare, "0 when biasCorrection is on (the correction assumes the moments start at 0)");
        }
    }

    static Map<String, Object> hyper(double decay, double eps, EpsPlacement placement, double init, boolean bc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decay", decay);
        m.put("eps", eps);
        m.put("epsPlacement", placement);
        m.put("initialMeanSquare", init);
        m.put("biasCorrection", bc);
        return m;
    }

    static double correction(boolean on, double decay, long t) { return on ? 1 - Math.pow(decay, t) : 1.0; }

    @Override public String type() { return "scale_by_rms"; }

    @Override public Map<String, Object> hyperParameters() { return hyper(decay, eps, epsPlacement, initialMeanSquare, biasCorrection); }

    @Override public boolean nonNegative(String slot) { return SQUARE_AVG.equals(slot); }

    @Override public List<String> slots() { return List.of(SQUARE_AVG); }

    @Override public double initialValue(String slot) { return initialMeanSquare; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float[] v = s[slot0];
        float rho = (float) decay, omd = (float) (1 - decay), bc = (float) correction(biasCorrection, decay, c.step());
        boolean in = epsPlacement == EpsPlacement.INSIDE;
        float epsIn = in ? (float) eps : 0f, epsOut = in ? 0f : (float) eps;
        for (int i = off, end = off + len; i < end; i++) {
            float gi = u[i];
            float vi = Math.fma(omd * gi, gi, rho * v[i]);
            v[i] = vi;
            u[i] = gi / ((float) Math.sqrt(vi / bc + epsIn) + epsOut);
        }
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double[] v = s[slot0];
        double omd = 1 - decay, bc = correction(biasCorrection, decay, c.step());
        boolean in = epsPlacement == EpsPlacement.INSIDE;
        double epsIn = in ? eps : 0, epsOut = in ? 0 : eps;
        for (int i = off, end = off + len; i < end; i++) {
            double gi = u[i];
            double vi = Math.fma(omd * gi, gi, decay * v[i]);
            v[i] = vi;
            u[i] = gi / (Math.sqrt(vi / bc + epsIn) + epsOut);
        }
    }
}
