package org.rmsprop4j.transform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Square roots and reciprocal square roots as some frameworks compute them on an x86-64 CPU, for
 * the {@linkplain RmsPropProfile arithmetic profiles}: bit for bit, not correctly rounded.
 *
 * <p>They are all built on the CPU's {@code rsqrtps}/{@code rsqrtss} estimate (12 bits, specified
 * only to a relative error of 1.5·2⁻¹²), which Java cannot execute. It is read from an
 * 8,192-entry table ({@code rsqrtps-amd-epyc.hex}, a resource next to this class, copied from
 * {@code tools/recorders/}) of the estimate <b>as an AMD EPYC (Zen 4) computes it</b>: there it
 * depends only on the exponent's parity and the top 12 mantissa bits of the input. An Intel CPU
 * computes other estimates, so the frameworks give other bits there, and so these functions
 * reproduce the frameworks <b>on AMD Zen 4</b> only. To target another CPU, regenerate the table on
 * it ({@code gcc -O2 -o /tmp/rsq tools/recorders/rsqrtps_table.c && /tmp/rsq > FILE}) and replace
 * the resource. The formulas are those of {@code docs/arithmetic.md}, proven there by
 * {@code tools/recorders/emulate.py} against the frameworks' own functions.
 */
public final class CpuMath {
    private CpuMath() {}

    private static final String TABLE = "rsqrtps-amd-epyc.hex";
    /** The 12-bit estimates (0..4095), as chars: 16 KiB, so the table and a block of data share the first-level cache. */
    private static final char[] RSQRTPS = load();

    /** The table itself, for the fused profile loops (never modified). */
    static char[] table() { return RSQRTPS; }

    private static char[] load() {
        char[] t = new char[8192];
        int n = 0;
        try (InputStream in = CpuMath.class.getResourceAsStream(TABLE)) {
            if (in == null) throw new IllegalStateException("resource " + TABLE + " is missing from the core jar");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                for (String v : line.trim().split("\\s+")) {
                    if (n == t.length) throw new IllegalStateException(TABLE + " holds more than 8192 entries");
                    int x = Integer.parseInt(v, 16);
                    if (x < 0 || x > 0xFFF) throw new IllegalStateException(TABLE + " holds " + v + ", not a 12-bit estimate");
                    t[n++] = (char) x;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TABLE, e);
        }
        if (n != t.length) throw new IllegalStateException(TABLE + " holds " + n + " entries, not 8192");
        return t;
    }

    /** The {@code rsqrtps} estimate of {@code 1/√x} for a normal float {@code x > 0} (AMD Zen 4 table). */
    public static float rsqrtps(float x) {
        int b = Float.floatToRawIntBits(x);
        int e = (b >>> 23) & 0xFF;
        int odd = (e - 127) & 1;
        int r = 0x3F000000 + (RSQRTPS[((odd << 23) | (b & 0x7FFFFF)) >>> 11] << 11);
        int k = (e - 127 - odd) / 2;
        return Float.intBitsToFloat(r - (k << 23));
    }

    /** The same estimate for a normal double {@code x > 0}, as MKL's float64 kernel forms it (exactly scaled). */
    static double rsqrtps(double x) {
        long b = Double.doubleToRawLongBits(x);
        int e = (int) ((b >>> 52) & 0x7FF);
        int odd = (e - 1023) & 1;
        int top12 = (int) ((b >>> 40) & 0xFFF);
        int r = 0x3F000000 + (RSQRTPS[(odd << 12) | top12] << 11);
        int k = (e - 1023 - odd) / 2;
        return Math.scalb((double) Float.intBitsToFloat(r), -k);
    }

    /**
     * Intel MKL VML's {@code vsSqrt} (kernel {@code sSqrt_EXHAynn}), PyTorch 2.13's CPU {@code sqrt}
     * in float32: the estimate refined without FMA, every operation rounded to float32. Not
     * correctly rounded (up to 0.75 ULP). Zeros, subnormals, negatives, infinities, NaN and the
     * largest floats take MKL's special path, IEEE {@code sqrt}.
     */
    public static float mklSqrt(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (bits < 0x00800000 || bits >= 0x7F7FF001) return (float) Math.sqrt(x);   // sign bit set: negative int
        float r = rsqrtps(x);
        float s = x * r, h = r * 0.5f;
        float e = 0.5f - s * h;
        s = s * e + s;
        h = h * e + h;
        float d = x - s * s;
        return d * h + s;
    }

    private static final double A = Double.longBitsToDouble(0x3FD1800032338CBBL);
    private static final double B = Double.longBitsToDouble(0x3FD40000B13001D9L);
    private static final double C = Double.longBitsToDouble(0x3FD80000000000F6L);
    private static final double D = Double.longBitsToDouble(0x3FDFFFFFFFFFFE71L);

    /**
     * Intel MKL VML's {@code vdSqrt} (kernel {@code dSqrt_EXHAynn}), PyTorch 2.13's CPU {@code sqrt}
     * in float64: the float32 estimate, a split of {@code x}, a degree-4 series, no FMA. Not
     * correctly rounded (up to 0.53 ULP). Non-normal inputs and {@code x >= 2^1022}: IEEE {@code sqrt}.
     */
    public static double mklSqrt(double x) {
        long bits = Double.doubleToRawLongBits(x);
        if (bits < 0x0010000000000000L || bits >= 0x7FD0000000000000L) return Math.sqrt(x);
        double y0 = rsqrtps(x);
        double t = y0 * y0;
        double xh = Double.longBitsToDouble(bits & 0xFFFFFFFFF8000000L);
        double xl = x - xh;
        double e = (1.0 - t * xh) - t * xl;
        double p = (((e * A + B) * e + C) * e + D) * e;
        return xh * y0 + (xl * y0 + (p * y0) * x);
    }

    /**
     * XLA's CPU float32 {@code rsqrt} (LLVM's x86 lowering; Optax and Keras under {@code jax.jit}):
     * the estimate and one Newton step with FMAs. Non-normal inputs return the estimate: +∞ for
     * zero and subnormals (XLA flushes them), 0 for +∞, NaN for negatives and NaN.
     */
    public static float xlaRsqrt(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (bits >= 0x00800000 && bits < 0x7F800000) {
            float y0 = rsqrtps(x);
            return Math.fma(y0 * -0.5f, Math.fma(y0, x * y0, -1f), y0);
        }
        if ((bits & 0x7FFFFFFF) < 0x00800000) return Math.copySign(Float.POSITIVE_INFINITY, x);
        if (x == Float.POSITIVE_INFINITY) return 0f;
        return Float.NaN;
    }

    /**
     * TensorFlow's CPU {@code Rsqrt} (Eigen, AVX without FMA) on the elements of an 8-float packet,
     * i.e. the first {@code n − n mod 8} elements of a tensor: {@code y0 − (0.5·y0)·(y0·(x·y0) − 1)},
     * every operation rounded to float32. Non-normal inputs (and the scalar tail of a tensor) take
     * {@code 1/√x}.
     */
    public static float eigenRsqrtPacket(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (bits >= 0x00800000 && bits < 0x7F800000) {
            float y0 = rsqrtps(x);
            return y0 - (0.5f * y0) * (y0 * (x * y0) - 1f);
        }
        return 1f / (float) Math.sqrt(x);
    }
}
