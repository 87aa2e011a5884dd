package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rmsprop4j.kernel.Float8;
import org.rmsprop4j.kernel.Float8Vector;

/**
 * 8-bit state on the float8 maps ({@link Float8}): the arithmetic coding against a binary search over
 * the decoded values, unbiased rounding, the vector loops against the scalar ones, and the optimizer:
 * the step, threads, both paths, save/load, map mismatches, conversion, memory and allocation.
 */
class Float8StateTest {

    static final StateQuantization FP8_256 = StateQuantization.blockwise8(256).withFloat8Map();

    /** The map's distinct non-negative values, ascending (241 unsigned, 121 signed). */
    static float[] magnitudes(boolean signed) {
        int n = signed ? Float8.SIGNED_MAX : Float8.UNSIGNED_MAX;
        float[] v = new float[n + 1];
        for (int c = 0; c <= n; c++) v[c] = signed ? Float8.decodeSigned(c) : Float8.decodeUnsigned(c);
        return v;
    }

    /** Reference: the index of the nearest value of {@code m} to {@code x >= 0}, a tie going to the lower one (by binary search on exact double midpoints). */
    static int nearestBySearch(float[] m, float x) {
        if (Float.isNaN(x)) return m.length - 1;
        int lo = 0, hi = m.length - 1;  // answer in [lo, hi]: the count of midpoints below x
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (((double) m[mid] + m[mid + 1]) / 2 < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    static final float[] U = magnitudes(false), S = magnitudes(true);

    @Test
    void mapsAreMinifloatsWithExactZeroOneAndSubnormals() {
        assertThat(U).hasSize(241);
        for (int c = 1; c < U.length; c++) assertThat(U[c]).as("code %d", c).isGreaterThan(U[c - 1]);
        assertThat(U[0]).isEqualTo(0f);
        assertThat(U[1]).isEqualTo(0x1p-18f);
        assertThat(U[15]).isEqualTo(15 * 0x1p-18f);
        assertThat(U[16]).isEqualTo(0x1p-14f);
        assertThat(U[17]).isEqualTo(0x1p-14f * (1 + 1 / 16f));
        assertThat(U[239]).isEqualTo(0.5f * (1 + 15 / 16f));
        assertThat(U[240]).isEqualTo(1f);
        assertThat(S).hasSize(121);
        assertThat(S[1]).isEqualTo(0x1p-17f);
        assertThat(S[8]).isEqualTo(0x1p-14f);
        assertThat(S[119]).isEqualTo(0.5f * (1 + 7 / 8f));
        assertThat(S[120]).isEqualTo(1f);
        for (int c = 0; c <= 120; c++) assertThat(Float8.decodeSigned(c | 0x80)).isEqualTo(-S[c]);
        assertThat(Float.floatToRawIntBits(Float8.decodeSigned(0x80))).isEqualTo(0x80000000);
        for (int c = 0; c < 256; c++) {     // every code, the unused ones too, against the definition in doubles
            int e = c >> 4, m = c & 15, es = c >> 3 & 15, ms = c & 7;
            double u = e == 0 ? m * 0x1p-18 : Math.scalb(1 + m / 16.0, e - 15);
            double sm = es == 0 ? ms * 0x1p-17 : Math.scalb(1 + ms / 8.0, es - 15);
            assertThat(Float.floatToRawIntBits(Float8.decodeUnsigned(c))).as("unsigned code %d", c).isEqualTo(Float.floatToRawIntBits((float) u));
            assertThat(Float.floatToRawIntBits(Float8.decodeSigned(c))).as("signed code %d", c)
                    .isEqualTo(Float.floatToRawIntBits((float) ((c & 0x80) != 0 ? -sm : sm)));
        }
        assertThat(QuantMap.FP8_UNSIGNED.values[240]).isEqualTo(1f);
        assertThat(QuantMap.FP8_UNSIGNED.values[241]).isNaN();
        assertThat(QuantMap.FP8_SIGNED.values[248]).isEqualTo(-1f);
        assertThat(QuantMap.FP8_SIGNED.valid(121)).isFalse();
        assertThat(QuantMap.FP8_SIGNED.valid(249)).isFalse();
        assertThat(QuantMap.FP8_SIGNED.code(-1f)).isEqualTo(248);
    }

    static void checkCoding(float x) {
        int u = Float8.codeUnsigned(x);
        assertThat(u).as("unsigned code of %s (bits %x)", x, Float.floatToRawIntBits(x)).isEqualTo(nearestBySearch(U, x));
        int s = Float8.codeSigned(x), sn = Float8.codeSigned(-x);
        assertThat(s).as("signed code of %s", x).isEqualTo(nearestBySearch(S, x));
        assertThat(sn).as("signed code of -%s", x).isEqualTo(s | 0x80);
    }

    /** Every midpoint and every value, ± 8 ulps, zero, subnormal floats, 1 and above, ∞ and NaN (the default run). */
    @Test
    void codingEqualsBinarySearchAroundEveryMidpoint() {
        List<Float> points = new ArrayList<>(List.of(0f, Float.MIN_VALUE, Float.MIN_NORMAL, 0x1p-26f, 0x1p-19f, 0x1p-18f, 0x1p-14f,
                1f, Math.nextUp(1f), 1.01f, 1.03125f, 2f, 1e30f, Float.MAX_VALUE, Float.POSITIVE_INFINITY));
        for (float[] m : new float[][] {U, S}) {
            for (int c = 0; c < m.length; c++) {
                points.add(m[c]);
                if (c + 1 < m.length) points.add((float) (((double) m[c] + m[c + 1]) / 2));
            }
        }
        for (float p : points) {
            int b = Float.floatToRawIntBits(p);
            for (int d = -8; d <= 8; d++) if (b + d >= 0 && b + d <= 0x7f800000) checkCoding(Float.intBitsToFloat(b + d));
        }
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < 200_000; i++) checkCoding(Float.intBitsToFloat(r.nextInt(0, 0x3f800100)));
        assertThat(Float8.codeUnsigned(Float.NaN)).isEqualTo(240);
        assertThat(Float8.codeUnsigned(-0f)).isZero();
        assertThat(Float8.codeUnsigned(-1f)).isZero();
        assertThat(Float8.codeSigned(Float.NaN) & 0x7f).isEqualTo(120);
    }

    /** The coding is the binary search for every one of the 2^31 non-negative floats (tag "slow": about 10 seconds). */
    @Test
    @Tag("slow")
    void codingEqualsBinarySearchForEveryNonNegativeFloat() {
        // both are monotone step functions: compare on both sides of every change of the fast coding, and every 4,096 floats
        int prevU = -1, prevS = -1;
        long checked = 0, wrong = 0, firstWrong = -1;
        for (long b = 0; b <= 0x7f800000L; b++) {
            float x = Float.intBitsToFloat((int) b);
            int u = Float8.codeUnsigned(x), s = Float8.codeSigned(x);
            if (u != prevU || s != prevS || (b & 0xfff) == 0) {
                float y = Float.intBitsToFloat((int) Math.max(b - 1, 0));
                boolean ok = u == nearestBySearch(U, x) && s == nearestBySearch(S, x) && u >= prevU && s >= prevS
                        && Float8.codeUnsigned(y) == nearestBySearch(U, y) && Float8.codeSigned(y) == nearestBySearch(S, y);
                checked++;
                if (!ok && wrong++ == 0) firstWrong = b;
                prevU = u;
                prevS = s;
            }
        }
        assertThat(wrong).as("floats coded unlike the binary search (first at bits %x)", firstWrong).isZero();
        assertThat(checked).as("floats compared").isGreaterThan(0x7f800000L >> 12);
    }

    /** Over all 2^19 draws, the mean decoded value is the value itself to within 2^-19 of the gap; each code is one of the two neighbours. */
    @Test
    void unbiasedCodingIsUnbiasedOverAllDraws() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<Float> xs = new ArrayList<>(List.of(0f, 1f, 0x1p-20f, 0x1p-25f, 3.3e-6f, 0.37f, 0.9999f, 0.0001234f, 0x1p-14f, 0x1p-14f * 0.999f));
        for (int i = 0; i < 30; i++) xs.add((float) Math.exp(rnd.nextDouble(-17, 0)));
        for (float x : xs) {
            int near = Float8.codeUnsigned(x);
            int lo = near, hi = near;
            if (U[near] > x) lo = near - 1;
            else if (U[near] < x) hi = near + 1;
            double sum = 0;
            int outside = 0;
            for (int r = 0; r < 1 << 19; r++) {
                int c = Float8.codeUnsigned(x, r);
                if (c != lo && c != hi) outside++;
                else sum += U[c];
            }
            assertThat(outside).as("draws of %s coded outside {%d, %d}", x, lo, hi).isZero();
            double gap = U[hi] - U[lo];
            double tol = x < 0x1p-26f ? x : gap * 0x1p-19 + 1e-30;
            assertThat(Math.abs(sum / (1 << 19) - x)).as("mean for %s", x).isLessThanOrEqualTo(tol);
        }
    }

    /**
     * The vector coding is the scalar coding for every one of the 2^32 floats, both maps, scale 1 (tag "slow": its
     * selection between the subnormal and normal parts is a maximum of the two candidates, proved in the loop's comment).
     */
    @Test
    @Tag("slow")
    void vectorCodingEqualsTheScalarCodingForEveryFloat() {
        Blockwise8VectorTest.assumeVector();
        int chunk = 1 << 20;
        float[] x = new float[chunk];
        byte[] a = new byte[chunk], b = new byte[chunk];
        long wrong = 0, firstWrong = -1;
        for (long start = 0; start < 1L << 32; start += chunk) {
            for (int i = 0; i < chunk; i++) x[i] = Float.intBitsToFloat((int) (start + i));
            for (boolean signed : new boolean[] {false, true}) {
                Float8.quantize(x, 0, chunk, 1f, signed, a, 0);
                Float8Vector.quantize(x, 0, chunk, 1f, signed, b, 0);
                if (!Arrays.equals(a, b)) {
                    for (int i = 0; i < chunk; i++) {
                        if (a[i] != b[i] && wrong++ == 0) firstWrong = start + i;
                    }
                }
            }
        }
        assertThat(wrong).as("floats coded unlike the scalar coding (first at bits %x)", firstWrong).isZero();
    }

    /** Values of every kind, as {@link Blockwise8VectorTest#awkward}, scaled into a block. */
    @Test
    void vectorLoopsGiveTheScalarBits() {
        Blockwise8VectorTest.assumeVector();
        SplittableRandom r = new SplittableRandom(21);
        for (int len : new int[] {0, 1, 7, 8, 9, 37, 256, 300, 2048}) {
            for (int round = 0; round < 6; round++) {
                float[] v = Blockwise8VectorTest.awkward(r, len + 3, round == 5);
                float[] mag = v.clone();
                for (int i = 0; i < mag.length; i++) mag[i] = Math.abs(mag[i]);
                float scale = switch (round) {
                    case 0 -> 0f;
                    case 1 -> Float.MIN_VALUE * 3;
                    case 2 -> 1e-30f;
                    default -> Float.intBitsToFloat(org.rmsprop4j.kernel.Blockwise8.absMaxBits(v, 3, len));
                };
                for (boolean signed : new boolean[] {false, true}) {
                    float[] src = signed ? v : mag;
                    byte[] a = new byte[len + 5], b = new byte[len + 5];
                    Float8.quantize(src, 3, len, scale, signed, a, 2);
                    Float8Vector.quantize(src, 3, len, scale, signed, b, 2);
                    assertThat(b).as("nearest, signed %s, len %d, round %d", signed, len, round).containsExactly(a);
                    for (float ds : new float[] {0.75f, 1e-38f, Float.MIN_VALUE, 3e30f, Float.POSITIVE_INFINITY, Float.NaN}) {
                        float[] da = new float[len + 1], db = new float[len + 1];
                        Float8.dequantize(a, 2, ds, signed, da, 1, len);
                        Float8Vector.dequantize(a, 2, ds, signed, db, 1, len);
                        assertThat(Float8AdamTest.bits(db)).as("dequantize, scale %s", ds).containsExactly(Float8AdamTest.bits(da));
                    }
                }
                byte[] a = new byte[len + 5], b = new byte[len + 5];
                Float8.quantizeUnbiased(mag, 3, len, scale, 12345 + round, a, 2);
                Float8Vector.quantizeUnbiased(mag, 3, len, scale, 12345 + round, b, 2);
                assertThat(b).as("unbiased, len %d, round %d", len, round).containsExactly(a);
            }
        }
    }

    /** Every code 0..255 (the unused ones too) through the vector decoding against the scalar one, both maps, scales of every kind. */
    @Test
    void vectorDecodingOfEveryCodeGivesTheScalarBits() {
        Blockwise8VectorTest.assumeVector();
        byte[] codes = new byte[259];
        for (int i = 0; i < codes.length; i++) codes[i] = (byte) (i - 1);
        for (boolean signed : new boolean[] {false, true}) {
            for (float ds : new float[] {0.75f, -2f, 0f, -0f, 1e-38f, Float.MIN_VALUE, 0x1p16f, 3e30f, Float.MAX_VALUE,
                    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00001)}) {
                for (int off : new int[] {0, 1, 3}) {
                    float[] da = new float[256], db = new float[256];
                    Float8.dequantize(codes, off, ds, signed, da, 0, 256);
                    Float8Vector.dequantize(codes, off, ds, signed, db, 0, 256);
                    assertThat(Float8AdamTest.bits(db)).as("signed %s, scale %s, offset %d", signed, ds, off).containsExactly(Float8AdamTest.bits(da));
                }
            }
        }
    }

    /**
     * Below {@code 2^-14} the coding rounds {@code x + 2^-14} in one float add ({@code Float8.belowNormal}): every float
     * within 64 ulps of a midpoint of the grid there (which holds the adds that round onto a midpoint, from below and
     * from above), coded by the scalar coding, the vector loops and the fused step's coding of the previous block,
     * against the binary search.
     */
    @Test
    void codingBelowTheNormalRangeEqualsBinarySearchOnEveryPath() {
        Blockwise8VectorTest.assumeVector();
        for (boolean signed : new boolean[] {false, true}) {
            float[] m = signed ? S : U;
            int top = signed ? 9 : 17;          // the grid up to the first midpoint above 2^-14
            float[] x = new float[top * 129 + 7];
            int n = 0;
            for (int c = 0; c < top; c++) {
                int mid = Float.floatToRawIntBits((float) (((double) m[c] + m[c + 1]) / 2));
                for (int d = -64; d <= 64; d++) x[n++] = Float.intBitsToFloat(Math.max(mid + d, 0));
            }
            while (n < x.length) x[n++] = 0x1p-14f * (n % 3) / 3;
            byte[] scalar = new byte[n], vector = new byte[n];
            Float8.quantize(x, 0, n, 1f, signed, scalar, 0);
            Float8Vector.quantize(x, 0, n, 1f, signed, vector, 0);
            for (int i = 0; i < n; i++) {
                int want = nearestBySearch(m, x[i]);
                assertThat(scalar[i] & 0xff).as("scalar, signed %s, x = %s (bits %x)", signed, x[i], Float.floatToRawIntBits(x[i])).isEqualTo(want);
                assertThat(vector[i] & 0xff).as("vector, signed %s, x = %s (bits %x)", signed, x[i], Float.floatToRawIntBits(x[i])).isEqualTo(want);
            }
            if (signed) {
                float[] neg = x.clone();
                for (int i = 0; i < n; i++) neg[i] = -neg[i];
                Float8Vector.quantize(neg, 0, n, 1f, true, vector, 0);
                for (int i = 0; i < n; i++) assertThat(vector[i] & 0xff).as("vector, -%s", x[i]).isEqualTo(scalar[i] & 0xff | 0x80);
            } else {
                int bs = n - n % 64;
                float[] p = new float[bs], g = new float[bs], v0 = new float[bs], v1 = new float[bs];
                byte[] codes = new byte[2 * bs];
                Float8Vector.rmspropPlainStrip(p, g, 0, codes, 0, new float[] {1f}, 0, 1, bs, v0, v1, 0.99f, 0.01f, 0f, 1e-8f, 0.01f, x, 1f, bs);
                assertThat(Arrays.copyOfRange(codes, bs, 2 * bs)).as("the fused step's coding").containsExactly(Arrays.copyOf(scalar, bs));
            }
        }
    }

    /**
     * The fused strip against the scalar step and the scalar coding block by block ({@link Float8#rmspropPlain}, then
     * {@link Float8#quantize}): old scales that are ordinary, at and above 2^16, NaN, 0 and subnormal, codes of every
     * kind (a third of them minifloat subnormals, which the loops decode without float32 subnormals), blocks whose new
     * scale is subnormal (coded by division), and {@code epsIn} 0, -0 and not 0.
     */
    @ParameterizedTest
    @ValueSource(floats = {0f, -0f, 1e-6f})
    void stripEqualsTheStepAndTheCodingBlockByBlock(float epsIn) {
        Blockwise8VectorTest.assumeVector();
        SplittableRandom r = new SplittableRandom(5);
        int bs = 64, nb = 12;
        float[] scales = {0.5f, 0x1p16f, Math.nextDown(0x1p16f), 3e20f, Float.NaN, 0f, Float.MIN_VALUE * 5, 1e-41f, 1e-3f, 7f, 0x1p17f, 2f};
        float[] p = new float[bs * nb], g = new float[bs * nb];
        byte[] codes = new byte[bs * nb];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
            g[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-8, 8)));
            codes[i] = (byte) (i % 3 == 0 ? r.nextInt(0, 16) : r.nextInt(0, Float8.UNSIGNED_MAX + 1));
        }
        for (int i = 6 * bs; i < 8 * bs; i++) g[i] = i % 3 == 0 ? 0f : Float.MIN_VALUE * (i % 5);   // new scales subnormal
        float[] p2 = p.clone(), s2 = scales.clone();
        byte[] c2 = codes.clone();
        float[] v = new float[bs];
        for (int j = 0; j < nb; j++) {
            s2[j] = Float.intBitsToFloat(Float8.rmspropPlain(p2, g, j * bs, c2, j * bs, s2[j], v, 0, bs, 0.99f, 0.01f, epsIn, 1e-8f, 0.01f));
            Float8.quantize(v, 0, bs, s2[j], false, c2, j * bs);
        }
        float[] v0 = new float[bs], v1 = new float[bs], prev = new float[bs];
        Float8Vector.rmspropPlainStrip(p, g, 0, codes, 0, scales, 0, 1, bs, v0, v1, 0.99f, 0.01f, epsIn, 1e-8f, 0.01f, prev, 1f, 0);
        byte[] first = codes.clone();
        Float8.quantize(prev, 0, bs, 1f, false, first, 0);
        assertThat(codes).as("block 0 codes prev").containsExactly(first);
        Float8Vector.rmspropPlainStrip(p, g, bs, codes, bs, scales, 1, nb - 1, bs, v1, v0, 0.99f, 0.01f, epsIn, 1e-8f, 0.01f, v0, scales[0], 0);
        Float8.quantize((nb - 1) % 2 == 1 ? v1 : v0, 0, bs, scales[nb - 1], false, codes, (nb - 1) * bs);
        assertThat(Float8AdamTest.bits(p)).containsExactly(Float8AdamTest.bits(p2));
        assertThat(Float8AdamTest.bits(scales)).containsExactly(Float8AdamTest.bits(s2));
        assertThat(codes).containsExactly(c2);
        assertThat(s2[6]).as("a subnormal new scale").isLessThan(Float.MIN_NORMAL).isPositive();
    }

    /** The vector step writes its new mean squares at {@code vOff}, tail included, as the scalar step does (a review found the tail at 0). */
    @Test
    void vectorStepWritesTheMeanSquaresAtTheirOffsetTailIncluded() {
        Blockwise8VectorTest.assumeVector();
        SplittableRandom r = new SplittableRandom(9);
        int len = 16 * 3 + 5, vOff = 7;   // not a multiple of 8 or 16 lanes
        float[] p = new float[len], g = new float[len];
        byte[] codes = new byte[len];
        for (int i = 0; i < len; i++) {
            p[i] = (float) r.nextGaussian();
            g[i] = (float) r.nextGaussian();
            codes[i] = (byte) r.nextInt(0, Float8.UNSIGNED_MAX + 1);
        }
        for (float scale : new float[] {0.25f, 0f, Float.MIN_VALUE * 5, 0x1p16f, 3e30f, Float.POSITIVE_INFINITY, Float.NaN}) {
            float[] p1 = p.clone(), p2 = p.clone(), v = new float[vOff + len + 3], v2 = new float[vOff + len + 3];
            java.util.Arrays.fill(v, -1f);
            java.util.Arrays.fill(v2, -1f);
            int m = Float8Vector.rmspropPlain(p1, g, 0, codes, 0, scale, v, vOff, len, 0.99f, 0.01f, 0f, 1e-8f, 0.01f);
            int m2 = Float8.rmspropPlain(p2, g, 0, codes, 0, scale, v2, vOff, len, 0.99f, 0.01f, 0f, 1e-8f, 0.01f);
            assertThat(Float8AdamTest.bits(v)).as("scale %s", scale).containsExactly(Float8AdamTest.bits(v2));
            assertThat(Float8AdamTest.bits(p1)).as("scale %s", scale).containsExactly(Float8AdamTest.bits(p2));
            assertThat(m).isEqualTo(m2);
        }
    }

    // ---------------------------------------------------------------- the optimizer

    static float[] run(OptimizerSpec spec, StateQuantization q, int threads, boolean vector, StateDict[] state) {
        String key = QuantizedState.VECTOR_PROPERTY;
        String old = System.getProperty(key);
        System.setProperty(key, String.valueOf(vector));
        Optimizer o;
        try {
            o = Optimizer.builder(spec).layout(Blockwise8StateTest.layout()).threads(threads).parallelThreshold(64).stateQuantization(q).build();
        } finally {
            if (old == null) System.clearProperty(key);
            else System.setProperty(key, old);
        }
        SplittableRandom r = new SplittableRandom(11);
        float[] p = new float[Blockwise8StateTest.layout().size()];
        for (int t = 0; t < 6; t++) o.step(p, Blockwise8StateTest.randomGrads(r, p.length));
        state[0] = o.stateDict();
        return p;
    }

    /** 1, 2 and 3 threads, vector and scalar loops, nearest and unbiased: the same bits. */
    @Test
    void threadsAndPathsGiveTheSameBits() {
        boolean vec = org.rmsprop4j.kernel.Blockwise8.vectorAvailable();
        for (StateQuantization q : List.of(StateQuantization.blockwise8(64).withFloat8Map(), StateQuantization.blockwise8(64).withFloat8Map().withUnbiasedRounding())) {
            for (OptimizerSpec spec : Blockwise8StateTest.specs()) {
                StateDict[] s0 = new StateDict[1], s = new StateDict[1];
                float[] p0 = run(spec, q, 1, false, s0);
                for (int threads = 1; threads <= 3; threads++) {
                    for (boolean vector : vec ? new boolean[] {false, true} : new boolean[] {false}) {
                        float[] p = run(spec, q, threads, vector, s);
                        assertThat(p).as("%s %s threads %d vector %s", q.label(), spec, threads, vector).containsExactly(p0);
                        assertThat(s[0]).isEqualTo(s0[0]);
                    }
                }
                assertThat(s0[0].quantized().values()).allSatisfy(b -> assertThat(b.map()).startsWith("fp8-"));
            }
        }
    }

    /** A step is the float32 step on the dequantized state, bit for bit, and the stored state is its nearest float8 coding. */
    @Test
    void aStepIsTheFloat32StepOnTheDequantizedStateThenCoded() {
        SplittableRandom r = new SplittableRandom(7);
        for (OptimizerSpec spec : Blockwise8StateTest.specs()) {
            Optimizer q = Optimizer.builder(spec).layout(Blockwise8StateTest.layout()).stateQuantization(FP8_256).build();
            Optimizer f = Optimizer.builder(spec).layout(Blockwise8StateTest.layout()).build();
            int n = Blockwise8StateTest.layout().size();
            float[] pq = new float[n];
            for (int i = 0; i < n; i++) pq[i] = (float) r.nextGaussian();
            for (int t = 0; t < 5; t++) q.step(pq, Blockwise8StateTest.randomGrads(r, n));
            f.loadStateDict(q.stateDict().dequantize());
            float[] pf = pq.clone();
            float[] g = Blockwise8StateTest.randomGrads(r, n);
            q.step(pq, g);
            f.step(pf, g);
            assertThat(pq).as(spec.kind() + " " + spec).containsExactly(pf);
            // the stored state is float32's new state coded to nearest, as StateDict.quantize does
            assertThat(f.stateDict().quantize(q.stateDict())).as(spec.toString()).isEqualTo(q.stateDict());
        }
    }

    /** Over 200 steps the float8 run tracks the float32 run (as the dynamic map's test: displacement within 5%). */
    @Test
    void manyStepsTrackTheFloat32Run() {
        for (OptimizerSpec spec : List.of(RmsPropPreset.PYTORCH.config(), AdamConfig.builder().build(), SgdConfig.builder().momentum(0.9).build())) {
            for (StateQuantization sq : List.of(StateQuantization.blockwise8(2048).withFloat8Map(), FP8_256.withUnbiasedRounding())) {
                assertThat(Blockwise8StateTest.relativeDisplacementGap(spec, sq)).as(spec + " " + sq.label()).isLessThan(0.05);
            }
        }
    }

    @Test
    void saveLoadAndMapMismatches() throws IOException {
        OptimizerSpec spec = AdamConfig.builder().build();
        ParamLayout layout = Blockwise8StateTest.layout();
        Optimizer a = Optimizer.builder(spec).layout(layout).stateQuantization(FP8_256).build();
        SplittableRandom r = new SplittableRandom(5);
        float[] pa = new float[layout.size()];
        for (int t = 0; t < 4; t++) a.step(pa, Blockwise8StateTest.randomGrads(r, pa.length));
        StateDict saved = a.stateDict();
        assertThat(saved.quantized()).isNotEmpty();
        saved.quantized().forEach((key, buf) -> assertThat(buf.map()).as(key)
                .isEqualTo(key.endsWith("exp_avg") ? StateDict.Quantized.MAP_FP8_SIGNED : StateDict.Quantized.MAP_FP8_UNSIGNED));
        Optimizer b = Optimizer.builder(spec).layout(layout).stateQuantization(FP8_256.withUnbiasedRounding()).build();
        b.loadStateDict(StateIO.fromBytes(StateIO.toBytes(saved), "mid-run"));
        assertThat(b.stateDict()).isEqualTo(saved);
        // the dynamic map refuses fp8 buffers, naming both maps, and is left as it was
        Optimizer d = Optimizer.builder(spec).layout(layout).stateQuantization(StateQuantization.blockwise8(256)).build();
        StateDict before = d.stateDict();
        assertThatThrownBy(() -> d.loadStateDict(saved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fp8-e4m3-signed").hasMessageContaining("dynamic-signed-8");
        assertThat(d.stateDict()).isEqualTo(before);
        assertThatThrownBy(() -> b.loadStateDict(before)).hasMessageContaining("dynamic-signed-8").hasMessageContaining("fp8-e4m3-signed");
        // codes the map does not use are refused on construction (so on load)
        assertThatThrownBy(() -> new StateDict.Quantized(StateDict.Quantized.MAP_FP8_UNSIGNED, 64, new byte[] {0, (byte) 241}, new float[] {1f}))
                .hasMessageContaining("code 1 must be").hasMessageContaining("0..240");
        assertThatThrownBy(() -> new StateDict.Quantized(StateDict.Quantized.MAP_FP8_SIGNED, 64, new byte[] {121}, new float[] {1f}))
                .hasMessageContaining("0..120 and 128..248");
        new StateDict.Quantized(StateDict.Quantized.MAP_FP8_SIGNED, 64, new byte[] {120, (byte) 248, (byte) 128}, new float[] {1f});
        // float32 state converts to fp8 exactly as the optimizer stores it, and back to within the coding
        Optimizer f = Optimizer.builder(spec).layout(layout).build();
        f.loadStateDict(saved.dequantize());
        assertThat(f.stateDict().quantize(saved)).isEqualTo(saved);
    }

    @Test
    void parseLabelAndErrors() {
        assertThat(StateQuantization.parse("fp8-256")).isEqualTo(FP8_256);
        assertThat(StateQuantization.parse("fp8:256")).isEqualTo(FP8_256);
        assertThat(StateQuantization.parse("fp8")).isEqualTo(StateQuantization.blockwise8().withFloat8Map());
        assertThat(StateQuantization.parse("FP8-256-unbiased")).isEqualTo(FP8_256.withUnbiasedRounding());
        assertThat(FP8_256.label()).isEqualTo("fp8-256");
        assertThat(FP8_256.withUnbiasedRounding().label()).isEqualTo("fp8-256-unbiased");
        assertThat(StateQuantization.parse(FP8_256.withUnbiasedRounding().label())).isEqualTo(FP8_256.withUnbiasedRounding());
        assertThat(StateQuantization.blockwise8(256).map()).isEqualTo("dynamic");
        assertThat(new StateQuantization(8, 256, false)).isEqualTo(StateQuantization.blockwise8(256));
        assertThat(FP8_256.withUnbiasedRounding().float8()).isTrue();
        assertThatThrownBy(() -> StateQuantization.parse("fp8-x")).hasMessageContaining("fp8-<blockSize>");
        assertThatThrownBy(() -> StateQuantization.none().withFloat8Map()).hasMessageContaining("quantized state only");
        assertThatThrownBy(() -> new StateQuantization(8, 256, false, "e5m2")).hasMessageContaining("map").hasMessageContaining("'e5m2'")
                .hasMessageContaining("'fp8'");
        assertThatThrownBy(() -> new StateQuantization(32, 0, false, "fp8")).hasMessageContaining("bits is 32");
    }

    @ParameterizedTest
    @ValueSource(ints = {256})
    void memoryIsAtMost102BytesPerParameterPerSlot(int block) {
        int n = 10_000_000;
        // classes loaded first, so that the count below is the build's arrays
        Optimizer.builder(AdamConfig.builder().amsgrad(true).build()).size(100).stateQuantization(StateQuantization.blockwise8(block).withFloat8Map()).build();
        long heapBefore = Blockwise8StateTest.allocated();
        Optimizer o = Optimizer.builder(AdamConfig.builder().amsgrad(true).build()).size(n).stateQuantization(StateQuantization.blockwise8(block).withFloat8Map()).build();
        long heap = Blockwise8StateTest.allocated() - heapBefore;
        assertThat(o.stateBytes() / (double) n / 3).isLessThanOrEqualTo(1.02);
        if (heapBefore >= 0) assertThat(heap / (double) n / 3).isLessThanOrEqualTo(1.02);
        long dict = o.stateDict().quantized().values().stream().mapToLong(StateDict.Quantized::bytes).sum();
        assertThat(dict / (double) n / 3).isLessThanOrEqualTo(1.02);
    }

    /** After the first step, steps allocate nothing, on both roundings. */
    @Test
    void aCompiledStepAllocatesNothing() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        var counter = (com.sun.management.ThreadMXBean) mx;
        for (StateQuantization q : List.of(FP8_256, FP8_256.withUnbiasedRounding())) {
          // Adam and RMSprop with momentum run their fused passes; plain RMSprop the fused pass and the pipelined coding
          for (OptimizerSpec spec : List.of(AdamConfig.builder().build(), RmsPropPreset.PYTORCH.config(), RmsPropConfig.builder().momentum(0.9).build())) {
            Optimizer o = Optimizer.builder(spec).layout(Blockwise8StateTest.layout()).stateQuantization(q).build();
            float[] p = new float[Blockwise8StateTest.layout().size()];
            float[] g = Blockwise8StateTest.randomGrads(new SplittableRandom(4), p.length);
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 15 && best >= 0.5; round++) {
                long before = counter.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 2_000; i++) o.step(p, g);
                best = Math.min(best, (counter.getCurrentThreadAllocatedBytes() - before) / 2_000.0);
            }
            assertThat(best).as("bytes allocated per step, " + q.label() + ", " + spec.kind()).isLessThan(0.5);
          }
        }
    }

    /**
     * Mean squares that only decay under a block maximum that grows: each step moves them less than half a
     * float8 gap, so nearest rounding leaves them stuck above the float32 recursion, while the fused unbiased
     * rounding tracks it on average.
     */
    @Test
    void unbiasedRoundingLetsADecayingMeanSquareDecay() {
        int n = 256;
        double[] ratio = new double[2];
        for (int k = 0; k < 2; k++) {
            StateQuantization q = k == 0 ? FP8_256 : FP8_256.withUnbiasedRounding();
            Optimizer o = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(n).stateQuantization(q).build();
            Optimizer f = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(n).build();
            float[] p = new float[n], pf = new float[n], g = new float[n];
            Arrays.fill(g, 0.3f);
            g[0] = 1f;
            o.step(p, g);
            f.step(pf, g);
            Arrays.fill(g, 1, n, 0f);
            for (int t = 0; t < 300; t++) {
                o.step(p, g);
                f.step(pf, g);
            }
            double[] v = o.state("param", "square_avg");
            double[] w = f.state("param", "square_avg");
            double s = 0, e = 0;
            for (int i = 1; i < n; i++) {
                s += v[i];
                e += w[i];
            }
            ratio[k] = s / e;
        }
        assertThat(ratio[0]).as("nearest: stuck above the float32 recursion").isGreaterThan(1.2);
        assertThat(Math.abs(ratio[1] - 1)).as("unbiased: on average on it").isLessThan(0.05);
    }
}
