package org.rmsprop4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.rmsprop4j.transform.CpuMath;

/**
 * The float32 profiles whose root is built on the CPU's {@code rsqrtps} estimate (PyTorch 2.13's and
 * timm's MKL {@code sqrt}, XLA's {@code rsqrt} under Optax and Keras/JAX, Eigen's packet
 * {@code rsqrt} in Keras graphs) on the incubating Vector API ({@code jdk.incubator.vector}), 8 lanes
 * of 256 bits, the default (plain) forms in one pass over the data with no scratch array. Each loop performs the operations of its {@link ProfileLoopsF32} twin in the same
 * order and precision (lane-wise {@code mul}/{@code add} round like Java's float operators, lane-wise
 * {@code fma} is {@link Math#fma}), so the bits are the same (tested against the reference).
 *
 * <p>The estimate: the float's bits go through a vector shift to the 13-bit table index (parity of
 * the exponent and top 12 mantissa bits), the index vector through a small per-thread {@code int[]}
 * (a JDK 17 gather reads its indexes from an array), and one 8-lane gather reads a table of 8,192 ints
 * that already hold the estimate's bits for an argument in [1, 4) ({@link #estimateTable}), from which
 * the exponent is subtracted. Every loop takes that table ({@code est}) and two per-thread scratch arrays
 * of {@link #LANES} ({@code idx}: the gather's index map; {@code tmp}: the scalar fallback's lanes). An 8-lane group
 * with an argument outside the routines' fast domain (zero, subnormal, negative, huge, non-finite)
 * computes its 8 roots with {@link CpuMath}'s scalar routines instead. The last {@code len mod 8}
 * elements run the scalar loop.
 *
 * <p>This class links only when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link ProfileBlocksF32#vectorEnabled()} says whether it is used.
 */
public final class ProfileVectorF32 {
    private ProfileVectorF32() {}

    /** Lanes per vector: 16 at 512 bits, 8 at 256 ({@link VectorWidth}, the library's one vector width). */
    public static final int LANES = VectorWidth.BITS / 32;
    private static final VectorSpecies<Float> FS = VectorWidth.BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> IS = VectorWidth.BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    private static final int L = LANES;

    /**
     * Fills {@code est} (8,192 ints) with the table the loops gather from: for index {@code k} (parity of the exponent
     * · 4096 + top 12 mantissa bits), the bits of {@link CpuMath#rsqrtps} of an argument in [1, 4) with that index,
     * plus {@code 127 << 22} (see {@link #estimate}).
     */
    public static void estimateTable(int[] est) {
        for (int k = 0; k < 8192; k++) {
            float x = Float.intBitsToFloat(((127 + (k >> 12)) << 23) | ((k & 0xFFF) << 11));
            est[k] = Float.floatToRawIntBits(CpuMath.rsqrtps(x)) + (127 << 22);
        }
    }

    /** {@code x} in every lane. */
    private static FloatVector s(float x) {
        return FloatVector.broadcast(FS, x);
    }

    /** The JVM's preferred vector width in bits (touches the incubator module: a LinkageError without it). */
    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    private static final int MKL = 0, XLA = 1, EIGEN = 2;

    /**
     * {@code rsqrtps(x)} for 8 positive normal floats: as {@link CpuMath#rsqrtps}, written as in
     * {@link ProfileBlocksF32}: index {@code ((b >>> 11) & 0x1FFF) ^ 0x1000}, then the table's bits
     * minus {@code (((b >>> 23) − 1) | 1) << 22}.
     */
    private static FloatVector estimate(FloatVector x, int[] est, int[] idx) {
        IntVector b = x.reinterpretAsInts();
        b.lanewise(VectorOperators.LSHR, 11).and(0x1FFF).lanewise(VectorOperators.XOR, 0x1000).intoArray(idx, 0);
        IntVector t = IntVector.fromArray(IS, est, 0, idx, 0);
        return t.sub(b.lanewise(VectorOperators.LSHR, 23).sub(1).or(1).lanewise(VectorOperators.LSHL, 22)).reinterpretAsFloats();
    }

    /** True if some lane lies outside {@code [2^-126, 0x7F7FF000]} (as bits), the domain where all three routines use the estimate. */
    private static boolean outside(FloatVector x) {
        IntVector u = x.reinterpretAsInts().sub(0x00800000);
        return u.or(IntVector.broadcast(IS, 0x7EFFF000).sub(u)).compare(VectorOperators.LT, 0).anyTrue();
    }

    /** The 8 roots by {@link CpuMath}'s scalar routine {@code kind}. */
    private static FloatVector scalar(FloatVector x, float[] t, int kind) {
        x.intoArray(t, 0);
        for (int j = 0; j < L; j++) {
            t[j] = kind == MKL ? CpuMath.mklSqrt(t[j]) : kind == XLA ? CpuMath.xlaRsqrt(t[j]) : CpuMath.eigenRsqrtPacket(t[j]);
        }
        return FloatVector.fromArray(FS, t, 0);
    }

    /** {@link CpuMath#mklSqrt(float)} lane-wise. */
    private static FloatVector mklSqrt(FloatVector x, int[] est, int[] idx, float[] tmp) {
        if (outside(x)) return scalar(x, tmp, MKL);
        FloatVector r = estimate(x, est, idx);
        FloatVector sv = x.mul(r), h = r.mul(0.5f);
        FloatVector e = FloatVector.broadcast(FS, 0.5f).sub(sv.mul(h));
        sv = sv.mul(e).add(sv);
        h = h.mul(e).add(h);
        FloatVector d = x.sub(sv.mul(sv));
        return d.mul(h).add(sv);
    }

    /** {@link CpuMath#xlaRsqrt} lane-wise. */
    private static FloatVector xlaRsqrt(FloatVector x, int[] est, int[] idx, float[] tmp) {
        if (outside(x)) return scalar(x, tmp, XLA);
        FloatVector y0 = estimate(x, est, idx);
        return y0.mul(-0.5f).fma(y0.fma(x.mul(y0), FloatVector.broadcast(FS, -1f)), y0);
    }

    /** {@link CpuMath#eigenRsqrtPacket} lane-wise. */
    private static FloatVector eigenRsqrt(FloatVector x, int[] est, int[] idx, float[] tmp) {
        if (outside(x)) return scalar(x, tmp, EIGEN);
        FloatVector y0 = estimate(x, est, idx);
        return y0.sub(y0.mul(0.5f).mul(y0.mul(x.mul(y0)).sub(1f)));
    }

    // Each loop is one form with no flags: loops with loop-invariant flags for every knob (centering, momentum, decay)
    // grew past C2's node-count inlining cutoff, and the vector operations it then left as calls boxed their vectors
    // (8 MB allocated per step of 1e6 elements in ProfileAB). The other forms run ProfileLoopsF32 / ProfilePyTorchLoops.

    /** As {@link ProfileLoopsF32#pytorch213} without centering, momentum or weight decay: {@code v = fma((1−α)g, g, αv); θ += (−lr·g)/(mklSqrt(v) + ε)}. */
    public static void pytorch213(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, int off, int len,
                                  float rho, float omr, float eps, float nlr) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector vi = gi.mul(omr).fma(gi, FloatVector.fromArray(FS, v, i).mul(rho));
            vi.intoArray(v, i);
            FloatVector d = mklSqrt(vi, est, idx, tmp).add(eps);
            FloatVector.fromArray(FS, p, i).add(gi.mul(nlr).div(d)).intoArray(out, i);
        }
        ProfileLoopsF32.pytorch213(g, p, out, v, null, null, n, off + len - n, rho, omr, eps, 0f, 0f, false, nlr, 0f, 0f, false, false, false);
    }

    /** As {@link ProfileLoopsF32#timmTf}, plain: {@code sq = fma(1−ρ, g² − sq, sq); θ += (−lr·g)/mklSqrt(sq + ε)}. */
    public static void timmTf(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, int off, int len,
                              float omr, float eps, float nlr) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector sq = FloatVector.fromArray(FS, v, i);
            sq = gi.mul(gi).sub(sq).fma(s(omr), sq);
            sq.intoArray(v, i);
            FloatVector avg = mklSqrt(sq.add(eps), est, idx, tmp);
            FloatVector.fromArray(FS, p, i).add(gi.mul(nlr).div(avg)).intoArray(out, i);
        }
        ProfileLoopsF32.timmTf(g, p, out, v, null, null, n, off + len - n, omr, eps, 0f, 0f, false, false, 1f, 0f, nlr, false, false, false);
    }

    /** As {@link ProfileLoopsF32#keras3} in a graph, plain, over whole packets ({@code [off, off+len)} ends at or before the tensor's {@code packetEnd}). */
    public static void keras3Graph(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, int off, int len,
                                   float rho, float omr, float eps, float lr) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector vi = FloatVector.fromArray(FS, v, i).mul(rho).add(gi.mul(gi).mul(omr));
            vi.intoArray(v, i);
            FloatVector inc = gi.mul(lr).mul(eigenRsqrt(vi.add(eps), est, idx, tmp));
            FloatVector.fromArray(FS, p, i).sub(inc).intoArray(out, i);
        }
        ProfileLoopsF32.keras3(g, p, out, v, null, null, n, off + len - n, rho, omr, eps, lr, 0f, 0f, false, true, false, false, off + len);
    }

    /** As {@link ProfileLoopsF32#keras3Xla}, plain: {@code v = fma(ρ, v, (1−ρ)g²); θ = fma(−(lr·g), rsqrt(v + ε), θ)}. */
    public static void keras3Xla(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, int off, int len,
                                 float rho, float omr, float eps, float lr) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector vi = FloatVector.fromArray(FS, v, i).fma(s(rho), gi.mul(gi).mul(omr));
            vi.intoArray(v, i);
            FloatVector rs = xlaRsqrt(vi.add(eps), est, idx, tmp);
            gi.mul(lr).neg().fma(rs, FloatVector.fromArray(FS, p, i)).intoArray(out, i);
        }
        ProfileLoopsF32.keras3Xla(g, p, out, v, null, null, n, off + len - n, rho, omr, eps, lr, 0f, 0f, false, false, false);
    }

    /** As {@link ProfileLoopsF32#optaxPlain} (ε inside): {@code ν = fma(1−ρ, g², ρν); θ = fma(−lr, rsqrt(ν + ε)·g, θ)}. */
    public static void optax(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, int off, int len,
                             float rho, float omr, float eps, float nlr) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector nu = gi.mul(gi).fma(s(omr), FloatVector.fromArray(FS, v, i).mul(rho));
            nu.intoArray(v, i);
            FloatVector upd = xlaRsqrt(nu.add(eps), est, idx, tmp).mul(gi);
            upd.fma(s(nlr), FloatVector.fromArray(FS, p, i)).intoArray(out, i);
        }
        ProfileLoopsF32.optaxPlain(g, p, out, v, n, off + len - n, rho, omr, eps, nlr);
    }

    // ---- momentum and centered forms, one method per form (no flags), so that each stays small enough for C2 to inline;
    // their broadcasts are made before the loop (inside it, ProfileAB saw 8 B allocated per element), except timm_tf's,
    // which pass scalar operands (see timmTfMomentum).

    /** As {@link ProfileLoopsF32#pytorch213} with momentum, without centering or weight decay: {@code b = m·b + g/(mklSqrt(v) + ε); θ = fma(−lr, b, θ)}. */
    public static void pytorch213Momentum(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, float[] b,
                                          int off, int len, float rho, float omr, float eps, float m, float nlr) {
        int n = off + len - len % L;
        FloatVector nlrV = FloatVector.broadcast(FS, nlr);
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector vi = gi.mul(omr).fma(gi, FloatVector.fromArray(FS, v, i).mul(rho));
            vi.intoArray(v, i);
            FloatVector d = mklSqrt(vi, est, idx, tmp).add(eps);
            FloatVector bi = FloatVector.fromArray(FS, b, i).mul(m).add(gi.div(d));
            bi.intoArray(b, i);
            bi.fma(nlrV, FloatVector.fromArray(FS, p, i)).intoArray(out, i);
        }
        ProfileLoopsF32.pytorch213(g, p, out, v, null, b, n, off + len - n, rho, omr, eps, m, 0f, false, nlr, 0f, 0f, false, false, true);
    }

    /**
     * As {@link ProfileLoopsF32#pytorch213} centered ({@code |1 − α| < 0.5}: the average by {@code lerp}'s first form), without
     * momentum or weight decay: {@code ḡ = fma(w, g − ḡ, ḡ); θ += (−lr·g)/(mklSqrt(fma(−ḡ, ḡ, v)) + ε)}.
     */
    public static void pytorch213Centered(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, float[] ga,
                                          int off, int len, float rho, float omr, float eps, float w, float nlr) {
        int n = off + len - len % L;
        FloatVector wV = FloatVector.broadcast(FS, w);
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector vi = gi.mul(omr).fma(gi, FloatVector.fromArray(FS, v, i).mul(rho));
            vi.intoArray(v, i);
            FloatVector a = FloatVector.fromArray(FS, ga, i);
            a = gi.sub(a).fma(wV, a);
            a.intoArray(ga, i);
            FloatVector d = mklSqrt(a.neg().fma(a, vi), est, idx, tmp).add(eps);
            FloatVector.fromArray(FS, p, i).add(gi.mul(nlr).div(d)).intoArray(out, i);
        }
        ProfileLoopsF32.pytorch213(g, p, out, v, ga, null, n, off + len - n, rho, omr, eps, 0f, 0f, false, nlr, w, 1f - w, true, true, false);
    }

    /** {@link #pytorch213Centered} with momentum: {@code b = m·b + g/d; θ = fma(−lr, b, θ)}. */
    public static void pytorch213CenteredMomentum(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, float[] ga,
                                                  float[] b, int off, int len, float rho, float omr, float eps, float w, float m, float nlr) {
        int n = off + len - len % L;
        FloatVector nlrV = FloatVector.broadcast(FS, nlr), wV = FloatVector.broadcast(FS, w);
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector vi = gi.mul(omr).fma(gi, FloatVector.fromArray(FS, v, i).mul(rho));
            vi.intoArray(v, i);
            FloatVector a = FloatVector.fromArray(FS, ga, i);
            a = gi.sub(a).fma(wV, a);
            a.intoArray(ga, i);
            FloatVector d = mklSqrt(a.neg().fma(a, vi), est, idx, tmp).add(eps);
            FloatVector bi = FloatVector.fromArray(FS, b, i).mul(m).add(gi.div(d));
            bi.intoArray(b, i);
            bi.fma(nlrV, FloatVector.fromArray(FS, p, i)).intoArray(out, i);
        }
        ProfileLoopsF32.pytorch213(g, p, out, v, ga, b, n, off + len - n, rho, omr, eps, m, 0f, false, nlr, w, 1f - w, true, true, true);
    }

    /**
     * As {@link ProfileLoopsF32#timmTf} with momentum, lr inside the buffer (timm's default), not centered, no weight decay:
     * {@code sq = fma(1−ρ, g² − sq, sq); b = m·b + (lr·g)/mklSqrt(sq + ε); θ −= b}.
     */
    public static void timmTfMomentum(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, float[] b,
                                      int off, int len, float omr, float eps, float m, float lr) {
        int n = off + len - len % L;
        // scalar operands, no vector broadcast before the loop: in a call shorter than a vector C2 kept such a vector on
        // the heap (NoAllocationTest, 96 B per step pair now and then, as ProfileVectorTribuo's once)
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector sq = FloatVector.fromArray(FS, v, i);
            sq = gi.mul(gi).sub(sq).lanewise(VectorOperators.FMA, omr, sq);
            sq.intoArray(v, i);
            FloatVector avg = mklSqrt(sq.add(eps), est, idx, tmp);
            FloatVector bi = FloatVector.fromArray(FS, b, i).mul(m).add(gi.mul(lr).div(avg));
            bi.intoArray(b, i);
            FloatVector.fromArray(FS, p, i).sub(bi).intoArray(out, i);
        }
        ProfileLoopsF32.timmTf(g, p, out, v, null, b, n, off + len - n, omr, eps, m, 0f, false, false, 1f, lr, -lr, true, false, true);
    }

    /** {@link #timmTfMomentum} with lr outside the buffer: {@code b = m·b + g/mklSqrt(sq + ε); θ = fma(−lr, b, θ)}. */
    public static void timmTfMomentumLrOutside(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, float[] b,
                                               int off, int len, float omr, float eps, float m, float nlr) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {      // scalar operands, as timmTfMomentum
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector sq = FloatVector.fromArray(FS, v, i);
            sq = gi.mul(gi).sub(sq).lanewise(VectorOperators.FMA, omr, sq);
            sq.intoArray(v, i);
            FloatVector avg = mklSqrt(sq.add(eps), est, idx, tmp);
            FloatVector bi = FloatVector.fromArray(FS, b, i).mul(m).add(gi.div(avg));
            bi.intoArray(b, i);
            bi.lanewise(VectorOperators.FMA, nlr, FloatVector.fromArray(FS, p, i)).intoArray(out, i);
        }
        ProfileLoopsF32.timmTf(g, p, out, v, null, b, n, off + len - n, omr, eps, m, 0f, false, false, 1f, -nlr, nlr, false, false, true);
    }

    /**
     * As {@link ProfileLoopsF32#optax} with momentum (ε inside, no bias correction, not centered, not Nesterov):
     * {@code u = −lr·(rsqrt(ν + ε)·g); tr = fma(m, −b, u); b = −tr; θ += tr}.
     */
    public static void optaxMomentum(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, float[] b,
                                     int off, int len, float rho, float omr, float eps, float nlr, float m) {
        int n = off + len - len % L;
        FloatVector mV = FloatVector.broadcast(FS, m), omrV = FloatVector.broadcast(FS, omr);
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector nu = gi.mul(gi).fma(omrV, FloatVector.fromArray(FS, v, i).mul(rho));
            nu.intoArray(v, i);
            FloatVector upd = xlaRsqrt(nu.add(eps), est, idx, tmp).mul(gi).mul(nlr);
            FloatVector tr = FloatVector.fromArray(FS, b, i).neg().fma(mV, upd);
            tr.neg().intoArray(b, i);
            FloatVector.fromArray(FS, p, i).add(tr).intoArray(out, i);
        }
        ProfileLoopsF32.optax(g, p, out, v, null, b, n, off + len - n, rho, omr, eps, nlr, m, 1f, false, true, false, false, true);
    }

    /** As {@link ProfileLoopsF32#keras3Xla} with momentum (not centered, no decay): {@code b = fma(m, b, (lr·g)·rsqrt(v + ε)); θ −= b}. */
    public static void keras3XlaMomentum(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] v, float[] b,
                                         int off, int len, float rho, float omr, float eps, float lr, float m) {
        int n = off + len - len % L;
        FloatVector rhoV = FloatVector.broadcast(FS, rho), mV = FloatVector.broadcast(FS, m);
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector vi = FloatVector.fromArray(FS, v, i).fma(rhoV, gi.mul(gi).mul(omr));
            vi.intoArray(v, i);
            FloatVector rs = xlaRsqrt(vi.add(eps), est, idx, tmp);
            FloatVector bi = FloatVector.fromArray(FS, b, i).fma(mV, gi.mul(lr).mul(rs));
            bi.intoArray(b, i);
            FloatVector.fromArray(FS, p, i).sub(bi).intoArray(out, i);
        }
        ProfileLoopsF32.keras3Xla(g, p, out, v, null, b, n, off + len - n, rho, omr, eps, lr, m, 0f, false, false, true);
    }

    // ---- PyTorch 2.13's other optimizers (transform.PyTorchProfile), float32 with MKL's root. Adadelta (two roots per element)
    // stays in ProfilePyTorchLoops: with two roots in one loop body C2 reached its node-count inlining cutoff and boxed
    // vectors (8–24 MB allocated per step of 1e6 elements in ProfileAB), also with the roots behind array-only helpers.

    /** As {@link ProfilePyTorchLoops#adagrad(float[], float[], float[], float[], int, int, float, boolean, float, float, boolean, boolean)} with MKL's root, without weight decay. */
    public static void adagrad213(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] sum, int off, int len,
                                  float eps, float step) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector sm = gi.fma(gi, FloatVector.fromArray(FS, sum, i));
            sm.intoArray(sum, i);
            FloatVector std = mklSqrt(sm, est, idx, tmp).add(eps);
            FloatVector.fromArray(FS, p, i).add(gi.mul(step).div(std)).intoArray(out, i);
        }
        ProfilePyTorchLoops.adagrad(g, p, out, sum, n, off + len - n, 0f, false, eps, step, false, true);
    }

    /**
     * As {@link ProfilePyTorchLoops#adam(float[], float[], float[], float[], float[], float[], int, int, int, boolean, float, boolean, boolean, float, float, float, boolean, float, float, float, float, float, float)}
     * in the for-loop and foreach arithmetic, for Adam without weight decay or AdamW ({@code dec}), {@code β1 ≥ 0.5} and no AMSGrad.
     */
    public static void adam213(int[] est, int[] idx, float[] tmp, float[] g, float[] p, float[] out, float[] m1, float[] v2,
                               int off, int len, boolean dec, float shrink, float w, float cb2, float b2, float bc2, float eps, float nss) {
        int n = off + len - len % L;
        for (int i = off; i < n; i += L) {
            FloatVector gi = FloatVector.fromArray(FS, g, i), pi = FloatVector.fromArray(FS, p, i);
            if (dec) pi = pi.mul(shrink);
            FloatVector m = FloatVector.fromArray(FS, m1, i);
            m = gi.sub(m).fma(s(w), m);
            m.intoArray(m1, i);
            FloatVector v = gi.mul(cb2).fma(gi, FloatVector.fromArray(FS, v2, i).mul(b2));
            v.intoArray(v2, i);
            FloatVector denom = mklSqrt(v, est, idx, tmp).div(bc2).add(eps);
            pi.add(m.mul(nss).div(denom)).intoArray(out, i);
        }
        ProfilePyTorchLoops.adam(g, p, out, m1, v2, null, n, off + len - n, off + len, false, 0f, false, dec, shrink, w, 1f - w, true, cb2, b2,
                bc2, eps, 0f, nss);
    }
}
