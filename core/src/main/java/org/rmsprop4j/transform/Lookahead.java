package org.rmsprop4j.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;

/**
 * Lookahead (Zhang et al. 2019): {@code inner} moves the fast weights every step; every k-th step
 * the slow weights (slot {@code "slow"}, taken from the parameters on the group's first step) move
 * a fraction α towards them and the parameters are reset to the slow weights:
 * <pre>{@code
 * fast = θ − inner(u)
 * every k-th step:  slow ← slow + α·(fast − slow);  θ ← slow      else θ ← fast
 * }</pre>
 * Expressed as an update {@code u = θ − target}, so {@code θ − u} may differ from the target in the
 * last bit.
 *
 * @param every k, {@code >= 1}
 * @param alpha α in {@code (0, 1]}
 * @param inner the fast optimizer
 */
public record Lookahead(int every, double alpha, GradientTransform inner) implements GradientTransform {

    /** Slot of the slow weights. */
    public static final String SLOW = "slow";

    /**
     * Validates the parameters.
     *
     * @param every k, {@code >= 1}
     * @param alpha α in {@code (0, 1]}
     * @param inner the fast optimizer
     * @throws IllegalArgumentException if {@code every < 1}, {@code alpha} is outside {@code (0, 1]}, {@code inner} is null, or
     *         {@code inner} is an arithmetic profile (which returns parameters, not an update)
     */
    public Lookahead {
        Checks.atLeast("every", every, 1);
        if (!(alpha > 0 && alpha <= 1)) throw Checks.invalid("alpha", alpha, "in (0, 1]");
        Checks.notNull("inner", inner);
        if (inner.producesParameters()) {
            throw Checks.invalid("inner", inner.type(), "a transform that returns an update (an arithmetic profile returns the new"
                    + " parameters and cannot be wrapped: use the library's own arithmetic, arithmetic PYTORCH_1_13, inside)");
        }
        if (inner.slots().contains(SLOW)) throw Checks.invalid("slots of inner", inner.slots(), "names other than '" + SLOW + "'");
    }

    @Override public String type() { return "lookahead"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("every", every);
        m.put("alpha", alpha);
        m.put("inner", inner);
        return m;
    }

    @Override public boolean nonNegative(String slot) { return !SLOW.equals(slot) && inner.nonNegative(slot); }

    @Override public List<String> slots() {
        List<String> s = new ArrayList<>();
        s.add(SLOW);
        s.addAll(inner.slots());
        return List.copyOf(s);
    }

    @Override public double initialValue(String slot) { return SLOW.equals(slot) ? 0.0 : inner.initialValue(slot); }

    @Override public boolean elementwise() { return false; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        throw new UnsupportedOperationException("lookahead runs on the whole group (updateGroup)");
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        throw new UnsupportedOperationException("lookahead runs on the whole group (updateGroup)");
    }

    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        float[] slow = s[slot0];
        long t = c.step();
        inner.updateGroup(u, p, s, slot0 + 1, c);
        boolean sync = t % every == 0;
        float a = (float) alpha;
        for (int r = 0, n = c.runCount(); r < n; r++) {
            for (int i = c.runOffset(r), end = i + c.runLength(r); i < end; i++) {
                if (t == 1) slow[i] = p[i];
                if (sync) {
                    float fast = p[i] - u[i];
                    float sl = Math.fma(a, fast - slow[i], slow[i]);
                    slow[i] = sl;
                    u[i] = p[i] - sl;
                }
            }
        }
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        double[] slow = s[slot0];
        long t = c.step();
        inner.updateGroup(u, p, s, slot0 + 1, c);
        boolean sync = t % every == 0;
        for (int r = 0, n = c.runCount(); r < n; r++) {
            for (int i = c.runOffset(r), end = i + c.runLength(r); i < end; i++) {
                if (t == 1) slow[i] = p[i];
                if (sync) {
                    double fast = p[i] - u[i];
                    double sl = Math.fma(alpha, fast - slow[i], slow[i]);
                    slow[i] = sl;
                    u[i] = p[i] - sl;
                }
            }
        }
    }
}
