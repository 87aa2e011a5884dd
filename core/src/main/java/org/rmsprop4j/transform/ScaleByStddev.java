package org.rmsprop4j.transform;

import java.util.List;
import java.util.Map;

import org.rmsprop4j.optim.EpsPlacement;

/**
 * Centered RMSprop (Graves 2013; Optax {@code scale_by_stddev}): divides by the running standard
 * deviation instead of the root mean square.
 * <pre>{@code
 * ν ← ρ·ν + (1−ρ)·u²      // slot "square_avg", starts at initialMeanSquare
 * μ ← ρ·μ + (1−ρ)·u       // slot "grad_avg", starts at 0
 * s = max(ν̂ − μ̂², 0)      // hats: divided by 1−ρᵗ if biasCorrection; clamped so rounding never gives NaN
 * u ← u / (√s + ε)        // OUTSIDE;  INSIDE: u / √(s + ε)
 * }</pre>
 * Departure from PyTorch and Optax: the clamp at 0 (they take the root of a rounding-negative
 * difference and produce NaN); wherever the difference is positive the result is the same.
 */
public record ScaleByStddev(double decay, double eps, EpsPlacement epsPlacement, double initialMeanSquare, boolean biasCorrection)
        implements GradientTransform {

    /** Slot of μ. */
    public static final String GRAD_AVG = "grad_avg";

    /**
     * Validates the parameters.
     *
     * @throws IllegalArgumentException as {@link ScaleByRms}: {@code decay} outside {@code [0, 1)}, {@code eps} or
     *         {@code initialMeanSquare} negative or not finite, a null {@code epsPlacement}, or a non-zero
     *         {@code initialMeanSquare} with {@code biasCorrection}
     */
    public ScaleByStddev {
        ScaleByRms.checkCommon(decay, eps, epsPlacement, initialMeanSquare, biasCorrection);
    }

    /** ν₀ = 0, no bias correction. */
    public static ScaleByStddev of(double decay, double eps, EpsPlacement epsPlacement) {
        return new ScaleByStddev(decay, eps, epsPlacement, 0.0, false);
    }

    @Override public String type() { return "scale_by_stddev"; }

    @Override public Map<String, Object> hyperParameters() { return ScaleByRms.hyper(decay, eps, epsPlacement, initialMeanSquare, biasCorrection); }

    @Override public boolean nonNegative(String slot) { return ScaleByRms.SQUARE_AVG.equals(slot); }

    @Override public List<String> slots() { return List.of(ScaleByRms.SQUARE_AVG, GRAD_AVG); }

    @Override public double initialValue(String slot) { return ScaleByRms.SQUARE_AVG.equals(slot) ? initialMeanSquare : 0.0; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        float[] v = s[slot0], a = s[slot0 + 1];
        float rho = (float) decay, omd = (float) (1 - decay), bc = (float) ScaleByRms.correction(biasCorrection, decay, c.step());
        boolean in = epsPlacement == EpsPlacement.INSIDE;
        float epsIn = in ? (float) eps : 0f, epsOut = in ? 0f : (float) eps;
        for (int i = off, end = off + len; i < end; i++) {
            float gi = u[i];
            float vi = Math.fma(omd * gi, gi, rho * v[i]);
            v[i] = vi;
            float ai = Math.fma(omd, gi, rho * a[i]);
            a[i] = ai;
            float ah = ai / bc;
            float var = Math.max(Math.fma(-ah, ah, vi / bc), 0f);
            u[i] = gi / ((float) Math.sqrt(var + epsIn) + epsOut);
        }
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        double[] v = s[slot0], a = s[slot0 + 1];
        double omd = 1 - decay, bc = ScaleByRms.correction(biasCorrection, decay, c.step());
        boolean in = epsPlacement == EpsPlacement.INSIDE;
        double epsIn = in ? eps : 0, epsOut = in ? 0 : eps;
        for (int i = off, end = off + len; i < end; i++) {
            double gi = u[i];
            double vi = Math.fma(omd * gi, gi, decay * v[i]);
            v[i] = vi;
            double ai = Math.fma(omd, gi, decay * a[i]);
            a[i] = ai;
            double ah = ai / bc;
            double var = Math.max(Math.fma(-ah, ah, vi / bc), 0d);
            u[i] = gi / (Math.sqrt(var + epsIn) + epsOut);
        }
    }
}
