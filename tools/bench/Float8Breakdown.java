import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.rmsprop4j.kernel.Float8Vector;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.StateQuantization;

/**
 * Where the float8 RMSprop step's time goes, on one thread, in one JVM, interleaved in rounds (so load hits every row
 * alike): the float32 step and the float8 steps through {@link Optimizer}; the library's strip loop called directly
 * over every block; throw-away copies of that loop (not in the library) with the square root and division replaced by
 * one multiply ("no divider"), without the coding of the block before ("no coding"), and with both; the coding alone
 * ({@link Float8Vector#quantize} block by block); and a float32 step written like the strip (load v instead of
 * decoding codes), to compare loop shapes. The variants' bits differ from the library's, on purpose: they only time.
 * The copies keep the library's loop as it was before the twelfth pass (the decode {@code bits(c << 19)·2^112}, a float32
 * subnormal for codes 1..15, the coding's blend, the fallback at scales from 2^16): compare them with each other, not
 * with the library's row (README, "8-bit optimizer state").
 * 512 bits (16 lanes) only.
 * Usage: java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Xmx6g -cp cli/target/rmsprop4j.jar \
 *            tools/bench/Float8Breakdown.java SIZE [ROUNDS=7] [MS=300] [BLOCK=256] [PAD=0 floats between the two scratch blocks]
 */
public class Float8Breakdown {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_512;
    static final VectorSpecies<Byte> BS = ByteVector.SPECIES_128;
    static final int LANES = 16, U_SHIFT = 19, NORMAL_MIN = 113 << 23, BIAS = 112 << 23, UMAX = 240;
    static final float UP = 0x1p112f, MIN8 = 0x1p-14f;
    static final float DECAY = 0.99f, OMD = 0.01f, EPS = 1e-8f, LR = 0.01f;

    public static void main(String[] a) throws Exception {
        int n = (int) Double.parseDouble(a[0]);
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 7;
        long ms = a.length > 2 ? Long.parseLong(a[2]) : 300;
        int bs = a.length > 3 ? Integer.parseInt(a[3]) : 256;
        n -= n % bs;
        int nb = n / bs;
        float[] p = new float[n], g = new float[n], v32 = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < n; i++) { p[i] = (float) r.nextGaussian(); g[i] = (float) (r.nextGaussian() * 1e-2); v32[i] = g[i] * g[i]; }
        byte[] codes = new byte[n];
        float[] scales = new float[nb];
        Arrays.fill(scales, 1e-4f);
        Arrays.fill(codes, (byte) 200);
        int pad = a.length > 4 ? Integer.parseInt(a[4]) : 0;
        float[] v0 = new float[bs];
        float[] gap = new float[pad];      // v0 and v1 are allocated back to back in the TLAB unless PAD floats lie between
        float[] v1 = new float[bs], v2 = new float[bs], prev = new float[bs];
        Arrays.fill(prev, 3e-5f);

        RmsPropConfig cfg = RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8).build();
        List<String> names = new ArrayList<>();
        List<Runnable> jobs = new ArrayList<>();
        for (String s : List.of("fp32", "fp8-" + bs)) {
            StateQuantization q = s.equals("fp32") ? StateQuantization.none() : StateQuantization.parse(s);
            Optimizer o = Optimizer.builder(cfg).layout(ParamLayout.single("t", n)).threads(1).stateQuantization(q).build();
            names.add("Optimizer " + s);
            jobs.add(() -> o.step(p, g));
        }
        names.add("strip (library)");
        jobs.add(() -> Float8Vector.rmspropPlainStrip(p, g, 0, codes, 0, scales, 0, nb, bs, v0, v1, DECAY, OMD, 0f, EPS, LR, prev, 3e-5f, 0));
        names.add("lag 2 (throw-away copy)");
        jobs.add(() -> libCopy(512, p, g, 0, codes, 0, scales, 0, nb, bs, v0, v1, v2, DECAY, OMD, 0f, EPS, LR, prev, 3e-5f, 0));
        names.add("lag 2 at any block size");
        jobs.add(() -> libCopy(1 << 30, p, g, 0, codes, 0, scales, 0, nb, bs, v0, v1, v2, DECAY, OMD, 0f, EPS, LR, prev, 3e-5f, 0));
        names.add("strip, no divider");
        jobs.add(() -> strip(p, g, codes, scales, nb, bs, v0, v1, prev, true, true));
        names.add("strip, no coding");
        jobs.add(() -> strip(p, g, codes, scales, nb, bs, v0, v1, prev, false, false));
        names.add("strip, neither");
        jobs.add(() -> strip(p, g, codes, scales, nb, bs, v0, v1, prev, false, true));
        names.add("strip copy (both)");
        jobs.add(() -> strip(p, g, codes, scales, nb, bs, v0, v1, prev, true, false));
        names.add("copy + add(epsIn=0)");
        jobs.add(() -> stripEpsIn(p, g, codes, scales, nb, bs, v0, v1, prev, 0f));
        names.add("copy, hyper-params args");
        jobs.add(() -> stripParams(p, g, codes, scales, nb, bs, v0, v1, prev, DECAY, OMD, EPS, LR));
        names.add("copy, scale chained");
        jobs.add(() -> stripChain(p, g, codes, scales, nb, bs, v0, v1, prev));
        names.add("two passes per block");
        jobs.add(() -> twoPass(p, g, codes, scales, nb, bs, v0));
        names.add("coding alone");
        jobs.add(() -> { for (int k = 0; k < nb; k++) Float8Vector.quantize(v32, k * bs, bs, 1e-4f, false, codes, k * bs); });
        names.add("fp32 loop, same shape");
        final int nn = n;
        jobs.add(() -> fp32(p, g, v32, nn));

        int k = jobs.size();
        double[][] ns = new double[k][rounds];
        for (int round = -1; round < rounds; round++) {
            for (int i = 0; i < k; i++) {
                long t0 = System.nanoTime(), end = t0 + (round < 0 ? 3 : 1) * ms * 1_000_000L, t = t0;
                List<Long> per = new ArrayList<>();
                while (t < end) {
                    jobs.get(i).run();
                    long t1 = System.nanoTime();
                    per.add(t1 - t);
                    t = t1;
                }
                if (round >= 0) {
                    per.sort(null);
                    ns[i][round] = per.get(per.size() / 2) / (double) n;
                }
            }
        }
        System.out.printf(Locale.ROOT, "size %d block %d pad %d (%d), 1 thread, %d rounds x %d ms; loadavg %s%n", n, bs, pad, gap.length, rounds, ms,
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        double f32 = median(ns[0]);
        for (int i = 0; i < k; i++) {
            double m = median(ns[i]);
            System.out.printf(Locale.ROOT, "%-24s %.4f ns/value  (rounds %.4f-%.4f)  fp32 step / this %.2fx%n", names.get(i), m,
                    min(ns[i]), max(ns[i]), f32 / m);
        }
    }

    static double median(double[] x) { double[] y = x.clone(); Arrays.sort(y); return y[y.length / 2]; }
    static double min(double[] x) { return Arrays.stream(x).min().orElse(0); }
    static double max(double[] x) { return Arrays.stream(x).max().orElse(0); }

    /** The library's strip loop (scale finite, multiply by the inverse), optionally without the coding and/or the divider. */
    static void strip(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v0, float[] v1, float[] prev,
                      boolean code, boolean noDiv) {
        if (code && noDiv) stripNoDiv(p, g, codes, scales, count, bs, v0, v1, prev);
        else if (code) stripCopy(p, g, codes, scales, count, bs, v0, v1, prev);
        else if (noDiv) stripNeither(p, g, codes, scales, count, bs, v0, v1);
        else stripNoCode(p, g, codes, scales, count, bs, v0, v1);
    }

    static void stripCopy(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v0, float[] v1, float[] prev) {
        int prevOff = 0;
        float mulInv = 1f / 3e-5f;
        for (int j = 0; j < count; j++) {
            float[] v = (j & 1) == 0 ? v0 : v1;
            int e = j * bs;
            float up = UP * scales[j];
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, e + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(DECAY);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(OMD).fma(gi, vi);
                vi.intoArray(v, i);
                FloatVector d = vi.sqrt().add(EPS);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(LR).div(d)).intoArray(p, e + i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);
                IntVector b = FloatVector.fromArray(FS, prev, i).mul(mulInv).reinterpretAsInts().max(0);
                FloatVector s = b.reinterpretAsFloats().add(MIN8);
                IntVector t = s.sub(MIN8).reinterpretAsInts();
                IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                        .blend(b, b.compare(VectorOperators.GE, NORMAL_MIN));
                ((ByteVector) bb.sub(BIAS - ((1 << (U_SHIFT - 1)) - 1)).lanewise(VectorOperators.LSHR, U_SHIFT).min(UMAX)
                        .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, prevOff + i);
            }
            float m = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            scales[j] = 1e-4f + 0f * m;       // keep the scale steady between calls (timing only)
            prev = v;
            prevOff = e;
        }
    }

    static void stripEpsIn(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v0, float[] v1, float[] prev, float epsIn) {
        int prevOff = 0;
        float mulInv = 1f / 3e-5f;
        for (int j = 0; j < count; j++) {
            float[] v = (j & 1) == 0 ? v0 : v1;
            int e = j * bs;
            float up = UP * scales[j];
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, e + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(DECAY);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(OMD).fma(gi, vi);
                vi.intoArray(v, i);
                FloatVector d = vi.add(epsIn).sqrt().add(EPS);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(LR).div(d)).intoArray(p, e + i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);
                IntVector b = FloatVector.fromArray(FS, prev, i).mul(mulInv).reinterpretAsInts().max(0);
                FloatVector s = b.reinterpretAsFloats().add(MIN8);
                IntVector t = s.sub(MIN8).reinterpretAsInts();
                IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                        .blend(b, b.compare(VectorOperators.GE, NORMAL_MIN));
                ((ByteVector) bb.sub(BIAS - ((1 << (U_SHIFT - 1)) - 1)).lanewise(VectorOperators.LSHR, U_SHIFT).min(UMAX)
                        .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, prevOff + i);
            }
            float m = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            scales[j] = 1e-4f + 0f * m;       // keep the scale steady between calls (timing only)
            prev = v;
            prevOff = e;
        }
    }

    static void stripParams(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v0, float[] v1, float[] prev,
                            float decay, float omd, float epsOut, float lr) {
        int prevOff = 0;
        float mulInv = 1f / 3e-5f;
        for (int j = 0; j < count; j++) {
            float[] v = (j & 1) == 0 ? v0 : v1;
            int e = j * bs;
            float up = UP * scales[j];
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, e + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(decay);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(omd).fma(gi, vi);
                vi.intoArray(v, i);
                FloatVector d = vi.sqrt().add(epsOut);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(lr).div(d)).intoArray(p, e + i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);
                IntVector b = FloatVector.fromArray(FS, prev, i).mul(mulInv).reinterpretAsInts().max(0);
                FloatVector s = b.reinterpretAsFloats().add(MIN8);
                IntVector t = s.sub(MIN8).reinterpretAsInts();
                IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                        .blend(b, b.compare(VectorOperators.GE, NORMAL_MIN));
                ((ByteVector) bb.sub(BIAS - ((1 << (U_SHIFT - 1)) - 1)).lanewise(VectorOperators.LSHR, U_SHIFT).min(UMAX)
                        .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, prevOff + i);
            }
            float m = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            scales[j] = 1e-4f + 0f * m;       // keep the scale steady between calls (timing only)
            prev = v;
            prevOff = e;
        }
    }

    static void stripChain(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v0, float[] v1, float[] prev) {
        int prevOff = 0;
        float prevScale = 3e-5f;
        for (int j = 0; j < count; j++) {
            float[] v = (j & 1) == 0 ? v0 : v1;
            int e = j * bs;
            float up = UP * scales[j];
            float mulInv = prevScale > 0f ? 1f / prevScale : 0f;
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, e + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(DECAY);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(OMD).fma(gi, vi);
                vi.intoArray(v, i);
                FloatVector d = vi.sqrt().add(EPS);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(LR).div(d)).intoArray(p, e + i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);
                IntVector b = FloatVector.fromArray(FS, prev, i).mul(mulInv).reinterpretAsInts().max(0);
                FloatVector s = b.reinterpretAsFloats().add(MIN8);
                IntVector t = s.sub(MIN8).reinterpretAsInts();
                IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                        .blend(b, b.compare(VectorOperators.GE, NORMAL_MIN));
                ((ByteVector) bb.sub(BIAS - ((1 << (U_SHIFT - 1)) - 1)).lanewise(VectorOperators.LSHR, U_SHIFT).min(UMAX)
                        .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, prevOff + i);
            }
            float m = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            scales[j] = 1e-4f + 0f * m;       // keep the scale steady between calls (timing only)
            prevScale = m;
            prev = v;
            prevOff = e;
        }
    }

    static float[] libCopy(int lag2Max, float[] p, float[] g, int off, byte[] codes, int codeOff, float[] scales, int k, int count, int bs,
                                            float[] v0, float[] v1, float[] v2, float decay, float omd, float epsIn, float epsOut, float lr,
                                            float[] prev, float prevScale, int prevCodeOff) {
        var FS = FloatVector.SPECIES_512;  // locals: the kernel tier names no boxed type
        var IS = IntVector.SPECIES_512;
        var BS = ByteVector.SPECIES_128;
        int k8 = U_SHIFT;
        boolean lag2 = bs <= lag2Max;
        // the blocks still to code, oldest first: qa (scale sa, codes at ca; aCoded: coded once already) and qb
        float[] qa = prev, qb = null;
        float sa = prevScale, sb = 0f;
        int ca = prevCodeOff, cb = 0;
        boolean aCoded = false;
        for (int j = 0; j < count; j++) {
            float[] t = qa;                       // the block this loop codes
            float ts = sa;
            int tc = ca;
            if (qb != null) {
                qa = qb;
                sa = sb;
                ca = cb;
                qb = null;
                aCoded = false;
            } else if (lag2) {
                aCoded = true;                    // block 0: coded now and again in block 1, so that one loop fits all
            } else {
                qa = null;
            }
            float[] v = v0 != t && v0 != qa ? v0 : v1 != t && v1 != qa ? v1 : v2;
            int e = off + j * bs, c = codeOff + j * bs;
            float scale = scales[k + j];
            float up = UP * scale;
            float a;
            if (!(up < Float.POSITIVE_INFINITY)) {   // scale >= 2^16 or NaN: decode with two products, code unfused
                Float8Vector.quantize(t, 0, bs, ts, false, codes, tc);
                a = Float.intBitsToFloat(Float8Vector.rmspropPlain(p, g, e, codes, c, scale, v, 0, bs, decay, omd, epsIn, epsOut, lr));
            } else {
                float inv = (ts > 0f ? 1f / ts : 0f);
                boolean divide = inv == Float.POSITIVE_INFINITY;   // subnormal scale: coded again below, dividing
                float mulInv = divide ? 0f : inv;
                IntVector m0 = IntVector.zero(IS);
                for (int i = 0; i < bs; i += LANES) {
                    // value(code)·scale in one product: intBitsToFloat(c << 19)·2^112 is exact, so times scale it is the same
                    // real number as intBitsToFloat(c << 19)·(2^112·scale), rounded once, whenever 2^112·scale is finite
                    IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, c + i).convertShape(VectorOperators.B2I, IS, 0);
                    FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(decay);
                    FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                    vi = gi.mul(omd).fma(gi, vi);
                    vi.intoArray(v, i);
                    FloatVector d = vi.add(epsIn).sqrt().add(epsOut);
                    FloatVector.fromArray(FS, p, e + i).sub(gi.mul(lr).div(d)).intoArray(p, e + i);
                    m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);      // no call on the loop-carried m0
                    IntVector b = FloatVector.fromArray(FS, t, i).mul(mulInv).reinterpretAsInts().max(0);
                    FloatVector s = b.reinterpretAsFloats().add(MIN8);                   // below 2^-14: Float8.belowNormal
                    IntVector u = s.sub(MIN8).reinterpretAsInts();                      // compared as ints: both are >= +0
                    IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, u))
                            .blend(b, b.compare(VectorOperators.GE, NORMAL_MIN));
                    ((ByteVector) bb.sub(BIAS - ((1 << (k8 - 1)) - 1)).lanewise(VectorOperators.LSHR, k8).min(UMAX)
                            .convertShape(VectorOperators.I2B, BS, 0))
                            .intoArray(codes, tc + i);
                }
                if (divide) Float8Vector.quantize(t, 0, bs, ts, false, codes, tc);
                a = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            }
            scales[k + j] = a;
            if (qa == null) {
                qa = v;
                sa = a;
                ca = c;
                aCoded = false;
            } else {
                qb = v;
                sb = a;
                cb = c;
            }
        }
        if (qb == null) return qa;
        if (!aCoded) Float8Vector.quantize(qa, 0, bs, sa, false, codes, ca);
        return qb;
    }

    static void stripNoDiv(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v0, float[] v1, float[] prev) {
        int prevOff = 0;
        float mulInv = 1f / 3e-5f;
        for (int j = 0; j < count; j++) {
            float[] v = (j & 1) == 0 ? v0 : v1;
            int e = j * bs;
            float up = UP * scales[j];
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, e + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(DECAY);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(OMD).fma(gi, vi);
                vi.intoArray(v, i);
                FloatVector d = vi.mul(0.5f).add(EPS);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(LR).mul(d)).intoArray(p, e + i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);
                IntVector b = FloatVector.fromArray(FS, prev, i).mul(mulInv).reinterpretAsInts().max(0);
                FloatVector s = b.reinterpretAsFloats().add(MIN8);
                IntVector t = s.sub(MIN8).reinterpretAsInts();
                IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                        .blend(b, b.compare(VectorOperators.GE, NORMAL_MIN));
                ((ByteVector) bb.sub(BIAS - ((1 << (U_SHIFT - 1)) - 1)).lanewise(VectorOperators.LSHR, U_SHIFT).min(UMAX)
                        .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, prevOff + i);
            }
            float m = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            scales[j] = 1e-4f + 0f * m;
            prev = v;
            prevOff = e;
        }
    }

    static void stripNoCode(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v0, float[] v1) {
        for (int j = 0; j < count; j++) {
            float[] v = (j & 1) == 0 ? v0 : v1;
            int e = j * bs;
            float up = UP * scales[j];
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, e + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(DECAY);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(OMD).fma(gi, vi);
                vi.intoArray(v, i);
                FloatVector d = vi.sqrt().add(EPS);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(LR).div(d)).intoArray(p, e + i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);
            }
            float m = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            scales[j] = 1e-4f + 0f * m;
        }
    }

    static void stripNeither(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v0, float[] v1) {
        for (int j = 0; j < count; j++) {
            float[] v = (j & 1) == 0 ? v0 : v1;
            int e = j * bs;
            float up = UP * scales[j];
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, e + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(DECAY);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(OMD).fma(gi, vi);
                vi.intoArray(v, i);
                FloatVector d = vi.mul(0.5f).add(EPS);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(LR).mul(d)).intoArray(p, e + i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);
            }
            float m = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            scales[j] = 1e-4f + 0f * m;
        }
    }

    /**
     * Each block in two passes: the new mean squares and their maximum (stored to one scratch block), then the parameter
     * update and the coding with the now known scale, reading the scratch back while it is still in L1. The same values
     * as the strip (the same operations on the same inputs), with the write-to-read distance one block, not two.
     */
    static void twoPass(float[] p, float[] g, byte[] codes, float[] scales, int count, int bs, float[] v) {
        for (int j = 0; j < count; j++) {
            int e = j * bs;
            float up = UP * scales[j];
            IntVector m0 = IntVector.zero(IS);
            for (int i = 0; i < bs; i += LANES) {
                IntVector cv = (IntVector) ByteVector.fromArray(BS, codes, e + i).convertShape(VectorOperators.B2I, IS, 0);
                FloatVector vi = cv.and(0xff).lanewise(VectorOperators.LSHL, U_SHIFT).reinterpretAsFloats().mul(up).mul(DECAY);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                vi = gi.mul(OMD).fma(gi, vi);
                vi.intoArray(v, i);
                m0 = vi.reinterpretAsInts().and(0x7fffffff).max(m0);
            }
            float a = Float.intBitsToFloat(IntVector.zero(IS).max(m0).reduceLanes(VectorOperators.MAX));
            float mulInv = 1f / a;
            for (int i = 0; i < bs; i += LANES) {
                FloatVector vi = FloatVector.fromArray(FS, v, i);
                FloatVector gi = FloatVector.fromArray(FS, g, e + i);
                FloatVector d = vi.add(0f).sqrt().add(EPS);
                FloatVector.fromArray(FS, p, e + i).sub(gi.mul(LR).div(d)).intoArray(p, e + i);
                IntVector b = vi.mul(mulInv).reinterpretAsInts().max(0);
                FloatVector s = b.reinterpretAsFloats().add(MIN8);
                IntVector t = s.sub(MIN8).reinterpretAsInts();
                IntVector bb = s.reinterpretAsInts().sub(1 << 23).add(1, b.compare(VectorOperators.GT, t))
                        .blend(b, b.compare(VectorOperators.GE, NORMAL_MIN));
                ((ByteVector) bb.sub(BIAS - ((1 << (U_SHIFT - 1)) - 1)).lanewise(VectorOperators.LSHR, U_SHIFT).min(UMAX)
                        .convertShape(VectorOperators.I2B, BS, 0)).intoArray(codes, e + i);
            }
            scales[j] = 1e-4f + 0f * a;       // keep the scale steady between calls (timing only)
        }
    }

    /** The float32 plain step in the strip's shape: v loaded and stored instead of decoded and coded. */
    static void fp32(float[] p, float[] g, float[] v, int n) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector gi = FloatVector.fromArray(FS, g, i);
            FloatVector vi = FloatVector.fromArray(FS, v, i).mul(DECAY);
            vi = gi.mul(OMD).fma(gi, vi);
            vi.intoArray(v, i);
            FloatVector d = vi.sqrt().add(EPS);
            FloatVector.fromArray(FS, p, i).sub(gi.mul(LR).div(d)).intoArray(p, i);
        }
    }
}
