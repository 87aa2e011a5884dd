package org.rmsprop4j.kernel;

import org.rmsprop4j.transform.CpuMath;

/**
 * Fused float64 loops of the RMSprop {@linkplain org.rmsprop4j.transform.RmsPropProfile arithmetic
 * profiles}: each framework's per-element operations in its order ({@code docs/arithmetic.md}), one
 * pass over the arrays. Written by hand, not generated: the float32 twin ({@link ProfileLoopsF32})
 * is not a type substitution of this file, because some frameworks keep some scalars in double
 * while they compute in float32 (Tribuo) and the square roots differ by precision.
 *
 * <p>Every loop reads the gradient from {@code g} and the parameter from {@code p} and writes the
 * new parameter to {@code out}, which may be {@code g} (the chain path: the update buffer holds the
 * gradient on entry and the parameter on exit) or {@code p} (the fused path). Each element is read
 * before it is written, so either alias is safe. State arrays are <i>Modified</i>. The scalars are
 * the profile's per-step scalars, computed by the caller exactly as the framework computes them.
 * The {@code plain} loops are the common case without branches (C2 vectorises them); the others
 * carry loop-invariant flags.
 */
public final class ProfileLoops {
    private ProfileLoops() {}

    /** Tribuo: elements per block of the multiplier check. */
    private static final int TRIBUO_BLOCK = 1024;

    /** PyTorch 2.13 (MKL's {@code sqrt}: a table lookup per element, so this loop stays scalar). */
    public static void pytorch213(double[] g, double[] p, double[] out, double[] v, double[] ga, double[] b, int off, int len,
                                  double rho, double omr, double eps, double m, double wd, boolean l2, double nlr,
                                  double w, double omw, boolean lowW, boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            if (l2) gi = Math.fma(wd, pi, gi);
            double vi = Math.fma(omr * gi, gi, rho * v[i]);
            v[i] = vi;
            double avg;
            if (centered) {
                double a = ga[i];
                a = lowW ? Math.fma(w, gi - a, a) : Math.fma(-omw, gi - a, gi);
                ga[i] = a;
                avg = CpuMath.mklSqrt(Math.fma(-a, a, vi));
            } else {
                avg = CpuMath.mklSqrt(vi);
            }
            double d = avg + eps;
            if (mom) {
                double bi = m * b[i] + gi / d;
                b[i] = bi;
                pi = Math.fma(nlr, bi, pi);
            } else {
                pi = pi + (nlr * gi) / d;
            }
            out[i] = pi;
        }
    }

    /** timm's {@code RMSpropTF} on PyTorch 2.13 (MKL's {@code sqrt}: scalar). */
    public static void timmTf(double[] g, double[] p, double[] out, double[] v, double[] ga, double[] b, int off, int len,
                              double omr, double eps, double m, double wd, boolean l2, boolean dec, double shrink,
                              double lrW, double nlr, boolean lrIn, boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            if (dec) pi = pi * shrink;
            else if (l2) gi = Math.fma(wd, pi, gi);
            double sq = v[i];
            sq = Math.fma(omr, gi * gi - sq, sq);
            v[i] = sq;
            double avg;
            if (centered) {
                double a = ga[i];
                a = Math.fma(omr, gi - a, a);
                ga[i] = a;
                avg = CpuMath.mklSqrt(Math.fma(-a, a, sq) + eps);
            } else {
                avg = CpuMath.mklSqrt(sq + eps);
            }
            if (mom) {
                double bi = m * b[i];
                if (lrIn) {
                    bi = bi + (lrW * gi) / avg;
                    pi = pi - bi;
                } else {
                    bi = bi + gi / avg;
                    pi = Math.fma(nlr, bi, pi);
                }
                b[i] = bi;
            } else {
                pi = pi + (nlr * gi) / avg;
            }
            out[i] = pi;
        }
    }

    /** Keras 3 eager, no centering, momentum or decay: {@code v = ρv + (1−ρ)g²; θ −= (lr·g)/√(v + ε)}. */
    public static void keras3Plain(double[] g, double[] p, double[] out, double[] v, int off, int len,
                                   double rho, double omr, double eps, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = rho * v[i] + omr * (gi * gi);
            v[i] = vi;
            out[i] = p[i] - (lr * gi) / Math.sqrt(vi + eps);
        }
    }

    /** Keras 3 eager with momentum (not centered, no decay): {@code b = m·b + (lr·g)/√(v + ε); θ −= b}. */
    public static void keras3Momentum(double[] g, double[] p, double[] out, double[] v, double[] b, int off, int len,
                                      double rho, double omr, double eps, double lr, double m) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double vi = rho * v[i] + omr * (gi * gi);
            v[i] = vi;
            double bi = m * b[i] + (lr * gi) / Math.sqrt(vi + eps);
            b[i] = bi;
            out[i] = p[i] - bi;
        }
    }

    /**
     * Keras 3 eager, centered, without momentum or decay: {@code ḡ = ρḡ + (1−ρ)g; θ −= (lr·g)/√((v − ḡ²) + ε)}. In blocks of
     * {@value #KERAS_BLOCK}: the state, then the update from the stored state (the same values), two loops small enough
     * for C2 to vectorise (in one loop, it did not).
     */
    public static void keras3Centered(double[] g, double[] p, double[] out, double[] v, double[] ag, int off, int len,
                                      double rho, double omr, double eps, double lr) {
        for (int s = off, end = off + len; s < end; s += KERAS_BLOCK) {
            int e = Math.min(s + KERAS_BLOCK, end);
            keras3CenteredState(g, v, ag, s, e, rho, omr);
            for (int i = s; i < e; i++) {
                double a = ag[i], den = (v[i] - a * a) + eps;
                out[i] = p[i] - (lr * g[i]) / Math.sqrt(den);
            }
        }
    }

    /** {@link #keras3Centered} with momentum: {@code b = m·b + (lr·g)/√den; θ −= b}. */
    public static void keras3CenteredMomentum(double[] g, double[] p, double[] out, double[] v, double[] ag, double[] b, int off, int len,
                                              double rho, double omr, double eps, double lr, double m) {
        for (int s = off, end = off + len; s < end; s += KERAS_BLOCK) {
            int e = Math.min(s + KERAS_BLOCK, end);
            keras3CenteredState(g, v, ag, s, e, rho, omr);
            for (int i = s; i < e; i++) {
                double a = ag[i], den = (v[i] - a * a) + eps;
                double bi = m * b[i] + (lr * g[i]) / Math.sqrt(den);
                b[i] = bi;
                out[i] = p[i] - bi;
            }
        }
    }

    /** Keras 3's centered state over {@code [s, e)}: {@code v = ρv + (1−ρ)g²; ḡ = ρḡ + (1−ρ)g}. */
    private static void keras3CenteredState(double[] g, double[] v, double[] ag, int s, int e, double rho, double omr) {
        for (int i = s; i < e; i++) {
            double gi = g[i];
            v[i] = rho * v[i] + omr * (gi * gi);
            ag[i] = rho * ag[i] + omr * gi;
        }
    }

    /** Keras 3's centered loops: elements per block. */
    private static final int KERAS_BLOCK = 1024;

    /** Keras 3, eager ({@code graph} false) or in a graph (float64: {@code g·lr · 1/√den}, Grappler's order). */
    public static void keras3(double[] g, double[] p, double[] out, double[] v, double[] ag, double[] b, int off, int len,
                              double rho, double omr, double eps, double lr, double m, double wd, boolean dec, boolean graph,
                              boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            if (dec) pi = pi - (pi * wd) * lr;
            double vi = rho * v[i] + omr * (gi * gi);
            v[i] = vi;
            double den;
            if (centered) {
                double a = rho * ag[i] + omr * gi;
                ag[i] = a;
                den = graph ? (eps - a * a) + vi : (vi - a * a) + eps;
            } else {
                den = vi + eps;
            }
            double inc = graph ? (gi * lr) * (1.0 / Math.sqrt(den)) : (lr * gi) / Math.sqrt(den);
            if (mom) {
                double bi = m * b[i] + inc;
                b[i] = bi;
                pi = pi - bi;
            } else {
                pi = pi - inc;
            }
            out[i] = pi;
        }
    }

    /** Keras 3 under {@code jax.jit} (XLA's FMAs; float64 {@code rsqrt} as {@code 1/√x}). */
    public static void keras3Xla(double[] g, double[] p, double[] out, double[] v, double[] ag, double[] b, int off, int len,
                                 double rho, double omr, double eps, double lr, double m, double wdlr, boolean dec,
                                 boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            if (dec) pi = Math.fma(-pi, wdlr, pi);
            double vi = Math.fma(rho, v[i], omr * (gi * gi));
            v[i] = vi;
            double den;
            if (centered) {
                double a = Math.fma(rho, ag[i], omr * gi);
                ag[i] = a;
                den = Math.fma(-a, a, vi) + eps;
            } else {
                den = vi + eps;
            }
            double lg = lr * gi, rs = 1.0 / Math.sqrt(den);
            if (mom) {
                double bi = Math.fma(m, b[i], lg * rs);
                b[i] = bi;
                pi = pi - bi;
            } else {
                pi = Math.fma(-lg, rs, pi);
            }
            out[i] = pi;
        }
    }

    /** TF1 {@code ApplyRMSProp} (not centered): {@code ms += (g² − ms)(1−ρ); mom = mom·m + g·lr/√(ms + ε); θ −= mom}. */
    public static void tf1Plain(double[] g, double[] p, double[] out, double[] v, double[] b, int off, int len,
                                double om, double eps, double m, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], ms = v[i];
            ms = ms + (gi * gi - ms) * om;
            v[i] = ms;
            double bi = b[i] * m + (gi * lr) / Math.sqrt(ms + eps);
            b[i] = bi;
            out[i] = p[i] - bi;
        }
    }

    /** TF1 {@code ApplyCenteredRMSProp}. */
    public static void tf1Centered(double[] g, double[] p, double[] out, double[] v, double[] mg, double[] b, int off, int len,
                                   double om, double eps, double m, double lr) {
        for (int s = off, end = off + len; s < end; s += KERAS_BLOCK) {   // two loops per block, as keras3Centered
            int e = Math.min(s + KERAS_BLOCK, end);
            for (int i = s; i < e; i++) {
                double gi = g[i], ms = v[i], a = mg[i];
                v[i] = ms + (gi * gi - ms) * om;
                mg[i] = a + (gi - a) * om;
            }
            for (int i = s; i < e; i++) {
                double a = mg[i];
                double bi = b[i] * m + (g[i] * lr) / Math.sqrt((v[i] - a * a) + eps);
                b[i] = bi;
                out[i] = p[i] - bi;
            }
        }
    }

    /** TensorFlow.js {@code cpu} backend (not centered). */
    public static void tfjsPlain(double[] g, double[] p, double[] out, double[] v, double[] b, int off, int len,
                                 double rho, double omr, double eps, double m, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double ms = v[i] * rho + (gi * gi) * omr;
            v[i] = ms;
            double bi = b[i] * m + (gi * lr) / Math.sqrt(ms + eps);
            b[i] = bi;
            out[i] = p[i] - bi;
        }
    }

    /** TensorFlow.js centered (it subtracts ε: {@code ms − (mg² + ε)}). */
    public static void tfjsCentered(double[] g, double[] p, double[] out, double[] v, double[] mg, double[] b, int off, int len,
                                    double rho, double omr, double eps, double m, double lr) {
        for (int s = off, end = off + len; s < end; s += KERAS_BLOCK) {   // two loops per block, as keras3Centered
            int e = Math.min(s + KERAS_BLOCK, end);
            for (int i = s; i < e; i++) {
                double gi = g[i];
                v[i] = v[i] * rho + (gi * gi) * omr;
                mg[i] = mg[i] * rho + gi * omr;
            }
            for (int i = s; i < e; i++) {
                double a = mg[i];
                double bi = b[i] * m + (g[i] * lr) / Math.sqrt(v[i] - (a * a + eps));
                b[i] = bi;
                out[i] = p[i] - bi;
            }
        }
    }

    /** Optax without centering, momentum or bias correction, ε inside (float64 {@code rsqrt} as {@code 1/√x}). */
    public static void optaxPlain(double[] g, double[] p, double[] out, double[] v, int off, int len,
                                  double rho, double omr, double eps, double nlr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double nu = Math.fma(omr, gi * gi, rho * v[i]);
            v[i] = nu;
            out[i] = Math.fma(nlr, (1.0 / Math.sqrt(nu + eps)) * gi, p[i]);
        }
    }

    /** Optax: every option ({@code bc} is {@code 1 − ρᵗ} or 1; the trace is stored negated). */
    public static void optax(double[] g, double[] p, double[] out, double[] v, double[] ga, double[] b, int off, int len,
                             double rho, double omr, double eps, double nlr, double m, double bc, boolean biasCorrection,
                             boolean inside, boolean nesterov, boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i], pi = p[i];
            double nu = Math.fma(omr, gi * gi, rho * v[i]);
            v[i] = nu;
            double var = nu;
            if (biasCorrection) var = nu / bc;
            if (centered) {
                double mu = Math.fma(omr, gi, rho * ga[i]);
                ga[i] = mu;
                if (biasCorrection) mu = mu / bc;
                var = Math.fma(-mu, mu, var);
            }
            double rs = inside ? 1.0 / Math.sqrt(var + eps) : 1 / (Math.sqrt(var) + eps);
            double upd = rs * gi;
            if (mom) {
                upd = nlr * upd;
                double tr = Math.fma(m, -b[i], upd);
                b[i] = -tr;
                upd = nesterov ? Math.fma(m, tr, upd) : tr;
                pi = pi + upd;
            } else {
                pi = Math.fma(nlr, upd, pi);
            }
            out[i] = pi;
        }
    }

    /** ND4J {@code RmsPropUpdater}: {@code G = Gρ + g²(1−ρ); θ −= (lr·g)/(√G + ε)}. */
    public static void nd4j(double[] g, double[] p, double[] out, double[] v, int off, int len,
                            double rho, double om, double eps, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double gi = g[i];
            double st = v[i] * rho + (gi * gi) * om;
            v[i] = st;
            out[i] = p[i] - (lr * gi) / (Math.sqrt(st) + eps);
        }
    }

    /**
     * Tribuo {@code RMSProp}: elements × multiplier, the multiplier folded into the elements below 1e-6.
     * Per block, one scan finds the smallest multiplier; a block where none folds runs two passes, the
     * state and then the update, each small enough for C2 to unroll and vectorise (in one loop the
     * body was too large, and it stayed scalar: 6 ns per element against 1.3–1.8 in two passes).
     */
    public static void tribuo(double[] g, double[] p, double[] out, double[] v, double[] el, double[] mu, int off, int len,
                              double inv, double keep, double eps, double lr) {
        double lr1 = 1.0 * lr;
        for (int a = off, end = off + len; a < end; a += TRIBUO_BLOCK) {
            int e = Math.min(a + TRIBUO_BLOCK, end);
            if (!(Math.abs(leastAbs(mu, a, e) * keep) >= 1e-6)) {   // some element folds (or a NaN): the branching loop
                tribuoScalar(g, p, out, v, el, mu, a, e - a, inv, keep, eps, lr);
                continue;
            }
            for (int i = a; i < e; i++) {
                double ng = -g[i];
                double mult = mu[i] * keep;
                double x = (el[i] * mult + (inv * ng) * ng) / mult;
                el[i] = x;
                mu[i] = mult;
                v[i] = x * mult;
            }
            for (int i = a; i < e; i++) {
                double ng = -g[i];
                out[i] = p[i] + ng * (lr1 / (eps + Math.sqrt(v[i])));
            }
        }
    }

    /** {@code min |mu[i]|} over {@code [a, e)} in four running minima (one chain of {@code Math.min} was 0.7 ns per element); NaN if any is NaN. */
    static double leastAbs(double[] mu, int a, int e) {
        double m0 = Double.POSITIVE_INFINITY, m1 = m0, m2 = m0, m3 = m0;
        int i = a;
        for (; i + 3 < e; i += 4) {
            m0 = Math.min(m0, Math.abs(mu[i]));
            m1 = Math.min(m1, Math.abs(mu[i + 1]));
            m2 = Math.min(m2, Math.abs(mu[i + 2]));
            m3 = Math.min(m3, Math.abs(mu[i + 3]));
        }
        for (; i < e; i++) m0 = Math.min(m0, Math.abs(mu[i]));
        return Math.min(Math.min(m0, m1), Math.min(m2, m3));
    }

    static void tribuoScalar(double[] g, double[] p, double[] out, double[] v, double[] el, double[] mu, int off, int len,
                              double inv, double keep, double eps, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double ng = -g[i];
            double mult = mu[i] * keep, e = el[i];
            if (Math.abs(mult) < 1e-6) {
                e = e * mult;
                mult = 1.0;
            }
            double nw = e * mult + (inv * ng) * ng;
            e = nw / mult;
            double vi = e * mult;
            el[i] = e;
            mu[i] = mult;
            v[i] = vi;
            double scale = (1.0 * lr) / (eps + Math.sqrt(vi));
            out[i] = p[i] + ng * scale;
        }
    }
}
