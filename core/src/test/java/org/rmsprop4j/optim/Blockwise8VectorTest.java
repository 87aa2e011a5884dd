package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rmsprop4j.kernel.Blockwise8;
import org.rmsprop4j.kernel.Blockwise8Vector;

/**
 * The vector loops of 8-bit state ({@link Blockwise8Vector}) give the scalar loops' bits: codes, scales,
 * parameters and saved state, on awkward data (zeros, ±0, subnormals, NaN, ±∞, exact
 * thresholds, every bucket) and lengths that leave a scalar tail. The build runs the tests with
 * {@code --add-modules jdk.incubator.vector}; the scalar fallback ({@code -Drmsprop4j.blockwise8.vector=false})
 * runs in the same JVM.
 */
class Blockwise8VectorTest {

    static void assumeVector() {
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).as("the build runs core's tests with --add-modules jdk.incubator.vector").isPresent();
        Assumptions.assumeTrue(Blockwise8.vectorAvailable(), "this CPU has no 256-bit vectors");
    }

    /** Values of every kind: ordinary, tiny, subnormal, zero of both signs, and (if {@code specials}) NaN and infinities. */
    static float[] awkward(SplittableRandom r, int n, boolean specials) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(specials ? 10 : 7);
            v[i] = switch (kind) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> Float.intBitsToFloat(r.nextInt(1, 0x800000)) * (r.nextBoolean() ? 1 : -1);  // subnormal
                case 3 -> (float) (r.nextGaussian() * 1e-30);
                case 7 -> Float.NaN;
                case 8 -> Float.POSITIVE_INFINITY;
                case 9 -> Float.NEGATIVE_INFINITY;
                default -> (float) (r.nextGaussian() * Math.exp(r.nextDouble(-12, 3)));
            };
        }
        return v;
    }

    static void assertSameCoding(QuantMap m, float[] src, int off, int len, float scale, String what) {
        byte[] a = new byte[off + len + 3], b = new byte[off + len + 3];
        Blockwise8.quantize(src, off, len, scale, m.tab, m.thr, a, off);
        Blockwise8Vector.quantize(src, off, len, scale, m.packTab(), new int[len], b, off);
        assertThat(b).as(what).containsExactly(a);
    }

    @Test
    void absMaxAndQuantizeGiveTheScalarBits() {
        assumeVector();
        SplittableRandom r = new SplittableRandom(15);
        for (QuantMap m : List.of(QuantMap.SIGNED, QuantMap.UNSIGNED)) {
            for (int len : new int[] {0, 1, 7, 8, 9, 37, 256, 300, 2048}) {
                for (int round = 0; round < 4; round++) {
                    boolean specials = round == 3;
                    int off = r.nextInt(5);
                    float[] src = awkward(r, off + len + 2, specials);
                    String what = m.name + " len " + len + " off " + off + " round " + round;
                    int bits = Blockwise8.absMaxBits(src, off, len);
                    assertThat(Blockwise8Vector.absMaxBits(src, off, len)).as(what).isEqualTo(bits);
                    float scale = Float.intBitsToFloat(bits);
                    assertSameCoding(m, src, off, len, scale, what + " scale " + scale);
                    // the library's entry: the maximum and the coding in one call
                    byte[] a = new byte[off + len + 3], b = new byte[off + len + 3];
                    Blockwise8.quantize(src, off, len, scale, m.tab, m.thr, a, off);
                    assertThat(Blockwise8Vector.quantize(src, off, len, m.packTab(), new int[len], b, off)).as(what + " one call").isEqualTo(bits);
                    assertThat(b).as(what + " one call").containsExactly(a);
                    for (float s : new float[] {0f, Float.MIN_VALUE, 1e-40f, Float.NaN, Float.POSITIVE_INFINITY, 3.5f}) {
                        assertSameCoding(m, src, off, len, s, what + " scale " + s);
                    }
                }
            }
        }
    }

    /** Every threshold and its neighbours, and both ends of every one of the 65,536 buckets, code as the scalar loop does. */
    @Test
    void everyThresholdAndBucketCodesAsTheScalarLoop() {
        assumeVector();
        for (QuantMap m : List.of(QuantMap.SIGNED, QuantMap.UNSIGNED)) {
            SplittableRandom r = new SplittableRandom(m.name.length());
            float[] x = new float[255 * 3 + 3 * 65536];
            int n = 0;
            for (int k = 0; k < 255; k++) {
                x[n++] = m.thr[k];
                x[n++] = Math.nextUp(m.thr[k]);
                x[n++] = Math.nextDown(m.thr[k]);
            }
            for (int u = 0; u < 65536; u++) {
                x[n++] = Float.intBitsToFloat(u << Blockwise8.SHIFT);
                x[n++] = Float.intBitsToFloat((u << Blockwise8.SHIFT) | 0xffff);
                x[n++] = Float.intBitsToFloat((u << Blockwise8.SHIFT) | r.nextInt(0x10000));
            }
            int[] pack = m.packTab();
            for (int i = 0; i < n; i++) {
                if (Blockwise8Vector.code(x[i], pack) != Blockwise8.code(x[i], m.tab, m.thr)) {
                    assertThat(Blockwise8Vector.code(x[i], pack)).as(m.name + " packed code of " + x[i]).isEqualTo(Blockwise8.code(x[i], m.tab, m.thr));
                }
            }
            assertSameCoding(m, x, 0, n, 1f, m.name + " at scale 1");
            byte[] b = new byte[n];
            Blockwise8Vector.quantize(x, 0, n, 1f, m.packTab(), new int[n], b, 0);
            for (int k = 0; k < 255; k++) assertThat(b[3 * k] & 0xff).as(m.name + " tie at threshold " + k + " goes to the lower entry").isEqualTo(k);
        }
    }

    /**
     * The method that holds the coding's vectors stays longer than C2's {@code FreqInlineSize} (325 bytes of bytecode on
     * x86-64 and AArch64), so C2 never inlines it into the optimizer's large block loop, where a failed intrinsic boxed
     * the vectors in some JVMs (see {@code Blockwise8Vector.codeBlock}). Read from the class
     * file: a shorter edit of that method fails here, not as a rare allocation.
     */
    @Test
    void theCodingLoopsAreCompiledOnTheirOwn() throws IOException {
        assertThat(bytecodeLength(Blockwise8Vector.class, "codeBlock")).as("bytes of Blockwise8Vector.codeBlock").isGreaterThan(325);
    }

    /** The largest bytecode length of the methods named {@code name} in {@code c}'s class file (JVMS 4). */
    static int bytecodeLength(Class<?> c, String name) throws IOException {
        try (InputStream raw = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            assertThat(raw).as(c + ".class").isNotNull();
            DataInputStream in = new DataInputStream(raw);
            assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
            in.readInt();                                           // minor, major
            int n = in.readUnsignedShort();
            String[] utf8 = new String[n];
            for (int i = 1; i < n; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> { in.readLong(); i++; }
                    case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> { in.readUnsignedByte(); in.readUnsignedShort(); }
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            in.readUnsignedShort(); in.readUnsignedShort(); in.readUnsignedShort();   // access, this, super
            in.skipBytes(2 * in.readUnsignedShort());               // interfaces
            for (int pass = 0, best = -1; ; pass++) {                // fields (pass 0), then methods (pass 1)
                int count = in.readUnsignedShort();
                for (int k = 0; k < count; k++) {
                    in.readUnsignedShort();
                    String member = utf8[in.readUnsignedShort()];
                    in.readUnsignedShort();
                    int attrs = in.readUnsignedShort();
                    for (int a = 0; a < attrs; a++) {
                        String attr = utf8[in.readUnsignedShort()];
                        int len = in.readInt();
                        if (pass == 1 && attr.equals("Code") && member.equals(name)) {
                            in.readUnsignedShort(); in.readUnsignedShort();          // max stack, max locals
                            int code = in.readInt();
                            best = Math.max(best, code);
                            in.skipBytes(len - 8);
                        } else {
                            in.skipBytes(len);
                        }
                    }
                }
                if (pass == 1) {
                    assertThat(best).as("a method " + name + " in " + c).isPositive();
                    return best;
                }
            }
        }
    }

    static boolean vectorOf(Optimizer o) throws ReflectiveOperationException {
        var f = Optimizer.class.getDeclaredField("groupArray");
        f.setAccessible(true);
        Object g = java.lang.reflect.Array.get(f.get(o), 0);
        var q = g.getClass().getDeclaredField("q");
        q.setAccessible(true);
        return ((QuantizedState) q.get(g)).vector;
    }

    static Optimizer build(OptimizerSpec spec, int block, int threads, boolean vector) {
        String old = System.getProperty(QuantizedState.VECTOR_PROPERTY);
        System.setProperty(QuantizedState.VECTOR_PROPERTY, String.valueOf(vector));
        try {
            return Optimizer.builder(spec).layout(Blockwise8StateTest.layout()).threads(threads).parallelThreshold(64)
                    .stateQuantization(StateQuantization.blockwise8(block)).build();
        } finally {
            if (old == null) System.clearProperty(QuantizedState.VECTOR_PROPERTY);
            else System.setProperty(QuantizedState.VECTOR_PROPERTY, old);
        }
    }

    /** Whole runs (every fused family, blocks of 64 and 256, 1 and 2 threads): same parameters and saved state with the vector loops and without. */
    @Test
    void vectorAndScalarStepsGiveTheSameParametersAndState() throws ReflectiveOperationException {
        assumeVector();
        for (OptimizerSpec spec : Blockwise8StateTest.specs()) {
            for (int block : new int[] {64, 256}) {
                int threads = block == 64 ? 2 : 1;
                Optimizer v = build(spec, block, threads, true), s = build(spec, block, threads, false);
                assertThat(vectorOf(v)).isTrue();
                assertThat(vectorOf(s)).as("-D" + QuantizedState.VECTOR_PROPERTY + "=false forces the scalar loops").isFalse();
                int n = Blockwise8StateTest.layout().size();
                float[] pv = new float[n], ps = new float[n];
                SplittableRandom r = new SplittableRandom(block);
                for (int t = 0; t < 8; t++) {
                    float[] g = Blockwise8StateTest.randomGrads(r, n);
                    if (t == 5) for (int i = 0; i < 40; i++) g[r.nextInt(n)] = 0f;
                    v.step(pv, g);
                    s.step(ps, g);
                }
                assertThat(pv).as(spec + " block " + block).containsExactly(ps);
                assertThat(v.stateDict()).as(spec + " block " + block).isEqualTo(s.stateDict());
            }
        }
    }
}
