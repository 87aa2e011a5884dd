package org.rmsprop4j.transform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The table-based square roots against values printed by {@code tools/recorders/emulate.py}
 * ({@code rsqrtps}, {@code mkl_sqrt_f32}, {@code mkl_sqrt_f64}, {@code xla_rsqrt_f32},
 * {@code eigen_rsqrt}), whose models were checked there against MKL's {@code vsSqrt}/{@code vdSqrt}
 * and {@code jax.jit(jax.lax.rsqrt)}. Bit patterns, hex; each row was picked by hand, the
 * {@code differs} rows where the framework's result is not the correctly rounded one.
 */
class CpuMathTest {

    private static float f(int bits) { return Float.intBitsToFloat(bits); }

    private static int b(float x) { return Float.floatToRawIntBits(x); }

    private static long b(double x) { return Double.doubleToRawLongBits(x); }

    @Test
    void rsqrtpsIsTheTabulatedZen4Estimate() {
        assertThat(b(CpuMath.rsqrtps(1.0f))).isEqualTo(0x3f7ff800);
        assertThat(b(CpuMath.rsqrtps(2.0f))).isEqualTo(0x3f350000);
        assertThat(b(CpuMath.rsqrtps(f(0x3dcccccd)))).isEqualTo(0x404a6800);
        assertThat(b(CpuMath.rsqrtps(f(0x1fac5dcb)))).isEqualTo(0x4f5ca000);
        assertThat(b(CpuMath.rsqrtps(f(0x7f7fc99e)))).isEqualTo(0x1f801000);
    }

    @Test
    void mklSqrtFloat32() {
        int[][] rows = { {0x40400000, 0x3fddb3d7}, {0x3a83126f, 0x3d0186e3}, {0x4640e6b6, 0x42de38e3},
                {0x1fac5dcb, 0x2f94892d}, {0x7f7fc99e, 0x5f7fe4ce},
                // differs from the IEEE root by one ULP:
                {0x42a58a5f, 0x411190a7}, {0x4156777b, 0x406a509f}, {0x42213ec5, 0x40cb2bfa} };
        for (int[] r : rows) assertThat(b(CpuMath.mklSqrt(f(r[0])))).as("x %08x", r[0]).isEqualTo(r[1]);
        assertThat(b(CpuMath.mklSqrt(f(0x42a58a5f)))).isNotEqualTo(b((float) Math.sqrt(f(0x42a58a5f))));
        assertThat(CpuMath.mklSqrt(0f)).isZero();
        assertThat(CpuMath.mklSqrt(-1f)).isNaN();
        assertThat(CpuMath.mklSqrt(Float.POSITIVE_INFINITY)).isInfinite();
    }

    @Test
    void mklSqrtFloat64() {
        long[][] rows = { {0x4008000000000000L, 0x3ffbb67ae8584caaL}, {0x3fb999999999999aL, 0x3fd43d136248490fL},
                {0x169659e54d0b4200L, 0x2b42e92a67cc5501L}, {0x7e37e43c8800759cL, 0x5f138d352e5096afL},
                // differs from the IEEE root by one ULP:
                {0x404b55d0e20803feL, 0x401d936692f35f36L}, {0x4037d2c4af9d2b20L, 0x4013860e1c4cec31L},
                {0x404b85b2e4424cd2L, 0x401dad42a5085329L} };
        for (long[] r : rows) {
            assertThat(b(CpuMath.mklSqrt(Double.longBitsToDouble(r[0])))).as("x %016x", r[0]).isEqualTo(r[1]);
        }
    }

    @Test
    void xlaRsqrtFloat32() {
        int[][] rows = { {0x40000000, 0x3f3504f3}, {0x40400000, 0x3f13cd3a}, {0x3dcccccd, 0x404a62c2},
                {0x1fac5dcb, 0x4f5c9b50},
                // not the correctly rounded 1/√x:
                {0x4289c98a, 0x3df6bd91}, {0x4254a2f4, 0x3e0c724f}, {0x429c83a7, 0x3de78251} };
        for (int[] r : rows) assertThat(b(CpuMath.xlaRsqrt(f(r[0])))).as("x %08x", r[0]).isEqualTo(r[1]);
        assertThat(CpuMath.xlaRsqrt(0f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(CpuMath.xlaRsqrt(1e-40f)).isEqualTo(Float.POSITIVE_INFINITY);   // subnormals flushed
        assertThat(CpuMath.xlaRsqrt(Float.POSITIVE_INFINITY)).isZero();
        assertThat(CpuMath.xlaRsqrt(-2f)).isNaN();
    }

    @Test
    void eigenRsqrtPacketFloat32() {
        // 0x404a62c1 and 0x4f5c9b4f: one ULP below XLA's result for the same input (no FMA in Eigen's step)
        int[][] rows = { {0x40400000, 0x3f13cd3a}, {0x3dcccccd, 0x404a62c1}, {0x1fac5dcb, 0x4f5c9b4f}, {0x7f7fc99e, 0x1f800d9b} };
        for (int[] r : rows) assertThat(b(CpuMath.eigenRsqrtPacket(f(r[0])))).as("x %08x", r[0]).isEqualTo(r[1]);
    }
}
