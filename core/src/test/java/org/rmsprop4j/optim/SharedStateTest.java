package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SharedState}: with one worker it is {@link Optimizer#step} bit for bit; with several threads
 * (racy by design) the step count is exact, nothing becomes NaN and a quadratic still converges;
 * the optimizer refuses synchronous use while a session is open; unsupported families are refused.
 */
class SharedStateTest {

    static List<OptimizerSpec> specs() {
        return List.of(RmsPropPreset.PYTORCH.config(), RmsPropConfig.builder().learningRate(0.01).centered(true).momentum(0.9).build(),
                RmsPropConfig.builder().learningRate(0.01).biasCorrection(true).epsPlacement(EpsPlacement.INSIDE).build(),
                RmsPropConfig.builder().weightDecay(0.01).momentum(0.5).build(),
                SgdConfig.builder().learningRate(0.05).momentum(0.9).build(),
                AdamConfig.builder().build(), AdamConfig.builder().weightDecay(0.01).decoupled(true).amsgrad(true).build());
    }

    private static float[] grads(int n, int step, int salt) {
        float[] g = new float[n];
        long s = 0x9E3779B97F4A7C15L * (step * 31L + salt + 1);
        for (int i = 0; i < n; i++) {
            s ^= s << 13; s ^= s >>> 7; s ^= s << 17;
            g[i] = (float) ((s >>> 40) * 0x1p-24 - 0.5);
        }
        return g;
    }

    private static Optimizer build(OptimizerSpec spec, Dtype dtype) {
        ParamLayout layout = ParamLayout.builder().add("w", 40).add("b", 7).add("head", 13).build();
        return Optimizer.builder(spec).layout(layout).dtype(dtype).group("head", List.of("head"), spec, Schedules.exponential(0.97))
                .schedule(Schedules.step(3, 0.5)).build();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void oneWorkerIsTheSynchronousStepBitForBit(OptimizerSpec spec) {
        Optimizer sync = build(spec, Dtype.FLOAT32), shared = build(spec, Dtype.FLOAT32);
        int n = sync.layout().size();
        float[] ps = grads(n, 999, 7), ph = ps.clone();
        for (int k = 0; k < 4; k++) sync.step(ps, grads(n, k, 0)); // the session starts at step 4 (schedules, bias correction)
        for (int k = 0; k < 4; k++) shared.step(ph, grads(n, k, 0));
        try (SharedState s = shared.shared()) {
            SharedState.Worker w = s.worker();
            for (int k = 4; k < 25; k++) {
                sync.step(ps, grads(n, k, 0));
                assertThat(w.step(ph, grads(n, k, 0))).isTrue();
            }
            assertThat(w.steps()).isEqualTo(21);
        }
        assertThat(Float.floatToIntBits(ph[0])).isEqualTo(Float.floatToIntBits(ps[0]));
        for (int i = 0; i < n; i++) assertThat(Float.floatToIntBits(ph[i])).as("param %d", i).isEqualTo(Float.floatToIntBits(ps[i]));
        assertThat(shared.steps()).isEqualTo(sync.steps()).isEqualTo(25);
        StateDict a = sync.stateDict(), b = shared.stateDict();
        assertThat(b.groups()).isEqualTo(a.groups());
        for (String key : a.buffers().keySet()) assertThat(b.buffers().get(key)).as(key).containsExactly(a.buffers().get(key));
        // after close it steps synchronously again, on the same bits
        float[] g = grads(n, 50, 0);
        sync.step(ps, g.clone());
        shared.step(ph, g.clone());
        assertThat(ph).containsExactly(ps);
    }

    @Test
    void oneWorkerInFloat64WithClippingAndSkipIsTheSynchronousStep() {
        OptimizerSpec spec = RmsPropConfig.builder().learningRate(0.01).momentum(0.5).build();
        Optimizer sync = Optimizer.builder(spec).size(33).dtype(Dtype.FLOAT64).clipping(Clipping.byGlobalNorm(0.5))
                .nonFinitePolicy(NonFinitePolicy.SKIP).build();
        Optimizer shared = sync.copy();
        double[] ps = new double[33], ph = new double[33];
        try (SharedState s = shared.shared()) {
            SharedState.Worker w = s.worker();
            for (int k = 0; k < 12; k++) {
                float[] f = grads(33, k, 1);
                double[] g = new double[33];
                for (int i = 0; i < 33; i++) g[i] = f[i] * 3;
                if (k == 5) g[4] = Double.NaN;
                boolean a = sync.step(ps, g.clone()), b = w.step(ph, g.clone());
                assertThat(b).isEqualTo(a).isEqualTo(k != 5);
            }
            assertThat(w.steps()).isEqualTo(11);
            assertThat(s.appliedSteps()).isEqualTo(11);
        }
        assertThat(ph).containsExactly(ps);
        assertThat(shared.steps()).isEqualTo(11);
    }

    /**
     * K threads on a shared quadratic 0.5·Σ(x−c)²: each worker steps with the gradient at the
     * parameters it reads (racy), plus alternating noise. The count is exact, nothing is NaN, every worker stepped and every
     * worker's steps moved the parameters, and the loss falls by orders of magnitude.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void severalThreadsConvergeAndCountEveryStep(int k) throws Exception {
        int n = 1 << 14, perWorker = 400;
        Optimizer opt = Optimizer.builder(RmsPropConfig.builder().learningRate(0.01).build()).size(n).build();
        float[] x = new float[n], c = grads(n, 0, 3);
        double before = loss(x, c);
        SharedState s = opt.shared();
        List<SharedState.Worker> ws = new ArrayList<>();
        for (int w = 0; w < k; w++) ws.add(s.worker());
        double[] moved = new double[k];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int w = 0; w < k; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                try {
                    float[] g = new float[n], seen = new float[n], noise = grads(n, 1000 + id, 5);
                    start.await();
                    for (int step = 0; step < perWorker; step++) {
                        // the exact gradient plus ±0.1·noise, so that no step is zero even at the minimum
                        float sign = (step & 1) == 0 ? 0.2f : -0.2f;
                        for (int i = 0; i < n; i++) g[i] = x[i] - c[i] + sign * noise[i];
                        System.arraycopy(x, 0, seen, 0, n);
                        ws.get(id).step(x, g);
                        double d = 0;
                        for (int i = 0; i < n; i++) d += Math.abs(x[i] - seen[i]);
                        moved[id] += d;
                    }
                } catch (Throwable e) {
                    synchronized (failure) { failure[0] = e; }
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) t.join();
        assertThat(failure[0]).isNull();
        assertThatThrownBy(opt::stateDict).isInstanceOf(IllegalStateException.class).hasMessageContaining("SharedState");
        s.close();
        long total = 0;
        for (int w = 0; w < k; w++) {
            assertThat(ws.get(w).steps()).as("worker %d steps", w).isEqualTo(perWorker);
            assertThat(moved[w]).as("worker %d moved the parameters", w).isGreaterThan(0);
            total += ws.get(w).steps();
        }
        assertThat(s.appliedSteps()).isEqualTo(total);
        assertThat(opt.steps()).isEqualTo(total);
        assertThat(opt.stateDict().groups().get(0).step()).isEqualTo(total);
        for (float v : x) assertThat(Float.isFinite(v)).isTrue();
        for (double v : opt.state("param", "square_avg")) assertThat(Double.isFinite(v)).isTrue();
        assertThat(loss(x, c)).isLessThan(before * 1e-2);
    }

    private static double loss(float[] x, float[] c) {
        double l = 0;
        for (int i = 0; i < x.length; i++) l += 0.5 * (x[i] - c[i]) * (x[i] - c[i]);
        return l;
    }

    @Test
    void theOptimizerRefusesSynchronousUseWhileASessionIsOpen() {
        Optimizer opt = Optimizer.of(RmsPropPreset.PYTORCH.config(), 4);
        float[] p = new float[4], g = {1, 2, 3, 4};
        SharedState s = opt.shared();
        assertThatThrownBy(() -> opt.step(p, g)).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("step is refused");
        assertThatThrownBy(opt::stateDict).hasMessageStartingWith("stateDict is refused");
        assertThatThrownBy(opt::resetState).hasMessageStartingWith("resetState is refused");
        assertThatThrownBy(() -> opt.setLearningRate(0.1)).hasMessageStartingWith("setLearningRate is refused");
        assertThatThrownBy(opt::shared).hasMessageStartingWith("shared is refused");
        StateDict sd = Optimizer.of(RmsPropPreset.PYTORCH.config(), 4).stateDict();
        assertThatThrownBy(() -> opt.loadStateDict(sd)).hasMessageStartingWith("loadStateDict is refused");
        assertThat(p).containsOnly(0f);
        SharedState.Worker w = s.worker();
        w.step(p, g);
        s.close();
        s.close(); // idempotent
        assertThat(opt.steps()).isEqualTo(1);
        assertThatThrownBy(() -> w.step(p, g)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(s::worker).isInstanceOf(IllegalStateException.class);
        assertThat(opt.step(p, g)).isTrue();
        assertThat(opt.steps()).isEqualTo(2);
        try (SharedState again = opt.shared()) {
            assertThat(again.worker().id()).isZero();
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() {
        Optimizer opt = Optimizer.of(RmsPropPreset.PYTORCH.config(), 4);
        try (SharedState s = opt.shared()) {
            SharedState.Worker w = s.worker();
            float[] p = new float[4];
            assertThatThrownBy(() -> w.step(p, new float[3])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("grads.length").hasMessageContaining("3").hasMessageContaining("4");
            assertThatThrownBy(() -> w.step(new float[5], new float[4])).hasMessageContaining("params.length");
            assertThatThrownBy(() -> w.step(p, p)).hasMessageContaining("alias");
            assertThatThrownBy(() -> w.step(new double[4], new double[4])).hasMessageContaining("float32");
            assertThatThrownBy(() -> w.step(null, new float[4])).hasMessageContaining("params");
            assertThat(w.steps()).isZero();
            assertThat(p).containsOnly(0f);
        }
        Optimizer throwing = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(3).nonFinitePolicy(NonFinitePolicy.THROW).build();
        try (SharedState s = throwing.shared()) {
            SharedState.Worker w = s.worker();
            float[] p = {1, 2, 3};
            assertThatThrownBy(() -> w.step(p, new float[] {0, Float.POSITIVE_INFINITY, 0})).isInstanceOf(NonFiniteGradientException.class);
            assertThat(p).containsExactly(1, 2, 3);
            assertThat(s.appliedSteps()).isZero();
        }
        assertThat(throwing.steps()).isZero();
    }

    @Test
    void otherFamiliesAndUnfusedChainsAreRefused() {
        Optimizer adagrad = Optimizer.of(AdagradConfig.builder().build(), 4);
        assertThatThrownBy(adagrad::shared).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s).*spec of group 'default'.*RMSprop, SGD or Adam.*");
        Optimizer unfused = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(4).fused(false).build();
        assertThatThrownBy(unfused::shared).hasMessageContaining("fused(false)");
        // a framework's arithmetic profile has its own loops, which shared stepping does not use
        assertThatThrownBy(() -> Optimizer.of(RmsPropPreset.KERAS.config(), 4).shared()).hasMessageContaining("arithmetic profile");
        // 8-bit state is requantized block by block: refused
        Optimizer q8 = Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(4).stateQuantization(StateQuantization.blockwise8(64)).build();
        assertThatThrownBy(q8::shared).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8bit-64");
        // refused without opening: the optimizer still steps
        assertThat(adagrad.step(new float[4], new float[] {1, 1, 1, 1})).isTrue();
    }

    @Test
    void aCompiledWorkerStepAllocatesNothing() {
        var mx = ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        var counter = (com.sun.management.ThreadMXBean) mx;
        Optimizer opt = Optimizer.builder(RmsPropConfig.builder().centered(true).momentum(0.9).build())
                .layout(ParamLayout.builder().add("w").add("b").build()).schedule(Schedules.cosine(1000, 0))
                .clipping(Clipping.byNorm(1)).nonFinitePolicy(NonFinitePolicy.SKIP).build();
        float[] p = {1, 2}, g = {0.1f, -0.2f};
        double best = Double.MAX_VALUE;
        try (SharedState s = opt.shared()) {
            SharedState.Worker w = s.worker();
            for (int round = 0; round < 15 && best >= 0.5; round++) {
                long before = counter.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++) w.step(p, g);
                best = Math.min(best, (counter.getCurrentThreadAllocatedBytes() - before) / 100_000.0);
            }
        }
        assertThat(best).as("bytes allocated per step").isLessThan(0.5);
    }
}
