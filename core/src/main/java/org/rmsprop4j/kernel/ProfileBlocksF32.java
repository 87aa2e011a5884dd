package org.rmsprop4j.kernel;

import org.rmsprop4j.transform.CpuMath;

/**
 * The float32 profiles whose root is built on the CPU's {@code rsqrtps} estimate (PyTorch 2.13's and
 * timm's MKL {@code sqrt}, XLA's {@code rsqrt} under Optax and Keras/JAX, Eigen's packet
 * {@code rsqrt} in Keras graphs), without centering, momentum or weight decay, cut into blocks of
 * {@value #BLOCK} elements so that only the table lookup runs scalar: per block, (A) a vector loop
 * updates the state; (B) a scalar loop looks the estimate of the root's argument up in the table
 * ({@link CpuMath}, as AMD Zen 4 computes it) for every element, with no branch, into {@code y};
 * (C) a vector loop refines it exactly as the framework's routine does; (D) a vector loop finishes
 * the update. An argument outside the routine's fast domain (zero, subnormal, negative, huge,
 * non-finite) sends its whole block through {@link CpuMath}'s scalar routine instead. Bit for bit
 * the same as {@link ProfileLoopsF32} (tested).
 *
 * <p>{@code y} is the caller's scratch, indexed like the data ({@code y[i]} for element {@code i}, so
 * at least {@code off + len} long): C2 (JDK 17) vectorises a loop only when all its arrays share one
 * index expression, and a block-sized scratch indexed {@code i − a} left passes (A) and (D) scalar
 * (measured: 1.0 and 0.9 ns per element against 0.25 with one index). Threads working on disjoint
 * ranges may share it. {@code table} is {@code CpuMath}'s.
 */
public final class ProfileBlocksF32 {
    private ProfileBlocksF32() {}

    /** System property that turns the {@link ProfileVectorF32} loops off ({@code -Drmsprop4j.profile.vector=false}); read when a profile is built. */
    public static final String VECTOR_PROPERTY = "rmsprop4j.profile.vector";

    /**
     * Whether profiles built now run {@link ProfileVectorF32}: the JVM was started with {@code --add-modules
     * jdk.incubator.vector}, prefers vectors of at least 256 bits (AVX2 or wider), and {@link #VECTOR_PROPERTY} is not {@code false}.
     */
    public static boolean vectorEnabled() {
        if (VectorProbe.BAD_WIDTH != null) throw VectorProbe.BAD_WIDTH;
        return VectorProbe.AVAILABLE && !"false".equals(System.getProperty(VECTOR_PROPERTY));
    }

    private static final class VectorProbe {
        /** A bad {@code -Drmsprop4j.vector.bits}, read before any vector class is touched; thrown by the check above. */
        static final IllegalArgumentException BAD_WIDTH = VectorWidthProperty.error();
        static final boolean AVAILABLE = BAD_WIDTH == null && probe();

        private static boolean probe() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return false;
            try {
                return ProfileVectorF32.preferredBits() >= 256;
            } catch (LinkageError e) {       // the module is there but this class loader cannot read it
                return false;
            }
        }
    }

    /** Elements per block: a block of every array and the table stay in the first-level cache across the four passes. */
    static final int BLOCK = 512;

    /**
     * (B): {@code y[i] = rsqrtps(v[i] + eps)} over {@code [a, e)}, for a positive normal argument; returns
     * a negative number if some argument lies outside {@code [2^-126, 0x7F7FF001)} (as bits), the
     * domain where MKL's, XLA's and Eigen's routines all use the estimate.
     */
    static int estimates(char[] table, float[] v, float eps, float[] y, int a, int e) {
        // CpuMath.rsqrtps with fewer operations, for a positive normal x (bits b, biased exponent e = b >>> 23):
        // the index (odd << 12) | top12 is bits 11..23 of b with bit 12 (e's lowest bit) flipped, since odd = (e − 127) & 1;
        // e − odd = (e − 1) | 1, and ((e − 127 − odd) >> 1) << 23 = (e − odd − 127) << 22 as e − 127 − odd is even
        int bad = 0;
        for (int i = a; i < e; i++) {
            int b = Float.floatToRawIntBits(v[i] + eps);
            int u = b - 0x00800000;
            bad |= u | (0x7EFFF000 - u);
            int r = (table[((b >>> 11) & 0x1FFF) ^ 0x1000] << 11) - ((((b >>> 23) - 1) | 1) << 22);
            y[i] = Float.intBitsToFloat(r + (0x3F000000 + (127 << 22)));
        }
        return bad;
    }

    /** (B, C): {@code y = mklSqrt(v + eps)} over {@code [a, e)}. */
    static void mklSqrt(char[] table, float[] v, float eps, float[] y, int a, int e) {
        if (estimates(table, v, eps, y, a, e) < 0) {
            for (int i = a; i < e; i++) y[i] = CpuMath.mklSqrt(v[i] + eps);
            return;
        }
        for (int i = a; i < e; i++) {
            float x = v[i] + eps, r = y[i];
            float s = x * r, h = r * 0.5f;
            float d = 0.5f - s * h;
            s = s * d + s;
            h = h * d + h;
            float f = x - s * s;
            y[i] = f * h + s;
        }
    }

    /** (B, C): {@code y = xlaRsqrt(v + eps)} over {@code [a, e)}. */
    static void xlaRsqrt(char[] table, float[] v, float eps, float[] y, int a, int e) {
        if (estimates(table, v, eps, y, a, e) < 0) {
            for (int i = a; i < e; i++) y[i] = CpuMath.xlaRsqrt(v[i] + eps);
            return;
        }
        for (int i = a; i < e; i++) {
            float x = v[i] + eps, y0 = y[i];
            y[i] = Math.fma(y0 * -0.5f, Math.fma(y0, x * y0, -1f), y0);
        }
    }

    /** (B, C): {@code y = eigenRsqrtPacket(v + eps)} over {@code [a, e)}. */
    static void eigenRsqrt(char[] table, float[] v, float eps, float[] y, int a, int e) {
        if (estimates(table, v, eps, y, a, e) < 0) {
            for (int i = a; i < e; i++) y[i] = CpuMath.eigenRsqrtPacket(v[i] + eps);
            return;
        }
        for (int i = a; i < e; i++) {
            float x = v[i] + eps, y0 = y[i];
            y[i] = y0 - (0.5f * y0) * (y0 * (x * y0) - 1f);
        }
    }

    /** PyTorch 2.13, plain: {@code v = fma((1−α)g, g, αv); θ = θ + (−lr·g)/(mklSqrt(v) + ε)}. */
    public static void pytorch213(char[] table, float[] y, float[] g, float[] p, float[] out, float[] v, int off, int len,
                                  float rho, float omr, float eps, float nlr) {
        for (int a = off, end = off + len; a < end; a += BLOCK) {
            int e = Math.min(a + BLOCK, end);
            for (int i = a; i < e; i++) {
                float gi = g[i];
                v[i] = Math.fma(omr * gi, gi, rho * v[i]);
            }
            mklSqrt(table, v, 0f, y, a, e);          // v + 0 is v: no element of v is −0 (v ≥ 0 and fma(x, x, +0) is +0)
            for (int i = a; i < e; i++) out[i] = p[i] + (nlr * g[i]) / (y[i] + eps);
        }
    }

    /** timm {@code RMSpropTF}, plain: {@code sq = fma(1−ρ, g² − sq, sq); θ = θ + (−lr·g)/mklSqrt(sq + ε)}. */
    public static void timmTf(char[] table, float[] y, float[] g, float[] p, float[] out, float[] v, int off, int len,
                              float omr, float eps, float nlr) {
        for (int a = off, end = off + len; a < end; a += BLOCK) {
            int e = Math.min(a + BLOCK, end);
            for (int i = a; i < e; i++) {
                float gi = g[i], sq = v[i];
                v[i] = Math.fma(omr, gi * gi - sq, sq);
            }
            mklSqrt(table, v, eps, y, a, e);
            for (int i = a; i < e; i++) out[i] = p[i] + (nlr * g[i]) / y[i];
        }
    }

    /** Optax, plain (ε inside): {@code ν = fma(1−ρ, g², ρν); θ = fma(−lr, rsqrt(ν + ε)·g, θ)}. */
    public static void optax(char[] table, float[] y, float[] g, float[] p, float[] out, float[] v, int off, int len,
                             float rho, float omr, float eps, float nlr) {
        for (int a = off, end = off + len; a < end; a += BLOCK) {
            int e = Math.min(a + BLOCK, end);
            for (int i = a; i < e; i++) {
                float gi = g[i];
                v[i] = Math.fma(omr, gi * gi, rho * v[i]);
            }
            xlaRsqrt(table, v, eps, y, a, e);
            for (int i = a; i < e; i++) out[i] = Math.fma(nlr, y[i] * g[i], p[i]);
        }
    }

    /** Keras 3 under XLA, plain: {@code v = fma(ρ, v, (1−ρ)g²); θ = fma(−(lr·g), rsqrt(v + ε), θ)}. */
    public static void keras3Xla(char[] table, float[] y, float[] g, float[] p, float[] out, float[] v, int off, int len,
                                 float rho, float omr, float eps, float lr) {
        for (int a = off, end = off + len; a < end; a += BLOCK) {
            int e = Math.min(a + BLOCK, end);
            for (int i = a; i < e; i++) {
                float gi = g[i];
                v[i] = Math.fma(rho, v[i], omr * (gi * gi));
            }
            xlaRsqrt(table, v, eps, y, a, e);
            for (int i = a; i < e; i++) out[i] = Math.fma(-(lr * g[i]), y[i], p[i]);
        }
    }

    /** Keras 3 in a graph, plain, over whole 8-float packets only: {@code v = ρv + (1−ρ)g²; θ = θ − (g·lr)·rsqrt(v + ε)}. */
    public static void keras3Graph(char[] table, float[] y, float[] g, float[] p, float[] out, float[] v, int off, int len,
                                   float rho, float omr, float eps, float lr) {
        for (int a = off, end = off + len; a < end; a += BLOCK) {
            int e = Math.min(a + BLOCK, end);
            for (int i = a; i < e; i++) {
                float gi = g[i];
                v[i] = rho * v[i] + omr * (gi * gi);
            }
            eigenRsqrt(table, v, eps, y, a, e);
            for (int i = a; i < e; i++) out[i] = p[i] - (g[i] * lr) * y[i];
        }
    }
}
