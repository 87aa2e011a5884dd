package org.rmsprop4j.kernel;

/**
 * RMSprop loops, float64. <b>The float32 loops ({@code RmspropKernelsF32}) are generated from this
 * file at build time</b> ({@code double} becomes {@code float}, square roots are narrowed, see
 * {@code core/pom.xml}): every loop is written once. Shared coefficients (same meaning in every loop):
 * <ul>
 *   <li>{@code gs}: gradient scale and sign ({@code -1} to maximize);</li>
 *   <li>{@code l2}: coupled weight decay, {@code g ← gs·g + l2·p}; {@code clip}: clamp of g ({@code +∞} for none);</li>
 *   <li>{@code dwd}, {@code dlr}: decoupled weight decay, {@code p ← p − (p·dwd)·dlr} before the step;</li>
 *   <li>{@code decay}, {@code omd = 1 − decay}: {@code v ← decay·v + (omd·g)·g};</li>
 *   <li>{@code bc}: bias correction divisor of the moments ({@code 1} when off);</li>
 *   <li>{@code epsIn}, {@code epsOut}: {@code d = sqrt(v̂ + epsIn) + epsOut}, one of them 0;</li>
 *   <li>{@code lr}: learning rate of this step (loops without momentum).</li>
 * </ul>
 * Momentum ({@code b} non-null) adds {@code m} (momentum), {@code s}/{@code t} (learning rate inside the
 * buffer: {@code s = lr, t = 1}; outside: {@code s = 1, t = lr}), and {@code nz}/{@code mn} (Nesterov:
 * {@code nz = 1, mn = m}; plain: {@code nz = 0, mn = 1}): {@code u = (s·g)/d; b ← m·b + u; p ← p − t·(nz·u + mn·b)}.
 * Centered ({@code a} non-null) keeps {@code a ← decay·a + omd·g} and uses {@code max(v̂ − â², 0)}.
 *
 * <h2>Lean loops</h2> When every extra coefficient is neutral ({@code gs = 1, l2 = 0, clip = ∞, dwd = 0,
 * bc = 1}, no Nesterov), {@link #step} runs a lean loop without the neutral operations: 1.6× faster in
 * cache, and for centered momentum the only form small enough for C2 to vectorise (its default
 * {@code LoopUnrollLimit}; README, "Speed"). Lean and generic loops agree bit for bit on finite,
 * non-zero values; they differ only in the sign of a zero (the generic {@code p − (p·0)·lr} turns
 * {@code −0} into {@code +0}) and for non-finite parameters, where the lean loops do what PyTorch does.
 */
public final class RmspropKernels {
    private RmspropKernels() {}

    /**
     * One RMSprop step over {@code [off, off+len)}: {@code p}, {@code v} and, when non-null, {@code a}
     * (centered) and {@code b} (momentum) are Modified; {@code g} is Not modified.
     */
    public static void step(double[] p, double[] g, double[] v, double[] a, double[] b, int off, int len,
                            double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                            double epsIn, double epsOut, double lr, double m, double s, double t, double nz, double mn) {
        step(p, g, v, a, b, off, len, gs, l2, clip, dwd, dlr, decay, omd, bc, epsIn, epsOut, lr, m, s, t, nz, mn, true);
    }

    /** {@link #step} with the lean loops allowed or not (tests compare the two). */
    static void step(double[] p, double[] g, double[] v, double[] a, double[] b, int off, int len,
                     double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                     double epsIn, double epsOut, double lr, double m, double s, double t, double nz, double mn, boolean allowLean) {
        boolean lean = allowLean && gs == 1 && l2 == 0 && clip == Double.POSITIVE_INFINITY && dwd == 0 && bc == 1 && nz == 0;
        if (b == null && a == null) {
            if (lean) leanPlain(p, g, v, off, len, decay, omd, epsIn, epsOut, lr);
            else plain(p, g, v, off, len, gs, l2, clip, dwd, dlr, decay, omd, bc, epsIn, epsOut, lr);
        } else if (b == null) {
            if (lean) leanCentered(p, g, v, a, off, len, decay, omd, epsIn, epsOut, lr);
            else centered(p, g, v, a, off, len, gs, l2, clip, dwd, dlr, decay, omd, bc, epsIn, epsOut, lr);
        } else if (a == null) {
            if (lean) leanMomentum(p, g, v, b, off, len, decay, omd, epsIn, epsOut, m, s, t);
            else momentum(p, g, v, b, off, len, gs, l2, clip, dwd, dlr, decay, omd, bc, epsIn, epsOut, m, s, t, nz, mn);
        } else {
            if (lean) leanCenteredMomentum(p, g, v, a, b, off, len, decay, omd, epsIn, epsOut, m, s, t);
            else centeredMomentum(p, g, v, a, b, off, len, gs, l2, clip, dwd, dlr, decay, omd, bc, epsIn, epsOut, m, s, t, nz, mn);
        }
    }

    private static void plain(double[] p, double[] g, double[] v, int off, int len,
                              double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                              double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi / bc + epsIn) + epsOut;
            p[i] = pi - (lr * gi) / d;
        }
    }

    private static void centered(double[] p, double[] g, double[] v, double[] a, int off, int len,
                                 double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                                 double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            double ah = ai / bc;
            double var = Math.max(Math.fma(-ah, ah, vi / bc), 0d);
            double d = Math.sqrt(var + epsIn) + epsOut;
            p[i] = pi - (lr * gi) / d;
        }
    }

    private static void momentum(double[] p, double[] g, double[] v, double[] b, int off, int len,
                                 double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                                 double epsIn, double epsOut, double m, double s, double t, double nz, double mn) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi / bc + epsIn) + epsOut;
            double u = (s * gi) / d;
            double bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, nz * u + mn * bi, pi);
        }
    }

    private static void centeredMomentum(double[] p, double[] g, double[] v, double[] a, double[] b, int off, int len,
                                         double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                                         double epsIn, double epsOut, double m, double s, double t, double nz, double mn) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            double ah = ai / bc;
            double var = Math.max(Math.fma(-ah, ah, vi / bc), 0d);
            double d = Math.sqrt(var + epsIn) + epsOut;
            double u = (s * gi) / d;
            double bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, nz * u + mn * bi, pi);
        }
    }

    /**
     * The lean plain loop, called directly by callers that have checked once that every extra
     * coefficient is neutral (the fixed cost of {@link #step}'s checks matters for tiny steps).
     * {@code p}, {@code v}: Modified; {@code g}: Not modified.
     */
    public static void leanPlain(double[] p, double[] g, double[] v, int off, int len,
                                  double decay, double omd, double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi + epsIn) + epsOut;
            p[i] = p[i] - (lr * gi) / d;
        }
    }

    /** Runs this short or shorter go to {@link #leanPlainShort} (see there). */
    public static final int SHORT_RUN = 16;

    /**
     * {@link #leanPlain} for runs of at most {@link #SHORT_RUN} elements: the same loop body (so the
     * same bits), kept in a method of its own so that the JIT compiles it for the short trip counts it
     * only ever sees. Called from the same call site as {@code leanPlain}, a 2-element step otherwise ran
     * through the vectorised loop compiled for long runs (its entry checks and pre- and post-loops)
     * and took twice as long (README, "Speed"). {@code p}, {@code v}: Modified; {@code g}: Not modified.
     */
    public static void leanPlainShort(double[] p, double[] g, double[] v, int off, int len,
                                      double decay, double omd, double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi + epsIn) + epsOut;
            p[i] = p[i] - (lr * gi) / d;
        }
    }

    private static void leanCentered(double[] p, double[] g, double[] v, double[] a, int off, int len,
                                     double decay, double omd, double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            double var = Math.max(Math.fma(-ai, ai, vi), 0d);
            double d = Math.sqrt(var + epsIn) + epsOut;
            p[i] = p[i] - (lr * gi) / d;
        }
    }

    private static void leanMomentum(double[] p, double[] g, double[] v, double[] b, int off, int len,
                                     double decay, double omd, double epsIn, double epsOut, double m, double s, double t) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi + epsIn) + epsOut;
            double u = (s * gi) / d;
            double bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, bi, p[i]);
        }
    }

    private static void leanCenteredMomentum(double[] p, double[] g, double[] v, double[] a, double[] b, int off, int len,
                                             double decay, double omd, double epsIn, double epsOut, double m, double s, double t) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            double var = Math.max(Math.fma(-ai, ai, vi), 0d);
            double d = Math.sqrt(var + epsIn) + epsOut;
            double u = (s * gi) / d;
            double bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, bi, p[i]);
        }
    }
}
