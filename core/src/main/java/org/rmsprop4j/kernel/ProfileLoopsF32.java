package org.rmsprop4j.kernel;

import org.rmsprop4j.transform.CpuMath;

/**
 * Fused float32 loops of the RMSprop {@linkplain org.rmsprop4j.transform.RmsPropProfile arithmetic
 * profiles}: each framework's per-element operations in its order ({@code docs/arithmetic.md}), one
 * pass over the arrays, every operation rounded to float32 as the framework rounds it. Written by
 * hand beside the float64 {@link ProfileLoops} (not generated: the square roots and reciprocal
 * roots differ by precision, and Tribuo keeps some scalars in double). The loops that call
 * {@link CpuMath}'s table-based roots ({@code rsqrtps} as AMD Zen 4 computes it) stay scalar: C2
 * does not vectorise a table lookup.
 *
 * <p>Every loop reads the gradient from {@code g} and the parameter from {@code p} and writes the
 * new parameter to {@code out}, which may be {@code g} (the chain path: the update buffer holds the
 * gradient on entry and the parameter on exit) or {@code p} (the fused path). Each element is read
 * before it is written, so either alias is safe. State arrays are <i>Modified</i>. The scalars are
 * the profile's per-step scalars, computed by the caller exactly as the framework computes them.
 * The {@code plain} loops are the common case without branches (C2 vectorises them); the others
 * carry loop-invariant flags.
 */
public final class ProfileLoopsF32 {
    private ProfileLoopsF32() {}

    /** Tribuo: elements per block of the multiplier check. */
    private static final int TRIBUO_BLOCK = 1024;

    /** PyTorch 2.13 (MKL's {@code sqrt}: a table lookup per element, so this loop stays scalar). */
    public static void pytorch213(float[] g, float[] p, float[] out, float[] v, float[] ga, float[] b, int off, int len,
                                  float rho, float omr, float eps, float m, float wd, boolean l2, float nlr,
                                  float w, float omw, boolean lowW, boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            if (l2) gi = Math.fma(wd, pi, gi);
            float vi = Math.fma(omr * gi, gi, rho * v[i]);
            v[i] = vi;
            float avg;
            if (centered) {
                float a = ga[i];
                a = lowW ? Math.fma(w, gi - a, a) : Math.fma(-omw, gi - a, gi);
                ga[i] = a;
                avg = CpuMath.mklSqrt(Math.fma(-a, a, vi));
            } else {
                avg = CpuMath.mklSqrt(vi);
            }
            float d = avg + eps;
            if (mom) {
                float bi = m * b[i] + gi / d;
                b[i] = bi;
                pi = Math.fma(nlr, bi, pi);
            } else {
                pi = pi + (nlr * gi) / d;
            }
            out[i] = pi;
        }
    }

    /** timm's {@code RMSpropTF} on PyTorch 2.13 (MKL's {@code sqrt}: scalar). */
    public static void timmTf(float[] g, float[] p, float[] out, float[] v, float[] ga, float[] b, int off, int len,
                              float omr, float eps, float m, float wd, boolean l2, boolean dec, float shrink,
                              float lrW, float nlr, boolean lrIn, boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            if (dec) pi = pi * shrink;
            else if (l2) gi = Math.fma(wd, pi, gi);
            float sq = v[i];
            sq = Math.fma(omr, gi * gi - sq, sq);
            v[i] = sq;
            float avg;
            if (centered) {
                float a = ga[i];
                a = Math.fma(omr, gi - a, a);
                ga[i] = a;
                avg = CpuMath.mklSqrt(Math.fma(-a, a, sq) + eps);
            } else {
                avg = CpuMath.mklSqrt(sq + eps);
            }
            if (mom) {
                float bi = m * b[i];
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
    public static void keras3Plain(float[] g, float[] p, float[] out, float[] v, int off, int len,
                                   float rho, float omr, float eps, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float vi = rho * v[i] + omr * (gi * gi);
            v[i] = vi;
            out[i] = p[i] - (lr * gi) / (float) Math.sqrt(vi + eps);
        }
    }

    /** Keras 3 eager with momentum (not centered, no decay): {@code b = m·b + (lr·g)/√(v + ε); θ −= b}. */
    public static void keras3Momentum(float[] g, float[] p, float[] out, float[] v, float[] b, int off, int len,
                                      float rho, float omr, float eps, float lr, float m) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float vi = rho * v[i] + omr * (gi * gi);
            v[i] = vi;
            float bi = m * b[i] + (lr * gi) / (float) Math.sqrt(vi + eps);
            b[i] = bi;
            out[i] = p[i] - bi;
        }
    }

    /**
     * Keras 3 eager, centered, without momentum or decay: {@code ḡ = ρḡ + (1−ρ)g; θ −= (lr·g)/√((v − ḡ²) + ε)}. In blocks of
     * {@value #KERAS_BLOCK}: the state, then the update from the stored state (the same values), two loops small enough
     * for C2 to vectorise (in one loop, it did not).
     */
    public static void keras3Centered(float[] g, float[] p, float[] out, float[] v, float[] ag, int off, int len,
                                      float rho, float omr, float eps, float lr) {
        for (int s = off, end = off + len; s < end; s += KERAS_BLOCK) {
            int e = Math.min(s + KERAS_BLOCK, end);
            keras3CenteredState(g, v, ag, s, e, rho, omr);
            for (int i = s; i < e; i++) {
                float a = ag[i], den = (v[i] - a * a) + eps;
                out[i] = p[i] - (lr * g[i]) / (float) Math.sqrt(den);
            }
        }
    }

    /** {@link #keras3Centered} with momentum: {@code b = m·b + (lr·g)/√den; θ −= b}. */
    public static void keras3CenteredMomentum(float[] g, float[] p, float[] out, float[] v, float[] ag, float[] b, int off, int len,
                                              float rho, float omr, float eps, float lr, float m) {
        for (int s = off, end = off + len; s < end; s += KERAS_BLOCK) {
            int e = Math.min(s + KERAS_BLOCK, end);
            keras3CenteredState(g, v, ag, s, e, rho, omr);
            for (int i = s; i < e; i++) {
                float a = ag[i], den = (v[i] - a * a) + eps;
                float bi = m * b[i] + (lr * g[i]) / (float) Math.sqrt(den);
                b[i] = bi;
                out[i] = p[i] - bi;
            }
        }
    }

    /** Keras 3's centered state over {@code [s, e)}: {@code v = ρv + (1−ρ)g²; ḡ = ρḡ + (1−ρ)g}. */
    private static void keras3CenteredState(float[] g, float[] v, float[] ag, int s, int e, float rho, float omr) {
        for (int i = s; i < e; i++) {
            float gi = g[i];
            v[i] = rho * v[i] + omr * (gi * gi);
            ag[i] = rho * ag[i] + omr * gi;
        }
    }

    /** Keras 3's centered loops: elements per block. */
    private static final int KERAS_BLOCK = 1024;

    /** Keras 3, eager ({@code graph} false) or in a graph (Eigen's packet {@code rsqrt} below {@code packetEnd}, the tensor's scalar tail after it). */
    public static void keras3(float[] g, float[] p, float[] out, float[] v, float[] ag, float[] b, int off, int len,
                              float rho, float omr, float eps, float lr, float m, float wd, boolean dec, boolean graph,
                              boolean centered, boolean mom, int packetEnd) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            if (dec) pi = pi - (pi * wd) * lr;
            float vi = rho * v[i] + omr * (gi * gi);
            v[i] = vi;
            float den;
            if (centered) {
                float a = rho * ag[i] + omr * gi;
                ag[i] = a;
                den = graph ? (eps - a * a) + vi : (vi - a * a) + eps;
            } else {
                den = vi + eps;
            }
            float inc = graph ? (gi * lr) * (i < packetEnd ? CpuMath.eigenRsqrtPacket(den) : 1f / (float) Math.sqrt(den))
                    : (lr * gi) / (float) Math.sqrt(den);
            if (mom) {
                float bi = m * b[i] + inc;
                b[i] = bi;
                pi = pi - bi;
            } else {
                pi = pi - inc;
            }
            out[i] = pi;
        }
    }

    /** Keras 3 under {@code jax.jit} (XLA's FMAs and float32 {@code rsqrt}: a table lookup, scalar). */
    public static void keras3Xla(float[] g, float[] p, float[] out, float[] v, float[] ag, float[] b, int off, int len,
                                 float rho, float omr, float eps, float lr, float m, float wdlr, boolean dec,
                                 boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            if (dec) pi = Math.fma(-pi, wdlr, pi);
            float vi = Math.fma(rho, v[i], omr * (gi * gi));
            v[i] = vi;
            float den;
            if (centered) {
                float a = Math.fma(rho, ag[i], omr * gi);
                ag[i] = a;
                den = Math.fma(-a, a, vi) + eps;
            } else {
                den = vi + eps;
            }
            float lg = lr * gi, rs = CpuMath.xlaRsqrt(den);
            if (mom) {
                float bi = Math.fma(m, b[i], lg * rs);
                b[i] = bi;
                pi = pi - bi;
            } else {
                pi = Math.fma(-lg, rs, pi);
            }
            out[i] = pi;
        }
    }

    /** TF1 {@code ApplyRMSProp} (not centered): {@code ms += (g² − ms)(1−ρ); mom = mom·m + g·lr/√(ms + ε); θ −= mom}. */
    public static void tf1Plain(float[] g, float[] p, float[] out, float[] v, float[] b, int off, int len,
                                float om, float eps, float m, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], ms = v[i];
            ms = ms + (gi * gi - ms) * om;
            v[i] = ms;
            float bi = b[i] * m + (gi * lr) / (float) Math.sqrt(ms + eps);
            b[i] = bi;
            out[i] = p[i] - bi;
        }
    }

    /** TF1 {@code ApplyCenteredRMSProp}. */
    public static void tf1Centered(float[] g, float[] p, float[] out, float[] v, float[] mg, float[] b, int off, int len,
                                   float om, float eps, float m, float lr) {
        for (int s = off, end = off + len; s < end; s += KERAS_BLOCK) {   // two loops per block, as keras3Centered
            int e = Math.min(s + KERAS_BLOCK, end);
            for (int i = s; i < e; i++) {
                float gi = g[i], ms = v[i], a = mg[i];
                v[i] = ms + (gi * gi - ms) * om;
                mg[i] = a + (gi - a) * om;
            }
            for (int i = s; i < e; i++) {
                float a = mg[i];
                float bi = b[i] * m + (g[i] * lr) / (float) Math.sqrt((v[i] - a * a) + eps);
                b[i] = bi;
                out[i] = p[i] - bi;
            }
        }
    }

    /** TensorFlow.js {@code cpu} backend (not centered). */
    public static void tfjsPlain(float[] g, float[] p, float[] out, float[] v, float[] b, int off, int len,
                                 float rho, float omr, float eps, float m, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float ms = v[i] * rho + (gi * gi) * omr;
            v[i] = ms;
            float bi = b[i] * m + (gi * lr) / (float) Math.sqrt(ms + eps);
            b[i] = bi;
            out[i] = p[i] - bi;
        }
    }

    /** TensorFlow.js centered (it subtracts ε: {@code ms − (mg² + ε)}). */
    public static void tfjsCentered(float[] g, float[] p, float[] out, float[] v, float[] mg, float[] b, int off, int len,
                                    float rho, float omr, float eps, float m, float lr) {
        for (int s = off, end = off + len; s < end; s += KERAS_BLOCK) {   // two loops per block, as keras3Centered
            int e = Math.min(s + KERAS_BLOCK, end);
            for (int i = s; i < e; i++) {
                float gi = g[i];
                v[i] = v[i] * rho + (gi * gi) * omr;
                mg[i] = mg[i] * rho + gi * omr;
            }
            for (int i = s; i < e; i++) {
                float a = mg[i];
                float bi = b[i] * m + (g[i] * lr) / (float) Math.sqrt(v[i] - (a * a + eps));
                b[i] = bi;
                out[i] = p[i] - bi;
            }
        }
    }

    /** Optax without centering, momentum or bias correction, ε inside (XLA's float32 {@code rsqrt}: a table lookup). */
    public static void optaxPlain(float[] g, float[] p, float[] out, float[] v, int off, int len,
                                  float rho, float omr, float eps, float nlr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float nu = Math.fma(omr, gi * gi, rho * v[i]);
            v[i] = nu;
            out[i] = Math.fma(nlr, CpuMath.xlaRsqrt(nu + eps) * gi, p[i]);
        }
    }

    /** Optax: every option ({@code bc} is {@code 1 − ρᵗ} or 1; the trace is stored negated). */
    public static void optax(float[] g, float[] p, float[] out, float[] v, float[] ga, float[] b, int off, int len,
                             float rho, float omr, float eps, float nlr, float m, float bc, boolean biasCorrection,
                             boolean inside, boolean nesterov, boolean centered, boolean mom) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i], pi = p[i];
            float nu = Math.fma(omr, gi * gi, rho * v[i]);
            v[i] = nu;
            float var = nu;
            if (biasCorrection) var = nu / bc;
            if (centered) {
                float mu = Math.fma(omr, gi, rho * ga[i]);
                ga[i] = mu;
                if (biasCorrection) mu = mu / bc;
                var = Math.fma(-mu, mu, var);
            }
            float rs = inside ? CpuMath.xlaRsqrt(var + eps) : 1f / ((float) Math.sqrt(var) + eps);
            float upd = rs * gi;
            if (mom) {
                upd = nlr * upd;
                float tr = Math.fma(m, -b[i], upd);
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
    public static void nd4j(float[] g, float[] p, float[] out, float[] v, int off, int len,
                            float rho, float om, float eps, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float gi = g[i];
            float st = v[i] * rho + (gi * gi) * om;
            v[i] = st;
            out[i] = p[i] - (lr * gi) / ((float) Math.sqrt(st) + eps);
        }
    }

    /**
     * Tribuo {@code RMSProp} (a float64 library) in float32 as the profile defines it: {@code inv},
     * {@code keep}, {@code eps} and the fold threshold stay double, so the products with them are
     * formed in double and rounded once to float32.
     */
    public static void tribuo(float[] g, float[] p, float[] out, float[] v, float[] el, float[] mu, int off, int len,
                              double inv, double keep, double eps, float lr) {
        for (int a = off, end = off + len; a < end; a += TRIBUO_BLOCK) {
            int e = Math.min(a + TRIBUO_BLOCK, end);
            if (!(Math.abs((float) (leastAbs(mu, a, e) * keep)) >= 1e-6)) {   // some element folds (or a NaN): the branching loop
                tribuoScalar(g, p, out, v, el, mu, a, e - a, inv, keep, eps, lr);
                continue;
            }
            for (int i = a; i < e; i++) {                        // two passes: in one loop C2 ran 10-13 ns per element, in two 6-7
                float ng = -g[i];
                float mult = (float) (mu[i] * keep);
                float x = (el[i] * mult + (float) (inv * ng) * ng) / mult;
                el[i] = x;
                mu[i] = mult;
                v[i] = x * mult;
            }
            for (int i = a; i < e; i++) {
                float ng = -g[i];
                out[i] = p[i] + ng * (lr / (float) (eps + (float) Math.sqrt(v[i])));
            }
        }
    }

    /** {@code min |mu[i]|} over {@code [a, e)} in four running minima; NaN if any is NaN. */
    static float leastAbs(float[] mu, int a, int e) {
        float m0 = Float.POSITIVE_INFINITY, m1 = m0, m2 = m0, m3 = m0;
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

    static void tribuoScalar(float[] g, float[] p, float[] out, float[] v, float[] el, float[] mu, int off, int len,
                              double inv, double keep, double eps, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float ng = -g[i];
            float mult = (float) (mu[i] * keep), e = el[i];
            if (Math.abs(mult) < 1e-6) {
                e = e * mult;
                mult = 1f;
            }
            float nw = e * mult + (float) (inv * ng) * ng;
            e = nw / mult;
            float vi = e * mult;
            el[i] = e;
            mu[i] = mult;
            v[i] = vi;
            float scale = lr / (float) (eps + (float) Math.sqrt(vi));
            out[i] = p[i] + ng * scale;
        }
    }
}
