package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.kernel.Float8;
import org.rmsprop4j.kernel.Float8Vector;

/**
 * The fused float8 passes ({@link Float8Vector#adam}, run by {@code QuantizedState} for Adam and AdamW without AMSGrad, and
 * {@link Float8Vector#rmspropMomentum} for RMSprop with momentum in its lean form) give bit for bit (NaN signs aside,
 * {@link #assertSameBits}) the parameters, codes and scales of the decode, step, code path they replace
 * ({@code -Drmsprop4j.float8.fusedAdam=false}) and of the scalar loops: odd lengths, blocks of 256 and 2048, 1–3
 * threads, gradients with zeros, subnormals, huge and NaN values, blocks whose maximum is 0, subnormal or infinite.
 */
class Float8AdamTest {

    /** Lengths around the blocks and the vector lanes: 1, a few, one short of a block, blocks and a tail. */
    static ParamLayout layout() {
        return ParamLayout.builder().add("a", 1).add("b", 3 * 256 + 7).add("c", 2 * 2048 + 13).add("d", 31).add("e", 255)
                .add("f", 2048 + 256).build();
    }

    // offsets of the layout's parameters: a 0, b 1, c 776, d 4885, e 4916, f 5171; 7475 values
    static final int B = 1, C = 776, D = 4885, E = 4916, F = 5171, N = 7475;

    /**
     * Gradients of step {@code t}: ordinary values over 28 decades and some -0, with parameters or blocks that always get
     * zeros (both moments' maximum 0: e and f's first 256), subnormals (d: a subnormal first-moment maximum, second moment
     * 0), tiny values (b's third 256: a subnormal second-moment maximum), a NaN (c, step 3: its block reads NaN from then
     * on, as today) and huge values (b, step 4; f, last step: the second moment overflows, an infinite maximum).
     */
    static float[] grads(SplittableRandom r, int n, int t) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = i % 61 == 0 ? -0f : (float) (r.nextGaussian() * Math.exp(r.nextDouble(-14, 14)));
            if (i >= E && i < F + 256) g[i] = 0f;
            else if (i >= D && i < E) g[i] = Float.MIN_VALUE * r.nextInt(-40, 40);
            else if (i >= B + 512 && i < B + 768) g[i] = (float) (r.nextGaussian() * 1e-19);
        }
        if (t == 3) g[C + 100] = Float.NaN;
        if (t == 4) g[B] = 3e21f;
        if (t == 6) g[F + 2048 + 10] = -3e21f;
        return g;
    }

    /** {@code fusedGroups}: the groups that stepped through a fused float8 pass. */
    record Run(float[] p, StateDict state, int fusedGroups) {}

    static Run run(OptimizerSpec spec, StateQuantization q, int threads, boolean vector, boolean fused) {
        Map<String, String> props = Map.of(QuantizedState.VECTOR_PROPERTY, String.valueOf(vector), QuantizedState.FUSED_ADAM_PROPERTY, String.valueOf(fused));
        Map<String, String> old = new java.util.HashMap<>();
        props.forEach((k, v) -> old.put(k, System.setProperty(k, v)));
        Optimizer o;
        try {
            o = Optimizer.builder(spec).layout(layout()).threads(threads).parallelThreshold(64).stateQuantization(q).build();
        } finally {
            old.forEach((k, v) -> { if (v == null) System.clearProperty(k); else System.setProperty(k, v); });
        }
        SplittableRandom r = new SplittableRandom(21);
        int n = layout().size();
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = i % 5 == 0 ? 0f : (float) (r.nextGaussian() * Math.exp(r.nextDouble(-10, 10)));
        assertThat(n).isEqualTo(N);
        for (int t = 0; t < 7; t++) o.step(p, grads(r, n, t));
        return new Run(p, o.stateDict(), o.fusedFloat8Groups());
    }

    static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Float.floatToRawIntBits(x[i]);
        return b;
    }

    /** As {@link #bits} with every NaN as Java's canonical NaN. */
    static int[] canonicalBits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Float.floatToIntBits(x[i]);
        return b;
    }

    /**
     * The same parameters, codes and scales, bit for bit, except NaN signs: whether an operation on a NaN gives a NaN with
     * the sign bit set is not the same in every path (in the old path, the vector and scalar loops, and compiled and
     * interpreted code, differ on Nesterov RMSprop), so NaN parameters and scales are compared as Java's canonical NaN,
     * and the codes of a block whose scale is NaN (which all read NaN) are not compared.
     */
    static void assertSameBits(Run got, Run want, String what) {
        assertThat(canonicalBits(got.p())).as("parameters, " + what).containsExactly(canonicalBits(want.p()));
        assertThat(got.state().quantized().keySet()).containsExactlyElementsOf(want.state().quantized().keySet());
        for (String key : want.state().quantized().keySet()) {
            StateDict.Quantized a = got.state().quantized().get(key), b = want.state().quantized().get(key);
            float[] scales = b.absmaxView();
            assertThat(canonicalBits(a.absmaxView())).as("scales of %s, %s", key, what).containsExactly(canonicalBits(scales));
            byte[] ca = a.codesView().clone(), cb = b.codesView().clone();
            for (int j = 0; j < scales.length; j++) {
                if (!Float.isNaN(scales[j])) continue;
                for (int i = j * b.blockSize(); i < Math.min((j + 1) * b.blockSize(), cb.length); i++) ca[i] = cb[i] = 0;
            }
            assertThat(ca).as("codes of %s, %s", key, what).containsExactly(cb);
        }
    }

    static List<OptimizerSpec> specs() {
        return List.of(AdamConfig.builder().learningRate(0.01).build(), AdamConfig.adamW().learningRate(0.003).build(),
                AdamConfig.builder().weightDecay(0.05).maximize(true).betas(0.5, 0.75).eps(1e-30).build(),
                // RMSprop with momentum: the lean loop fused (both momentum styles, eps outside and inside), and a Nesterov
                // form that keeps the decode, step, code path
                RmsPropConfig.builder().learningRate(0.01).momentum(0.9).build(),
                RmsPropConfig.builder().learningRate(0.001).decay(0.9).eps(1e-10).epsPlacement(EpsPlacement.INSIDE).initialMeanSquare(1.0)
                        .momentum(0.5).momentumStyle(MomentumStyle.LR_INSIDE).build(),
                RmsPropConfig.builder().momentum(0.9).nesterov(true).build(),
                // controls that must not take the fused passes: AMSGrad (a third slot) and a scaled gradient (not the lean form)
                AdamConfig.builder().amsgrad(true).build(), RmsPropConfig.builder().momentum(0.9).gradientScale(2).build());
    }

    @Test
    void fusedPassesGiveTheBitsOfDecodeStepCode() {
        Blockwise8VectorTest.assumeVector();
        List<StateQuantization> qs = List.of(StateQuantization.blockwise8(256).withFloat8Map(), StateQuantization.blockwise8(2048).withFloat8Map(),
                StateQuantization.blockwise8(256).withFloat8Map().withUnbiasedRounding());
        List<Float> scales = new ArrayList<>();
        for (OptimizerSpec spec : specs()) {
            for (StateQuantization q : qs) {
                Run scalar = run(spec, q, 1, false, false);
                Run unfused = run(spec, q, 1, true, false);
                // the comparison below is only worth something if the fused pass ran (and the switch turned it off)
                boolean fuses = spec instanceof AdamConfig a ? !a.amsgrad() : !((RmsPropConfig) spec).nesterov() && ((RmsPropConfig) spec).gradientScale() == 1;
                assertThat(run(spec, q, 2, true, true).fusedGroups()).as("fused groups, " + spec + " " + q.label()).isEqualTo(fuses ? 1 : 0);
                assertThat(unfused.fusedGroups()).as("fused groups with the switch off, " + spec).isZero();
                assertThat(scalar.fusedGroups()).as("fused groups on the scalar loops, " + spec).isZero();
                assertSameBits(unfused, scalar, "unfused vector against scalar, " + spec + " " + q.label());
                for (int threads = 1; threads <= 3; threads++) {
                    assertSameBits(run(spec, q, threads, true, true), unfused, "fused on " + threads + " threads, " + spec + " " + q.label());
                }
                for (StateDict.Quantized b : unfused.state().quantized().values()) for (float a : b.absmaxView()) scales.add(a);
            }
        }
        // the awkward cases really occur: a zero, a subnormal, a NaN and an infinite scale in the final states (and NaN
        // blocks are few: their codes are not compared)
        assertThat(scales).contains(0f, Float.NaN, Float.POSITIVE_INFINITY).anySatisfy(a -> assertThat(a).isPositive().isLessThan(Float.MIN_NORMAL));
        assertThat(scales.stream().filter(a -> a.isNaN()).count() * 5).as("NaN blocks").isLessThan(scales.size());
    }

    /** The kernels alone against their scalar twins, tail included, at offsets and on lengths that are not multiples of the lanes. */
    @Test
    void vectorKernelEqualsTheScalarOne() {
        Blockwise8VectorTest.assumeVector();
        SplittableRandom r = new SplittableRandom(3);
        for (int len : new int[] {1, 7, 16, 61, 256}) {
            for (float[] sc : new float[][] {{0.5f, 2e-4f}, {0f, 0f}, {Float.MIN_VALUE * 3, 1e-40f}, {Math.nextDown(0x1p16f), 7e3f},
                    {0x1p16f, 3e30f}, {Float.MAX_VALUE, Float.POSITIVE_INFINITY}, {Float.NaN, 1e-3f}}) {
                int off = 5, codeOff = 3, mOff = 2, vOff = 9;
                float[] p = new float[off + len], g = new float[off + len];
                byte[] mc = new byte[codeOff + len], vc = new byte[codeOff + len];
                for (int i = 0; i < off + len; i++) {
                    p[i] = (float) r.nextGaussian();
                    g[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-20, 5)));
                }
                for (int i = 0; i < codeOff + len; i++) {
                    int m = r.nextInt(0, Float8.SIGNED_MAX + 1);
                    mc[i] = (byte) (r.nextBoolean() ? m | 0x80 : m);
                    vc[i] = (byte) r.nextInt(0, Float8.UNSIGNED_MAX + 1);
                }
                float[] p2 = p.clone(), m = new float[mOff + len], v = new float[vOff + len], m2 = m.clone(), v2 = v.clone();
                long a = Float8Vector.adam(p, g, off, mc, vc, codeOff, sc[0], sc[1], m, mOff, v, vOff, len,
                        0.999f, 1f, 0.01f, 0.9f, 0.1f, 0.999f, 0.001f, 0.3f, 1e-8f, 0.02f);
                long b = Float8.adam(p2, g, off, mc, vc, codeOff, sc[0], sc[1], m2, mOff, v2, vOff, len,
                        0.999f, 1f, 0.01f, 0.9f, 0.1f, 0.999f, 0.001f, 0.3f, 1e-8f, 0.02f);
                assertThat(bits(p)).containsExactly(bits(p2));
                assertThat(bits(m)).containsExactly(bits(m2));
                assertThat(bits(v)).containsExactly(bits(v2));
                assertThat(a).isEqualTo(b);
            }
        }
        for (int len : new int[] {1, 9, 32, 77, 256}) {
            for (float[] sc : new float[][] {{2e-4f, 0.5f}, {0f, 0f}, {1e-40f, Float.MIN_VALUE * 3}, {7e3f, Math.nextDown(0x1p16f)},
                    {3e30f, 0x1p16f}, {Float.POSITIVE_INFINITY, Float.MAX_VALUE}, {1e-3f, Float.NaN}}) {
                int off = 4, codeOff = 6, vOff = 1, bOff = 3;
                float[] p = new float[off + len], g = new float[off + len];
                byte[] vc = new byte[codeOff + len], bc = new byte[codeOff + len];
                for (int i = 0; i < off + len; i++) {
                    p[i] = (float) r.nextGaussian();
                    g[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-20, 5)));
                }
                for (int i = 0; i < codeOff + len; i++) {
                    vc[i] = (byte) r.nextInt(0, Float8.UNSIGNED_MAX + 1);
                    int m = r.nextInt(0, Float8.SIGNED_MAX + 1);
                    bc[i] = (byte) (r.nextBoolean() ? m | 0x80 : m);
                }
                float[] p2 = p.clone(), v = new float[vOff + len], b = new float[bOff + len], v2 = v.clone(), b2 = b.clone();
                long x = Float8Vector.rmspropMomentum(p, g, off, vc, bc, codeOff, sc[0], sc[1], v, vOff, b, bOff, len, 0.99f, 0.01f, 0f, 1e-8f, 0.9f, 1f, 0.01f);
                long y = Float8.rmspropMomentum(p2, g, off, vc, bc, codeOff, sc[0], sc[1], v2, vOff, b2, bOff, len, 0.99f, 0.01f, 0f, 1e-8f, 0.9f, 1f, 0.01f);
                assertThat(bits(p)).containsExactly(bits(p2));
                assertThat(bits(v)).containsExactly(bits(v2));
                assertThat(bits(b)).containsExactly(bits(b2));
                assertThat(x).isEqualTo(y);
            }
        }
    }
}
