package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Test;

/**
 * A step split by element ranges ({@link Optimizer#beginSplitStep}, {@link Optimizer#stepRange},
 * {@link Optimizer#endSplitStep}), the ranges shared out over 1, 2 and 3 threads, against the whole step:
 * parameters, every state slot and the step counts must be bit for bit the same.
 */
class SplitStepTest {

    private static final int N = 10_007;

    private static ParamLayout layout() {
        return ParamLayout.builder().add("w1", 6_000).add("b1", 7).add("w2", 4_000).build();
    }

    private static List<RmsPropConfig> configs() {
        RmsPropConfig base = RmsPropConfig.builder().learningRate(1e-2).build();
        return List.of(base, base.toBuilder().centered(true).momentum(0.9).nesterov(true).build(),
                base.toBuilder().weightDecay(0.1).biasCorrection(true).build());
    }

    private static Optimizer build(RmsPropConfig c) {
        // a schedule, so that a wrong step number or learning rate shows in the bits
        return Optimizer.builder(c).layout(layout()).dtype(Dtype.FLOAT32).schedule(Schedules.exponential(0.9)).build();
    }

    @Test
    void aSplitStepOnOneTwoOrThreeThreadsGivesTheBitsOfTheWholeStep() throws Exception {
        for (RmsPropConfig c : configs()) {
            for (int threads : new int[] {1, 2, 3}) {
                Optimizer whole = build(c), split = build(c);
                List<Long> told = new ArrayList<>();
                split.onStep(e -> told.add(e.step()));
                SplittableRandom r = new SplittableRandom(5);
                float[] p1 = new float[N];
                for (int i = 0; i < N; i++) p1[i] = (float) (r.nextDouble() * 2 - 1);
                float[] p2 = p1.clone();
                for (int step = 0; step < 5; step++) {
                    float[] g = new float[N];
                    for (int i = 0; i < N; i++) g[i] = (float) (r.nextDouble() * 2 - 1) * (step + 1);
                    assertThat(whole.step(p1, g.clone())).isTrue();
                    // ranges of random lengths, dealt out round-robin to the threads, applied in no particular order
                    List<int[]> ranges = new ArrayList<>();
                    for (int off = 0; off < N; ) {
                        int len = Math.min(N - off, 1 + r.nextInt(900));
                        ranges.add(new int[] {off, len});
                        off += len;
                    }
                    assertThat(split.beginSplitStep(p2, g)).isTrue();
                    runOn(threads, w -> {
                        for (int k = ranges.size() - 1 - w; k >= 0; k -= threads) split.stepRange(ranges.get(k)[0], ranges.get(k)[1]);
                    });
                    split.endSplitStep();
                }
                assertThat(bits(p2)).as("params, %d threads", threads).isEqualTo(bits(p1));
                for (String name : layout().names()) {
                    for (String slot : c.stateSlots()) {
                        assertThat(split.state(name, slot)).as("%s/%s", name, slot).isEqualTo(whole.state(name, slot));
                    }
                }
                assertThat(split.steps()).isEqualTo(whole.steps()).isEqualTo(5);
                assertThat(told).containsExactly(1L, 2L, 3L, 4L, 5L);
                assertThat(split.scheduledLearningRate(Optimizer.DEFAULT_GROUP)).isEqualTo(whole.scheduledLearningRate(Optimizer.DEFAULT_GROUP));
            }
        }
    }

    @Test
    void optimizersThatCannotSplitSayNoAndChangeNothing() {
        RmsPropConfig c = RmsPropConfig.builder().learningRate(1e-2).build();
        List<Optimizer> cannot = List.of(
                Optimizer.builder(c).layout(layout()).dtype(Dtype.FLOAT32).clipping(Clipping.byGlobalNorm(1)).build(),
                Optimizer.builder(c).layout(layout()).dtype(Dtype.FLOAT32).stateQuantization(StateQuantization.blockwise8(256)).build(),
                Optimizer.builder(c).layout(layout()).dtype(Dtype.FLOAT32).group("w2", List.of("w2"), c).build());
        for (Optimizer o : cannot) {
            float[] p = new float[N], g = new float[N];
            java.util.Arrays.fill(g, 1f);
            assertThat(o.beginSplitStep(p, g)).as(o.toString()).isFalse();
            assertThatThrownBy(() -> o.stepRange(0, N)).isInstanceOf(IllegalStateException.class).hasMessageContaining("beginSplitStep");
            assertThat(p).containsOnly(0f);
            assertThat(o.steps()).isZero();
        }
    }

    @Test
    void badArraysAndRangesAreRefusedNamingThem() {
        Optimizer o = build(RmsPropConfig.builder().build());
        float[] p = new float[N];
        assertThatThrownBy(() -> o.beginSplitStep(p, new float[N - 1])).hasMessageContaining("grads.length");
        assertThatThrownBy(() -> o.beginSplitStep(p, p)).hasMessageContaining("alias");
        assertThatThrownBy(o::endSplitStep).isInstanceOf(IllegalStateException.class);
        Optimizer d = Optimizer.builder(RmsPropConfig.builder().build()).layout(layout()).dtype(Dtype.FLOAT64).build();
        assertThatThrownBy(() -> d.beginSplitStep(p, new float[N])).hasMessageContaining("float64");
        assertThat(o.beginSplitStep(p, new float[N])).isTrue();
        assertThatThrownBy(() -> o.stepRange(N - 5, 6)).hasMessageContaining("range").hasMessageContaining("[10002, 10008)");
        assertThatThrownBy(() -> o.stepRange(-1, 2)).hasMessageContaining("range");
        assertThat(p).containsOnly(0f);
        o.endSplitStep();
        assertThat(o.steps()).isEqualTo(1);
    }

    interface Part {
        void run(int w) throws Exception;
    }

    /** Runs {@code part(0..threads)} on that many threads at once (started together). */
    private static void runOn(int threads, Part part) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> ts = new ArrayList<>();
        Throwable[] failed = new Throwable[1];
        for (int w = 0; w < threads; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    part.run(id);
                } catch (Throwable e) {
                    synchronized (failed) { failed[0] = e; }
                }
            });
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) t.join();
        if (failed[0] != null) throw new AssertionError(failed[0]);
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }
}
