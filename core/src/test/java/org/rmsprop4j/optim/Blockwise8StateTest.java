package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rmsprop4j.kernel.Blockwise8;

/** Block-wise 8-bit state: the maps, the coding, the fused step, threads, memory, save/load and errors. */
class Blockwise8StateTest {

    static final List<QuantMap> MAPS = List.of(QuantMap.SIGNED, QuantMap.UNSIGNED);

    static ParamLayout layout() {
        return ParamLayout.builder().add("w", 70, 100).add("b", 3).add("z", 0).add("h", 5000).build();
    }

    static float[] randomGrads(SplittableRandom r, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-3, 1)));
        return g;
    }

    static List<OptimizerSpec> specs() {
        return List.of(RmsPropPreset.PYTORCH.config(), RmsPropConfig.builder().momentum(0.9).build(),
                RmsPropConfig.builder().learningRate(0.001).decay(0.9).eps(1e-10).epsPlacement(EpsPlacement.INSIDE).initialMeanSquare(1.0)
                        .momentum(0.5).momentumStyle(MomentumStyle.LR_INSIDE).build(),
                RmsPropConfig.builder().weightDecay(0.01).weightDecayStyle(WeightDecayStyle.DECOUPLED).nesterov(true).momentum(0.9).build(),
                SgdConfig.builder().momentum(0.9).build(), AdamConfig.builder().build(), AdamConfig.adamW().amsgrad(true).build());
    }

    // ---------------------------------------------------------------- maps and coding

    @Test
    void mapsHave256IncreasingEntriesWithExactZeroAndOne() {
        for (QuantMap m : MAPS) {
            assertThat(m.values).hasSize(256);
            for (int k = 0; k < 255; k++) assertThat(m.values[k]).as(m.name + " at " + k).isLessThan(m.values[k + 1]);
            assertThat(m.values[m.zero]).isEqualTo(0f);
            assertThat(m.values[255]).isEqualTo(1f);
            assertThat(m.values[0]).isGreaterThanOrEqualTo(-1f);
        }
        assertThat(QuantMap.UNSIGNED.values[0]).isEqualTo(0f);
        assertThat(QuantMap.SIGNED.zero).isEqualTo(127);
        assertThat(QuantMap.SIGNED.values[0]).isLessThan(-0.99f);
        // the dynamic tree's structure: 128 entries in the top decade [0.1, 1) (unsigned), 64 per sign (signed)
        assertThat(countIn(QuantMap.UNSIGNED, 0.1f, 1f)).isEqualTo(128);
        assertThat(countIn(QuantMap.SIGNED, 0.1f, 1f)).isEqualTo(64);
        assertThat(countIn(QuantMap.SIGNED, -1f, -0.1f)).isEqualTo(64);
        assertThat(countIn(QuantMap.UNSIGNED, 1e-7f, 1e-6f)).isEqualTo(2);
        assertThat(countIn(QuantMap.UNSIGNED, 1e-6f, 1e-5f)).isEqualTo(4);
    }

    static int countIn(QuantMap m, float lo, float hi) {
        int n = 0;
        for (float v : m.values) if (v > lo && v < hi) n++;
        return n;
    }

    /** The bucket-table coding equals the binary search over midpoints on every threshold's neighbours and on a sweep of all floats in [-1, 1]. */
    @Test
    void tableCodingEqualsBinarySearch() {
        for (QuantMap m : MAPS) {
            for (int k = 0; k < 255; k++) {
                for (float x : new float[] {m.thr[k], Math.nextUp(m.thr[k]), Math.nextDown(m.thr[k]), m.values[k]}) {
                    assertThat(m.code(x)).as(m.name + " x=" + x).isEqualTo(m.codeBySearch(x));
                }
            }
            int one = Float.floatToRawIntBits(1f);
            for (int bits = 0; bits <= one; bits += 97) {
                float x = Float.intBitsToFloat(bits);
                if (m.code(x) != m.codeBySearch(x)) assertThat(m.code(x)).as(m.name + " x=" + x).isEqualTo(m.codeBySearch(x));
                if (m.code(-x) != m.codeBySearch(-x)) assertThat(m.code(-x)).as(m.name + " x=" + -x).isEqualTo(m.codeBySearch(-x));
            }
            assertThat(m.code(0f)).isEqualTo(m.zero);
            assertThat(m.code(-0f)).isEqualTo(m.zero);
            assertThat(m.code(1f)).isEqualTo(255);
            assertThat(m.code(Math.nextUp(1f))).as("rounding above 1 stays at the top").isEqualTo(255);
        }
    }

    /** Round trip of a block: every value goes to its nearest map entry, so the error is at most half the local gap times the scale. */
    @ParameterizedTest
    @ValueSource(ints = {256, 2048})
    void roundTripIsNearestEntryPerBlock(int block) {
        SplittableRandom r = new SplittableRandom(block);
        for (QuantMap m : MAPS) {
            float[] v = new float[block];
            for (int i = 0; i < block; i++) {
                double x = r.nextGaussian() * Math.exp(r.nextDouble(-6, 2));
                v[i] = (float) (m.signed ? x : Math.abs(x));
            }
            float a = Float.intBitsToFloat(Blockwise8.absMaxBits(v, 0, block));
            byte[] codes = new byte[block];
            Blockwise8.quantize(v, 0, block, a, m.tab, m.thr, codes, 0);
            float[] back = new float[block];
            Blockwise8.dequantize(codes, 0, a, m.values, back, 0, block);
            double worstTop = 0;
            for (int i = 0; i < block; i++) {
                float x = v[i] * (1f / a);
                double best = Double.MAX_VALUE;
                for (float e : m.values) best = Math.min(best, Math.abs(x - e));
                double err = Math.abs(x - m.values[codes[i] & 0xff]);
                assertThat(err).as("value " + i).isLessThanOrEqualTo(best + 1e-7);
                if (Math.abs(x) >= 0.1) worstTop = Math.max(worstTop, Math.abs(back[i] - v[i]) / a);
            }
            // top decade: entries 0.9/128 (unsigned) or 0.9/64 (signed) apart, so half of that per unit of scale
            assertThat(worstTop).isLessThanOrEqualTo((m.signed ? 0.9 / 64 : 0.9 / 128) / 2 + 1e-6);
            assertThat(codes).contains((byte) (m.code(Math.signum(v[argAbsMax(v)])))); // the block maximum is exact
        }
    }

    static int argAbsMax(float[] v) {
        int k = 0;
        for (int i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[k])) k = i;
        return k;
    }

    @Test
    void aBlockOfZerosStaysZero() {
        for (QuantMap m : MAPS) {
            float[] v = new float[300];
            byte[] codes = new byte[300];
            Arrays.fill(codes, (byte) 77);
            Blockwise8.quantize(v, 0, 300, Float.intBitsToFloat(Blockwise8.absMaxBits(v, 0, 300)), m.tab, m.thr, codes, 0);
            for (byte c : codes) assertThat(c & 0xff).isEqualTo(m.zero);
        }
        Optimizer o = Optimizer.builder(RmsPropConfig.builder().momentum(0.9).build()).size(5000)
                .stateQuantization(StateQuantization.blockwise8(256)).build();
        float[] p = new float[5000], g = new float[5000];
        Arrays.fill(p, 1f);
        for (int i = 0; i < 256; i++) g[i] = 0.5f;                      // block 0 moves, the others see zero gradients
        for (int t = 0; t < 5; t++) o.step(p, g);
        double[] nu = o.state("param", "square_avg");
        for (int i = 256; i < 5000; i++) assertThat(nu[i]).isEqualTo(0.0);
        for (int i = 256; i < 5000; i++) assertThat(p[i]).isEqualTo(1f);
    }

    // ---------------------------------------------------------------- the step

    /** One 8-bit step is the float32 step on the dequantized state, bit for bit; only the stored state is then rounded. */
    @Test
    void aStepIsTheFloat32StepOnTheDequantizedState() {
        SplittableRandom r = new SplittableRandom(7);
        for (OptimizerSpec spec : specs()) {
            Optimizer q = Optimizer.builder(spec).layout(layout()).stateQuantization(StateQuantization.blockwise8(256)).build();
            Optimizer f = Optimizer.builder(spec).layout(layout()).build();
            int n = layout().size();
            float[] pq = new float[n];
            for (int i = 0; i < n; i++) pq[i] = (float) r.nextGaussian();
            for (int t = 0; t < 5; t++) q.step(pq, randomGrads(r, n));
            f.loadStateDict(q.stateDict().dequantize());
            float[] pf = pq.clone();
            float[] g = randomGrads(r, n);
            q.step(pq, g);
            f.step(pf, g);
            assertThat(pq).as(spec.kind() + " " + spec).containsExactly(pf);
        }
    }

    /**
     * Over many steps the 8-bit run tracks the float32 run. Bound: each stored mean square is within
     * the relative half-gap δ of its map (3.5% in the top decade, 14% two decades below the block
     * maximum, where gradients here stay), and an RMSprop update scales as {@code ν^(-1/2)}, so each
     * update is within about δ/2 of the float32 one; errors do not compound past that, since the decay
     * forgets them. Checked: the parameters' total displacement differs by at most 5% of its size.
     */
    @ParameterizedTest
    @ValueSource(ints = {256, 2048})
    void manyStepsTrackTheFloat32Run(int block) {
        for (OptimizerSpec spec : List.of(RmsPropPreset.PYTORCH.config(), RmsPropConfig.builder().momentum(0.9).build(),
                AdamConfig.builder().build(), SgdConfig.builder().momentum(0.9).build())) {
            assertThat(relativeDisplacementGap(spec, StateQuantization.blockwise8(block))).as(spec + " block " + block).isLessThan(0.05);
        }
    }

    /**
     * 200 steps of {@code spec} on 20,000 parameters with and without 8-bit state {@code sq}, on the same gradients
     * (scales spread over 1.5 e-folds, 50% noise): the root-mean-square difference of the two parameter vectors over the
     * float32 run's size.
     */
    static double relativeDisplacementGap(OptimizerSpec spec, StateQuantization sq) {
        int n = 20_000;
        Optimizer q = Optimizer.builder(spec).size(n).stateQuantization(sq).build();
        Optimizer f = Optimizer.builder(spec).size(n).build();
        float[] pq = new float[n], pf = new float[n];
        SplittableRandom r = new SplittableRandom(3);
        float[] scale = new float[n];
        for (int i = 0; i < n; i++) scale[i] = (float) Math.exp(r.nextDouble(-1.5, 0));
        for (int t = 0; t < 200; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) (scale[i] * (1 + 0.5 * r.nextGaussian()));
            q.step(pq, g);
            f.step(pf, g);
        }
        double diff = 0, size = 0;
        for (int i = 0; i < n; i++) {
            diff += (pq[i] - pf[i]) * (double) (pq[i] - pf[i]);
            size += pf[i] * (double) pf[i];
        }
        return Math.sqrt(diff / size);
    }

    @Test
    void threadsGiveTheSameBits() {
        for (OptimizerSpec spec : specs()) {
            float[][] results = new float[3][];
            StateDict[] states = new StateDict[3];
            for (int threads = 1; threads <= 3; threads++) {
                Optimizer o = Optimizer.builder(spec).layout(layout()).threads(threads).parallelThreshold(64)
                        .stateQuantization(StateQuantization.blockwise8(64)).build();
                SplittableRandom r = new SplittableRandom(11);
                float[] p = new float[layout().size()];
                for (int t = 0; t < 6; t++) o.step(p, randomGrads(r, p.length));
                results[threads - 1] = p;
                states[threads - 1] = o.stateDict();
            }
            assertThat(results[1]).containsExactly(results[0]);
            assertThat(results[2]).containsExactly(results[0]);
            assertThat(states[1]).isEqualTo(states[0]);
            assertThat(states[2]).isEqualTo(states[0]);
        }
    }

    @Test
    void saveAndLoadMidRunResumesBitIdentically() throws IOException {
        for (OptimizerSpec spec : specs()) {
            Optimizer a = Optimizer.builder(spec).layout(layout()).stateQuantization(StateQuantization.blockwise8(256)).build();
            SplittableRandom r = new SplittableRandom(5);
            float[] pa = new float[layout().size()];
            for (int t = 0; t < 4; t++) a.step(pa, randomGrads(r, pa.length));
            byte[] file = StateIO.toBytes(a.stateDict());
            Optimizer b = Optimizer.builder(spec).layout(layout()).stateQuantization(StateQuantization.blockwise8(256)).build();
            b.loadStateDict(StateIO.fromBytes(file, "mid-run"));
            assertThat(b.stateDict()).isEqualTo(a.stateDict());
            float[] pb = pa.clone();
            for (int t = 0; t < 6; t++) {
                float[] g = randomGrads(r, pa.length);
                a.step(pa, g);
                b.step(pb, g);
            }
            assertThat(pb).containsExactly(pa);
            assertThat(b.stateDict()).isEqualTo(a.stateDict());
            assertThat(a.stateDict().formatVersion()).isEqualTo(3);
        }
        // an optimizer with float state still writes format 2
        assertThat(Optimizer.of(RmsPropPreset.PYTORCH.config(), 3).stateDict().formatVersion()).isEqualTo(2);
    }

    /** After the first step (which allocates each thread's block scratch once), steps allocate nothing. */
    @Test
    void aCompiledStepAllocatesNothing() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        var counter = (com.sun.management.ThreadMXBean) mx;
        Optimizer o = Optimizer.builder(AdamConfig.builder().build()).layout(layout()).stateQuantization(StateQuantization.blockwise8(256)).build();
        float[] p = new float[layout().size()];
        float[] g = randomGrads(new SplittableRandom(4), p.length);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 15 && best >= 0.5; round++) {
            long before = counter.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++) o.step(p, g);
            best = Math.min(best, (counter.getCurrentThreadAllocatedBytes() - before) / 2_000.0);
        }
        assertThat(best).as("bytes allocated per step").isLessThan(0.5);
    }

    // ---------------------------------------------------------------- memory

    /** At most 1.02 bytes per parameter per slot, in the optimizer's arrays, in the StateDict, in the file and in the heap. */
    @ParameterizedTest
    @ValueSource(ints = {256, 2048})
    void memoryIsAtMost102BytesPerParameterPerSlot(int block) throws IOException {
        int n = 10_000_000;
        OptimizerSpec spec = AdamConfig.builder().amsgrad(true).build();  // 3 slots
        long heapBefore = allocated();
        Optimizer o = Optimizer.builder(spec).size(n).stateQuantization(StateQuantization.blockwise8(block)).build();
        long heap = allocated() - heapBefore;
        int slots = 3;
        assertThat(o.stateBytes() / (double) n / slots).isLessThanOrEqualTo(1.02);
        if (heapBefore >= 0) assertThat(heap / (double) n / slots).as("bytes allocated by build()").isLessThanOrEqualTo(1.02);
        StateDict sd = o.stateDict();
        long dictBytes = sd.quantized().values().stream().mapToLong(StateDict.Quantized::bytes).sum();
        assertThat(sd.buffers()).isEmpty();
        assertThat(dictBytes / (double) n / slots).isLessThanOrEqualTo(1.02);
        assertThat(StateIO.toBytes(sd).length / (double) n / slots).isLessThanOrEqualTo(1.02);
        // against float32 state: 4 bytes per slot
        Optimizer f = Optimizer.builder(spec).size(1000).build();
        assertThat(f.stateBytes()).isEqualTo(4L * 1000 * slots);
    }

    static long allocated() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx instanceof com.sun.management.ThreadMXBean c ? c.getCurrentThreadAllocatedBytes() : -1;
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badBlockSizesAndUnsupportedCombinationsAreRefusedByName() {
        for (int bad : new int[] {0, -256, 32, 100, 3000, 1 << 17}) {
            assertThatThrownBy(() -> StateQuantization.blockwise8(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("blockSize must be a power of two in 64..65536 (bitsandbytes uses 2048), got " + bad);
        }
        assertThatThrownBy(() -> new StateQuantization(4, 64)).hasMessageStartingWith("bits must be 32");
        assertThatThrownBy(() -> Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(10).dtype(Dtype.FLOAT64)
                .stateQuantization(StateQuantization.blockwise8()).build())
                .hasMessage("stateQuantization must be none() for a float64 optimizer (8-bit state is supported for float32 parameters only), got 8bit-2048");
        assertThatThrownBy(() -> Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(10).fused(false)
                .stateQuantization(StateQuantization.blockwise8()).build())
                .hasMessageStartingWith("stateQuantization must be used only with groups that run a fused kernel");
        assertThatThrownBy(() -> Optimizer.builder(RmsPropConfig.builder().centered(true).build()).size(10)
                .stateQuantization(StateQuantization.blockwise8()).build())
                .hasMessageStartingWith("stateQuantization must be none() for centered RMSprop");
        // a framework's arithmetic profile runs its own fused loops, which 8-bit state does not drive
        for (RmsPropPreset preset : new RmsPropPreset[] {RmsPropPreset.KERAS, RmsPropPreset.TF1, RmsPropPreset.OPTAX, RmsPropPreset.DL4J}) {
            assertThatThrownBy(() -> Optimizer.builder(preset.config()).size(10).stateQuantization(StateQuantization.blockwise8()).build())
                    .as(preset.name()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("arithmetic profile");
        }
        assertThat(StateQuantization.parse("8bit-256")).isEqualTo(StateQuantization.blockwise8(256));
        assertThat(StateQuantization.parse("8")).isEqualTo(StateQuantization.blockwise8(2048));
        assertThat(StateQuantization.parse("fp32")).isEqualTo(StateQuantization.none());
        assertThatThrownBy(() -> StateQuantization.parse("16")).hasMessageStartingWith("state must be one of");
    }

    @Test
    void mixingFloatAnd8BitStateIsRefusedUnlessConvertedAndTheOptimizerIsUnchanged() {
        OptimizerSpec spec = RmsPropConfig.builder().momentum(0.9).build();
        Optimizer q = Optimizer.builder(spec).layout(layout()).stateQuantization(StateQuantization.blockwise8(256)).build();
        Optimizer f = Optimizer.builder(spec).layout(layout()).build();
        SplittableRandom r = new SplittableRandom(1);
        float[] p = new float[layout().size()];
        q.step(p, randomGrads(r, p.length));
        f.step(p.clone(), randomGrads(r, p.length));
        StateDict fBefore = f.stateDict(), qBefore = q.stateDict();
        assertThatThrownBy(() -> f.loadStateDict(qBefore)).hasMessageContaining("StateDict.dequantize()");
        assertThatThrownBy(() -> q.loadStateDict(fBefore)).hasMessageContaining("StateQuantization.none()");
        assertThat(f.stateDict()).isEqualTo(fBefore);
        assertThat(q.stateDict()).isEqualTo(qBefore);
        f.loadStateDict(qBefore.dequantize());                          // the explicit conversion
        assertThat(f.state("h", "square_avg")).containsExactly(q.state("h", "square_avg"));
        // a buffer with another block size, or with a non-finite scale: refused, nothing changed
        Optimizer q2048 = Optimizer.builder(spec).layout(layout()).stateQuantization(StateQuantization.blockwise8(2048)).build();
        StateDict fresh = q2048.stateDict();
        assertThatThrownBy(() -> q2048.loadStateDict(qBefore)).hasMessageContaining("block size of state buffer").hasMessageContaining("got 256");
        assertThat(q2048.stateDict()).isEqualTo(fresh);
        var bad = new java.util.LinkedHashMap<>(qBefore.quantized());
        StateDict.Quantized h = bad.get("rms/h/square_avg");
        float[] a = h.absmax();
        a[3] = Float.NaN;
        bad.put("rms/h/square_avg", new StateDict.Quantized(h.map(), h.blockSize(), h.codes(), a));
        StateDict broken = new StateDict(3, qBefore.kind(), qBefore.dtype(), qBefore.groups(), qBefore.paramLengths(), java.util.Map.of(), bad);
        assertThatThrownBy(() -> q.loadStateDict(broken)).hasMessage("block scale 3 of state buffer 'rms/h/square_avg' must be a finite float32 >= 0, got NaN");
        assertThat(q.stateDict()).isEqualTo(qBefore);
    }

    @Test
    void aTruncatedOrCorruptedQuantizedFileIsRefused() throws IOException {
        Optimizer q = Optimizer.builder(AdamConfig.builder().build()).layout(layout()).stateQuantization(StateQuantization.blockwise8(256)).build();
        float[] p = new float[layout().size()];
        q.step(p, randomGrads(new SplittableRandom(2), p.length));
        byte[] file = StateIO.toBytes(q.stateDict());
        StateDict before = q.stateDict();
        for (int cut : new int[] {file.length - 1, file.length - 9, file.length / 2, 40}) {
            byte[] b = Arrays.copyOf(file, cut);
            assertThatThrownBy(() -> StateIO.fromBytes(b, "cut.state")).isInstanceOf(IOException.class).hasMessageContaining("cut.state is");
        }
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 200; i++) {
            byte[] b = file.clone();
            b[12 + r.nextInt(b.length - 20)] ^= (byte) (1 + r.nextInt(255));
            assertThatThrownBy(() -> StateIO.fromBytes(b, "flipped.state")).isInstanceOf(IOException.class)
                    .hasMessageContaining("flipped.state is");
        }
        // a well-formed file whose body says nonsense (checksum fixed up) is refused as malformed, not half-read
        byte[] body = Arrays.copyOf(file, file.length - 8);
        String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf(StateDict.Quantized.MAP_UNSIGNED);
        body[at] = 'X';
        assertThatThrownBy(() -> StateIO.fromBytes(StateIO.withChecksum(body), "map.state")).isInstanceOf(IOException.class)
                .hasMessageContaining("map.state is malformed: map must be");
        assertThat(q.stateDict()).isEqualTo(before);
    }
}
