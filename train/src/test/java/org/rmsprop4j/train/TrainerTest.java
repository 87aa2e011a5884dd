package org.rmsprop4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.Schedules;
import org.rmsprop4j.optim.SgdConfig;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

class TrainerTest {
    static Dataset.Split digits;

    @BeforeAll
    static void load() throws IOException {
        digits = Datasets.load("digits", 0.2, 42).standardized();
    }

    /** A trainer with a cosine schedule (so that resuming must also restore the schedule's position). */
    static Trainer trainer(String model, Dataset.Split data, OptimizerSpec spec, Dtype dtype, TrainConfig cfg) {
        return trainer(model, data, spec, dtype, cfg, Schedules.cosine(200, 1e-4));
    }

    static Trainer trainer(String model, Dataset.Split data, OptimizerSpec spec, Dtype dtype, TrainConfig cfg,
                           org.rmsprop4j.optim.LearningRateSchedule schedule) {
        Model m = Models.parse(model, data.train().features(), data.train().classes(), 0);
        Optimizer opt = Optimizer.builder(spec).layout(m.layout()).dtype(dtype).schedule(schedule).build();
        return new Trainer(m, opt, cfg);
    }

    static final OptimizerSpec RMS = RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.003).momentum(0.5).centered(true).build();

    @Test
    void digitsSoftmaxRegressionWithRmspropReaches95Percent() throws IOException {
        Dataset.Split sp = digits;
        try (Trainer t = trainer("softmax", sp, RmsPropPreset.PYTORCH.config(), Dtype.FLOAT32,
                TrainConfig.builder().epochs(10).batchSize(32).seed(42).build(), Schedules.constant())) {
            Trainer.Result r = t.fit(sp.train(), null, sp.test(), null);
            assertThat(r.history()).hasSize(10);
            assertThat(r.test().accuracy()).isGreaterThanOrEqualTo(0.95);
            assertThat(r.history().get(9).trainLoss()).isLessThan(r.history().get(0).trainLoss());
        }
    }

    @Test
    void digitsMlpWithRmspropReaches97Percent() throws IOException {
        try (Trainer t = trainer("mlp:128,64", digits, RmsPropPreset.PYTORCH.config().withLearningRate(0.001), Dtype.FLOAT32,
                TrainConfig.builder().epochs(20).batchSize(32).seed(42).threads(2).build(), Schedules.constant())) {
            assertThat(t.fit(digits.train(), null, digits.test(), null).test().accuracy()).isGreaterThanOrEqualTo(0.97);
        }
    }

    /** The MNIST target; excluded from the default run (tag "slow"), see train/pom.xml. */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void mnist10kMlpWithRmspropReaches95Percent() throws IOException {
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        Model m = Models.parse("mlp:128,64", 784, 10, 0);
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.001)).layout(m.layout()).build();
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(8).batchSize(64).seed(42).threads(2).build())) {
            assertThat(t.fit(sp.train(), null, sp.test(), null).test().accuracy()).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void breastCancerLogisticRegressionWithRmspropReaches95Percent() throws IOException {
        Dataset.Split sp = Datasets.load("breast-cancer", 0.2, 42).standardized();
        try (Trainer t = trainer("logistic", sp, RmsPropPreset.PYTORCH.config(), Dtype.FLOAT32,
                TrainConfig.builder().epochs(10).batchSize(32).seed(42).build(), Schedules.constant())) {
            assertThat(t.fit(sp.train(), null, sp.test(), null).test().accuracy()).isGreaterThanOrEqualTo(0.95);
        }
    }

    static double[] run(String model, Dtype dtype, int threads, int epochs) throws IOException {
        try (Trainer t = trainer(model, digits, RMS, dtype, TrainConfig.builder().epochs(epochs).batchSize(50).chunkSize(8)
                .threads(threads).seed(7).build())) {
            t.fit(digits.train(), null, null, null);
            return t.parameters();
        }
    }

    static void assertSameBits(double[] a, double[] b) {
        assertThat(a.length).isEqualTo(b.length);
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                throw new AssertionError("parameter " + i + " differs: " + a[i] + " vs " + b[i]);
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws IOException {
        for (Dtype dt : Dtype.values()) {
            double[] one = run("mlp:24,16:tanh", dt, 1, 2), two = run("mlp:24,16:tanh", dt, 2, 2);
            assertSameBits(one, two);
            assertThat(one).isNotEqualTo(run("mlp:24,16:tanh", dt, 1, 1)); // training moved the parameters
        }
    }

    @Test
    void theFusedBatchPathGivesTheBitsOfTheChunkBuffers() throws IOException {
        for (String model : new String[] {"mlp:24,16:relu", "mlp:12:tanh", "softmax"}) {
            for (int threads : new int[] {1, 2, 3}) {
                double[][] out = new double[2][];
                for (int fused = 0; fused < 2; fused++) {
                    try (Trainer t = trainer(model, digits, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(2).batchSize(50).chunkSize(8)
                            .threads(threads).seed(7).build()).fusedBatch(fused == 1)) {
                        t.fit(digits.train(), null, null, null);
                        out[fused] = t.parameters();
                    }
                }
                assertSameBits(out[0], out[1]);
            }
        }
    }

    @Test
    void theOptimizerStepSplitInsideTheRegionGivesTheBitsOfTheWholeStep() throws IOException {
        for (String model : new String[] {"mlp:24,16:relu", "mlp:12:tanh"}) {
            double[] whole = null;
            for (int threads : new int[] {1, 2, 3}) {
                for (int split = 0; split < 2; split++) {
                    try (Trainer t = trainer(model, digits, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(2).batchSize(50).chunkSize(8)
                            .threads(threads).seed(7).build()).splitStep(split == 1)) {
                        long[] steps = new long[1];
                        t.optimizer().onStep(e -> steps[0] = e.step());
                        t.fit(digits.train(), null, null, null);
                        assertThat(steps[0]).isEqualTo(t.optimizer().steps()).isEqualTo(t.steps()).isPositive();
                        if (whole == null) whole = t.parameters();
                        else assertSameBits(t.parameters(), whole);
                    }
                }
            }
        }
    }

    @Test
    void theStagedFirstLayerGivesTheBitsOfOneThread() throws IOException {
        // digits (standardised: dense rows) and a sparse copy of it (rows listed once), so both input paths run
        float[] x = digits.train().x().clone();
        for (int i = 0; i < x.length; i++) if (i % 3 != 0) x[i] = 0f;
        Dataset sparse = new Dataset("sparse digits", digits.train().features(), digits.train().classNames(), x, digits.train().y());
        for (Dataset data : new Dataset[] {digits.train(), sparse}) {
            for (String model : new String[] {"mlp:24,16:relu", "softmax"}) {
                double[] one = null;
                for (int threads : new int[] {1, 2, 3}) {
                    for (int staged = 0; staged < (threads == 1 ? 1 : 2); staged++) {
                        try (Trainer t = trainer(model, digits, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(1).batchSize(50).chunkSize(8)
                                .threads(threads).seed(7).build()).stagedFirstLayer(staged == 1)) {
                            t.fit(data, null, null, null);
                            assertThat(t.stagedRegions > 0).as("staged first layer used, %d threads", threads).isEqualTo(staged == 1);
                            if (one == null) one = t.parameters();
                            else assertSameBits(t.parameters(), one);
                        }
                    }
                }
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void theOwnedRestRegionGivesTheBitsOfOneThread() throws IOException {
        // thread 1 owning everything after the first layer, against one thread and the staged region of every thread: dense and
        // sparse rows (listed, and through each row's pixels), one and two hidden layers, chunks aligned with the blocks of 8 rows
        // and not (5), a short last chunk and batch (batches of 50), thread 0's share at both ends and between, with the vector
        // products (thread 0's first-layer sums by chunks) and with the scalar loops (whose part buffers the two threads share)
        float[] x = digits.train().x().clone();
        for (int i = 0; i < x.length; i++) if (i % 3 != 0) x[i] = 0f;
        Dataset sparse = new Dataset("sparse digits", digits.train().features(), digits.train().classNames(), x, digits.train().y());
        // and with the pull passes (Mlp.pull) on and off
        boolean saved = org.rmsprop4j.train.model.VectorProductsSwitch.set(true), savedPull = org.rmsprop4j.train.model.PullSwitch.set(true);
        try {
            for (boolean vec : new boolean[] {true, false}) {
                org.rmsprop4j.train.model.VectorProductsSwitch.set(vec);
                for (boolean pull : new boolean[] {true, false}) {
                    org.rmsprop4j.train.model.PullSwitch.set(pull);
                    ownedRestRuns(sparse, vec);
                }
            }
            assertThat(listedAheadForced).as("chunks listed ahead and used over the runs that force it").isGreaterThan(0);
        } finally {
            org.rmsprop4j.train.model.VectorProductsSwitch.set(saved);
            org.rmsprop4j.train.model.PullSwitch.set(savedPull);
        }
    }

    private long listedAheadForced; // chunks whose lists thread 1 made ahead and the next batch used, in the runs that force it

    private void ownedRestRuns(Dataset sparse, boolean vec) throws IOException {
        for (Dataset data : new Dataset[] {sparse, digits.train()}) {
            for (String model : new String[] {"mlp:24,16:relu", "mlp:12:tanh"}) {
                for (int cs : new int[] {8, 5}) {
                    double[] one = null;
                    for (int threads : new int[] {1, 2, 3}) {
                        // 0: the staged region; negative: thread 0 sums its first-layer rows only after every chunk; above 100: h = parts % 100,
                        // with 2xx thread 1 computing the first-stage blocks it reaches first (ownedStagesTo0 off), 3xx thread 1 listing every
                        // chunk of the next batch ahead before it waits, 4xx no lists ahead
                        for (int parts : threads == 2 ? new int[] {0, 1, 9, 15, -9, 209, 309, 315, 409} : new int[] {0}) {
                            int h = parts > 100 ? parts % 100 : parts, kind = parts / 100;
                            try (Trainer t = trainer(model, digits, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(2).batchSize(50).chunkSize(cs)
                                    .threads(threads).seed(7).build()).ownedRest(h != 0, Math.max(1, Math.abs(h)), h > 0).ownedStagesTo0(kind != 2)
                                    .listsAhead(kind != 4, kind == 3 ? Integer.MAX_VALUE : 0)) {
                                t.fit(data, null, null, null);
                                assertThat(t.ownedRegions > 0).as("owned rest used, %d threads, %d parts", threads, parts).isEqualTo(parts != 0);
                                // forced: thread 1 lists the next batch ahead whenever it passes a block's wait (in a batch where it joins
                                // late, thread 0 takes every chunk and it passes none), so counted over every such run
                                if (kind == 3) listedAheadForced += t.listsUsedAhead;
                                if (kind == 4 || threads != 2 || h == 0) assertThat(t.listsUsedAhead).as("no lists ahead, %d threads, %d parts", threads, parts).isZero();
                                if (one == null) one = t.parameters();
                                else {
                                    try {
                                        assertSameBits(t.parameters(), one);
                                    } catch (AssertionError e) {
                                        throw new AssertionError(data.name() + ", " + model + ", chunks of " + cs + ", " + threads + " threads, parts " + parts
                                                + (vec ? ", vector" : ", scalar") + " products: " + e.getMessage(), e);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Lists made a batch ahead by thread 1 (forced, so whatever the timing: every chunk, or only the first so that a batch has
     * chunks listed ahead and chunks listed in it), with thread 0 summing its rows by chunks or after every chunk, thread 1
     * taking first-stage blocks or not, and a second hidden layer wide enough (64) for the later layers' vector products: the
     * bits of one thread.
     */
    @Test
    void listsMadeAheadGiveTheBitsOfOneThread() throws IOException {
        float[] x = digits.train().x().clone();
        for (int i = 0; i < x.length; i++) if (i % 3 != 0) x[i] = 0f;
        Dataset sparse = new Dataset("sparse digits", digits.train().features(), digits.train().classNames(), x, digits.train().y());
        TrainConfig cfg = TrainConfig.builder().epochs(2).batchSize(50).chunkSize(5).threads(1).seed(11).build();
        double[] one;
        try (Trainer t = trainer("mlp:64,64:relu", digits, RMS, Dtype.FLOAT32, cfg)) {
            t.fit(sparse, null, null, null);
            one = t.parameters();
        }
        long forcedUsed = 0;
        for (int forced : new int[] {Integer.MAX_VALUE, 1, 0}) {
            for (boolean byChunk : new boolean[] {true, false}) {
                for (boolean stagesTo0 : new boolean[] {true, false}) {
                    String what = "forced " + forced + ", by chunk " + byChunk + ", stages to 0 " + stagesTo0;
                    try (Trainer t = trainer("mlp:64,64:relu", digits, RMS, Dtype.FLOAT32, cfg.toBuilder().threads(2).build())
                            .ownedRest(true, 12, byChunk).ownedStagesTo0(stagesTo0).listsAhead(true, forced)) {
                        t.fit(sparse, null, null, null);
                        assertThat(t.ownedRegions).as(what).isPositive();
                        assertSameBits(t.parameters(), one);
                        if (forced == 1) assertThat(t.listsUsedAhead).as(what + ": at most one chunk per batch").isLessThanOrEqualTo(t.ownedRegions);
                        if (forced > 0) forcedUsed += t.listsUsedAhead;
                    } catch (AssertionError e) {
                        throw new AssertionError(what + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        assertThat(forcedUsed).as("chunks listed ahead and used in the forced runs").isPositive();
    }

    @Test
    void theOwnedRestShareFollowsTheInputs() throws IOException {
        // thread 0 takes the first layer's inputs up to the share whose non-zero inputs balance thread 1's later layers:
        // MNIST's digits (150 of 784 non-zero, the last rows of pixels empty) all of them but the last sixteenth; dense inputs
        // 11 sixteenths; with no later layers to balance, half; no non-zero input at all, the fixed 12
        Model net = org.rmsprop4j.train.model.Models.parse("mlp:128,64:relu", 784, 10, 0);
        Dataset.Split split = org.rmsprop4j.train.data.Datasets.mnist10k();
        Dataset mnist = split.train();
        float[] dense = mnist.x().clone();
        for (int i = 0; i < dense.length; i++) dense[i] = 0.05f + 0.9f * dense[i];
        assertThat(Trainer.autoOwnedParts(mnist.x(), 784, net.laterLayersWork32())).isEqualTo(15);
        assertThat(Trainer.autoOwnedParts(dense, 784, net.laterLayersWork32())).isEqualTo(11);
        assertThat(Trainer.autoOwnedParts(dense, 784, 0)).isEqualTo(8);
        assertThat(Trainer.autoOwnedParts(new float[784 * 3], 784, 100)).isEqualTo(12);
        // a fit on 2 threads chooses it from its data; a share set for the trainer is kept
        Dataset small = new Dataset("dense digits", 784, mnist.classNames(), java.util.Arrays.copyOf(dense, 784 * 200),
                java.util.Arrays.copyOf(mnist.y(), 200));
        try (Trainer t = trainer("mlp:128,64:relu", split, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(1).batchSize(64).threads(2).build())) {
            t.fit(small, null, null, null);
            assertThat(t.ownedParts()).isEqualTo(11);
        }
        try (Trainer t = trainer("mlp:128,64:relu", split, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(1).batchSize(64).threads(2).build())
                .ownedRest(true, 9)) {
            t.fit(small, null, null, null);
            assertThat(t.ownedParts()).isEqualTo(9);
        }
    }

    @Test
    void aBadOwnedRestShareIsRefusedNamingIt() {
        try (Trainer t = trainer("mlp:12:tanh", digits, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(1).threads(2).build())) {
            assertThatThrownBy(() -> t.ownedRest(true, 16)).hasMessageContaining("parts").hasMessageContaining("16").hasMessageContaining("1 to 15");
        }
        // the property: a number out of range, or not a number at all, is refused naming the property and the value
        for (String bad : new String[] {"0", "16", "abc", "", "12.5"}) {
            assertThatThrownBy(() -> Trainer.ownedRestParts(bad)).as(bad).hasMessageContaining("-Drmsprop4j.train.ownedRestParts")
                    .hasMessageContaining("\"" + bad + "\"").hasMessageContaining("1 to 15");
        }
        assertThat(Trainer.ownedRestParts(null)).isEqualTo(12);
        assertThat(Trainer.ownedRestParts("13")).isEqualTo(13);
        for (String bad : new String[] {"yes", "", "1", "TRUE!"}) {
            assertThatThrownBy(() -> org.rmsprop4j.train.model.PullSwitch.parse(bad)).as(bad).hasMessageContaining("-Drmsprop4j.train.pull")
                    .hasMessageContaining("\"" + bad + "\"").hasMessageContaining("true or false");
        }
        assertThat(org.rmsprop4j.train.model.PullSwitch.parse(null)).isFalse();
        assertThat(org.rmsprop4j.train.model.PullSwitch.parse("false")).isFalse();
        assertThat(org.rmsprop4j.train.model.PullSwitch.parse("true")).isTrue();
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void theStableBranchLoopsTakeEveryItemAndGiveTheBitsOfOneThread() throws IOException {
        // the claim and stage loops of STABLE_BRANCHES against the earlier ones: uneven items (batch 50, chunks of 8: 7 chunks,
        // 7 blocks of 8 rows; 16 gradient parts on 3 threads), staged and not, on 1-3 threads (3 on this 2-core machine: late
        // threads, so items are left over and taken by others); a missed item would change the bits or hang the region
        float[] x = digits.train().x().clone();
        for (int i = 0; i < x.length; i++) if (i % 3 != 0) x[i] = 0f;
        Dataset sparse = new Dataset("sparse digits", digits.train().features(), digits.train().classNames(), x, digits.train().y());
        double[] one = null;
        for (int threads : new int[] {1, 2, 3}) {
            for (int stable = 0; stable < 2; stable++) {
                for (int staged = 0; staged < (threads == 1 ? 1 : 2); staged++) {
                    try (Trainer t = trainer("mlp:24,16:relu", digits, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(2).batchSize(50).chunkSize(8)
                            .threads(threads).seed(7).build()).stagedFirstLayer(staged == 1).stableBranches(stable == 1)) {
                        t.fit(sparse, null, null, null);
                        assertThat(t.stagedRegions > 0).as("staged first layer used, %d threads", threads).isEqualTo(staged == 1);
                        if (one == null) one = t.parameters();
                        else assertSameBits(t.parameters(), one);
                    }
                }
            }
        }
    }

    @Test
    void aFusedBatchOnTwoThreadsAllocatesNothing() throws IOException {
        com.sun.management.ThreadMXBean tm = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Trainer t = trainer("mlp:24,16:relu", digits, RMS, Dtype.FLOAT32, TrainConfig.builder().epochs(4).batchSize(16).chunkSize(4)
                .threads(2).seed(7).build())) {
            long[] ids = new long[2];
            long[] at = new long[6]; // epochs 3 and 4, batches 10, 35 and 60
            t.fit(digits.train(), null, null, new TrainingListener() {
                @Override public void batchDone(int epoch, int batch, int batches, double loss) {
                    if (epoch < 3 || (batch != 10 && batch != 35 && batch != 60)) return;
                    if (ids[0] == 0) {
                        ids[0] = Thread.currentThread().getId();
                        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().equals("rmsprop4j-trainer")) ids[1] = th.getId();
                    }
                    long sum = 0;
                    for (long id : ids) sum += tm.getThreadAllocatedBytes(id);
                    at[(epoch - 3) * 3 + (batch - 10) / 25] = sum;
                }
            });
            assertThat(ids[1]).as("the trainer's worker thread").isNotZero();
            // four windows of 25 batches; each measurement itself may allocate a little, a per-batch object would be 25 × 16
            // bytes or more in every window. The least of the four, so that a one-off (a method deoptimised and run
            // interpreted for a few calls on a loaded machine; 4,872 bytes once in a run beside a Maven build, cause not
            // proven) does not fail it
            long[] windows = {at[1] - at[0], at[2] - at[1], at[4] - at[3], at[5] - at[4]};
            assertThat(Arrays.stream(windows).min().getAsLong()).as("bytes allocated by the caller and the worker per 25 batches, least of "
                    + Arrays.toString(windows)).isLessThan(200);
        }
    }

    /** Passes every call to a model; probes override {@code accumulate}. */
    abstract static class DelegatingModel implements Model {
        final Model m;

        DelegatingModel(Model m) { this.m = m; }

        @Override public String spec() { return m.spec(); }
        @Override public org.rmsprop4j.optim.ParamLayout layout() { return m.layout(); }
        @Override public int inputs() { return m.inputs(); }
        @Override public int classes() { return m.classes(); }
        @Override public void initialize(double[] p, Rng rng) { m.initialize(p, rng); }
        @Override public Object newScratch() { return m.newScratch(); }
        @Override public double[] evaluate(double[] p, Dataset d, int[] rows, int from, int to, Object s) { return m.evaluate(p, d, rows, from, to, s); }
        @Override public double l2() { return m.l2(); }
        @Override public double addPenalty(double[] p, double[] g) { return m.addPenalty(p, g); }
        @Override public double accumulate(double[] p, Dataset d, int[] rows, int from, int to, double[] g, Object s) {
            return m.accumulate(p, d, rows, from, to, g, s);
        }
    }

    /** Passes everything to a model, but holds each gradient call until two different threads have made one. */
    static final class TwoThreadProbe extends DelegatingModel {
        final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.concurrent.CountDownLatch two = new java.util.concurrent.CountDownLatch(2);

        TwoThreadProbe(Model m) { super(m); }


        @Override public double accumulate(double[] p, Dataset d, int[] rows, int from, int to, double[] g, Object s) {
            if (threads.add(Thread.currentThread().getName())) two.countDown();
            try {
                two.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return m.accumulate(p, d, rows, from, to, g, s);
        }
    }

    @Test
    void twoThreadsReallyComputeChunksConcurrently() throws IOException {
        TwoThreadProbe probe = new TwoThreadProbe(Models.parse("softmax", 64, 10, 0));
        Optimizer opt = Optimizer.builder(RMS).layout(probe.layout()).build();
        try (Trainer t = new Trainer(probe, opt, TrainConfig.builder().epochs(1).batchSize(64).chunkSize(16).threads(2).build())) {
            t.fit(digits.train(), null, null, null);
        }
        assertThat(probe.threads).hasSize(2); // the caller and one pool thread, both inside accumulate at once
    }

    /** The caller's chunk throws at once; the pool thread's chunk is slow. fit must not return before the slow chunk ends. */
    static final class FailingCallerProbe extends DelegatingModel {
        final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

        FailingCallerProbe(Model m) { super(m); }


        @Override public double accumulate(double[] p, Dataset d, int[] rows, int from, int to, double[] g, Object s) {
            if (!Thread.currentThread().getName().equals("rmsprop4j-trainer")) throw new IllegalStateException("caller's chunk failed");
            running.incrementAndGet();
            try {
                Thread.sleep(300);
                return m.accumulate(p, d, rows, from, to, g, s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Test
    void aFailingChunkWaitsForTheOtherWorkersBeforeRethrowing() {
        FailingCallerProbe probe = new FailingCallerProbe(Models.parse("softmax", 64, 10, 0));
        Optimizer opt = Optimizer.builder(RMS).layout(probe.layout()).build();
        try (Trainer t = new Trainer(probe, opt, TrainConfig.builder().epochs(1).batchSize(32).chunkSize(16).threads(2).build())) {
            assertThatThrownBy(() -> t.fit(digits.train(), null, null, null)).hasMessage("caller's chunk failed");
            assertThat(probe.running.get()).as("a worker still writes the shared gradient buffers after fit threw").isZero();
        }
    }

    /** Passes the MLP's fused batch path (chunk passes, gradient parts, per-part weight copies) through to the model. */
    abstract static class FusedPathDelegate extends DelegatingModel {
        final AtomicIntegerCounter passes = new AtomicIntegerCounter();

        FusedPathDelegate(Model m) { super(m); }

        @Override public boolean hasFloat32Path() { return true; }
        @Override public Object newScratch32() { return m.newScratch32(); }
        @Override public Object prepare32(float[] p, Object previous) { return m.prepare32(p, previous); }
        @Override public void prepare32Part(float[] p, Object prepared, int part, int parts) { m.prepare32Part(p, prepared, part, parts); }
        @Override public double accumulate32(Object prep, Dataset d, int[] rows, int from, int to, float[] g, Object s) {
            return m.accumulate32(prep, d, rows, from, to, g, s);
        }
        @Override public boolean hasBatch32() { return true; }
        @Override public Object newBatch32(int rows, int chunkSize, int parts) { return m.newBatch32(rows, chunkSize, parts); }
        @Override public double chunkPass32(Object prep, Dataset d, int[] rows, int from, int to, int chunk, Object b, Object s) {
            return m.chunkPass32(prep, d, rows, from, to, chunk, b, s);
        }
        @Override public void gradientPart32(Object b, int batchRows, int part, int parts, float divisor, float[] g) {
            m.gradientPart32(b, batchRows, part, parts, divisor, g);
        }
        @Override public int gradientPartRanges(int part, int parts, int[] out) { return m.gradientPartRanges(part, parts, out); }
    }

    /** The MLP's fused batch path, but chunk 1 of the third batch fails (on whichever thread takes it). */
    static final class FailingFusedProbe extends FusedPathDelegate {
        FailingFusedProbe(Model m) { super(m); }

        @Override public double chunkPass32(Object prep, Dataset d, int[] rows, int from, int to, int chunk, Object b, Object s) {
            if (chunk == 1 && passes.n.incrementAndGet() == 3) throw new IllegalStateException("chunk 1 of batch 3 failed");
            return super.chunkPass32(prep, d, rows, from, to, chunk, b, s);
        }
    }

    /**
     * The MLP's fused batch path with the staged first layer, but one stage of block 1 of the third batch fails: the last
     * (no thread waits on it), or the first (the next stage's thread waits on it and must leave the region).
     */
    static final class FailingStagedProbe extends FusedPathDelegate {
        final boolean first;

        FailingStagedProbe(Model m, boolean first) {
            super(m);
            this.first = first;
        }

        @Override public boolean hasStagedFirstLayer32() { return true; }
        @Override public void firstLayerStage32(Object prep, Dataset d, int[] rows, int from, int to, int qa, int qb, int stage, int stages, Object b,
                Object s) {
            if (qa == 8 && stage == (first ? 0 : stages - 1) && passes.n.incrementAndGet() == 3) throw new IllegalStateException("chunk 1 of batch 3 failed");
            m.firstLayerStage32(prep, d, rows, from, to, qa, qb, stage, stages, b, s);
        }
        @Override public double restPass32(Object prep, Dataset d, int[] rows, int from, int to, int chunk, Object b, Object s) {
            return m.restPass32(prep, d, rows, from, to, chunk, b, s);
        }
    }

    static final class AtomicIntegerCounter { final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger(); }

    @Test
    void aFailingChunkOfTheFusedPathStopsFitAfterTheLastGoodStep() throws IOException {
        for (int threads : new int[] {1, 2, 3}) {
            TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(48).chunkSize(16).threads(threads).seed(3).build();
            int[] rows = new int[144];
            for (int i = 0; i < rows.length; i++) rows[i] = i;
            Dataset data = digits.train().subset(rows, "digits, 144 rows");
            double[][] twoSteps = new double[1][];
            Model plain = Models.parse("mlp:16:relu", 64, 10, 0);
            try (Trainer t = new Trainer(plain, Optimizer.builder(RMS).layout(plain.layout()).dtype(Dtype.FLOAT32).build(), cfg)) {
                t.fit(data, null, null, new TrainingListener() {
                    @Override public void batchDone(int epoch, int batch, int batches, double loss) {
                        if (batch == 2) twoSteps[0] = t.parameters();
                    }
                });
            }
            for (Model probe : new Model[] {new FailingFusedProbe(Models.parse("mlp:16:relu", 64, 10, 0)),
                    new FailingStagedProbe(Models.parse("mlp:16:relu", 64, 10, 0), false),
                    new FailingStagedProbe(Models.parse("mlp:16:relu", 64, 10, 0), true)}) { // the staged first layer runs on 2+ threads only
                if (threads == 1 && probe instanceof FailingStagedProbe) continue;
                Optimizer opt = Optimizer.builder(RMS).layout(probe.layout()).dtype(Dtype.FLOAT32).build();
                try (Trainer t = new Trainer(probe, opt, cfg)) {
                    assertThatThrownBy(() -> t.fit(data, null, null, null)).hasMessage("chunk 1 of batch 3 failed");
                    assertThat(opt.steps()).isEqualTo(2);
                    assertSameBits(t.parameters(), twoSteps[0]); // the parameters of the two good steps, untouched by the failed one
                    if (threads > 1 && probe instanceof FailingStagedProbe) assertThat(t.stagedRegions).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void anUnwritableCheckpointFolderIsRefusedBeforeTheFirstEpoch(@TempDir Path dir) throws IOException {
        Path ck = Files.writeString(dir.resolve("plain-file"), "x").resolve("ck");
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(50).seed(7).checkpointDir(ck).build();
        List<Integer> started = new ArrayList<>();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            assertThatThrownBy(() -> t.fit(digits.train(), null, null, new TrainingListener() {
                @Override public void epochStarted(int epoch, int batches, int firstBatch) { started.add(epoch); }
            })).isInstanceOf(IOException.class).hasMessageStartingWith("cannot write checkpoints to " + ck + ": ");
        }
        assertThat(started).isEmpty();
    }

    @Test
    void fourEpochsStraightEqualTwoThenResumeTwo(@TempDir Path dir) throws IOException {
        for (Dtype dt : Dtype.values()) {
            double[] straight = run("mlp:24", dt, 2, 4);
            Path ck = dir.resolve(dt.label());
            TrainConfig two = TrainConfig.builder().epochs(2).batchSize(50).chunkSize(8).threads(2).seed(7).checkpointDir(ck).build();
            try (Trainer t = trainer("mlp:24", digits, RMS, dt, two)) {
                t.fit(digits.train(), null, null, null);
            }
            TrainConfig four = two.toBuilder().epochs(4).build();
            try (Trainer t = trainer("mlp:24", digits, RMS, dt, four)) {
                t.resume(ck);
                assertThat(t.epochsDone()).isEqualTo(2);
                Trainer.Result r = t.fit(digits.train(), null, null, null);
                assertThat(r.history()).extracting(EpochMetrics::epoch).containsExactly(3, 4);
                assertSameBits(straight, t.parameters());
            }
        }
    }

    @Test
    void resumeFromAMidEpochCheckpointAfterACrashIsBitIdentical(@TempDir Path dir) throws IOException {
        double[] straight = run("softmax", Dtype.FLOAT32, 1, 3);
        TrainConfig cfg = TrainConfig.builder().epochs(3).batchSize(50).chunkSize(8).seed(7).checkpointDir(dir).checkpointEverySteps(10).build();
        List<Long> written = new ArrayList<>();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            assertThatThrownBy(() -> t.fit(digits.train(), null, null, new TrainingListener() {
                @Override public void batchDone(int epoch, int batch, int batches, double loss) {
                    if (epoch == 2 && batch == 20) throw new IllegalStateException("simulated crash");
                }

                @Override public void checkpointWritten(Path file, long step) { written.add(step); }
            })).hasMessage("simulated crash");
        }
        // 1438 training rows, 29 batches per epoch: every 10 steps, plus the end of epoch 1 (step 29);
        // the crash comes at step 49 (epoch 2, batch 20), so the last checkpoint is step 40 = epoch 2, batch 11
        assertThat(written).containsExactly(10L, 20L, 29L, 30L, 40L);
        Checkpoint c = Checkpoint.load(dir);
        assertThat(c.steps()).isEqualTo(40);
        assertThat(c.epoch()).isEqualTo(1);
        assertThat(c.batch()).isEqualTo(11);
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            t.resume(dir);
            t.fit(digits.train(), null, null, null);
            assertSameBits(straight, t.parameters());
        }
    }

    @Test
    void damagedOrMismatchedCheckpointsAreRefused(@TempDir Path dir) throws IOException {
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(50).seed(7).checkpointDir(dir).build();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            t.fit(digits.train(), null, null, null);
        }
        Path f = dir.resolve(Checkpoint.FILE_NAME);
        byte[] good = Files.readAllBytes(f);
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg.toBuilder().batchSize(64).build())) {
            assertThatThrownBy(() -> t.resume(f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot resume: the batch size is 50 in the checkpoint, 64 now; repeat the options the run was started with");
        }
        try (Trainer t = trainer("mlp:8", digits, RMS, Dtype.FLOAT32, cfg)) {
            assertThatThrownBy(() -> t.resume(f)).hasMessage("cannot resume: the model is 'softmax' in the checkpoint, 'mlp:8:relu' now; "
                    + "repeat the options the run was started with");
        }
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(f, flipped);
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            double[] before = t.parameters();
            assertThatThrownBy(() -> t.resume(f)).isInstanceOf(IOException.class).hasMessageEndingWith("is truncated or corrupted: checksum mismatch");
            assertSameBits(before, t.parameters());
        }
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 100));
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            assertThatThrownBy(() -> t.resume(f)).isInstanceOf(IOException.class).hasMessageContaining("checksum mismatch");
        }
        Files.writeString(f, "hello");
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            assertThatThrownBy(() -> t.resume(f)).hasMessageEndingWith("is not an rmsprop4j checkpoint (wrong magic bytes)");
        }
    }

    /** A checkpoint with a valid checksum is still cross-checked: another program may have written it. */
    @Test
    void checkpointsWhoseFieldsLieAreRefusedDespiteAValidChecksum(@TempDir Path dir) throws IOException {
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(50).seed(7).checkpointDir(dir).checkpointEverySteps(5).build();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            t.fit(digits.train(), null, null, null);
        }
        Checkpoint c = Checkpoint.load(dir);
        // batch 2^31-1: the run used to end after 20 steps instead of 24
        for (Checkpoint bad : new Checkpoint[] {
                with(c, c.epoch(), Integer.MAX_VALUE, c.steps(), c.epochRows()),
                with(c, c.epoch(), c.batch(), c.steps() + 1, c.epochRows()),
                with(c, c.epoch() + 1, c.batch(), c.steps(), c.epochRows()),
                with(c, c.epoch(), c.batch(), c.steps(), c.epochRows() + 3)}) {
            assertThatThrownBy(() -> Checkpoint.fromBytes(bad.toBytes(), "ck.bin")).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("ck.bin is malformed: ");
        }
        Checkpoint.fromBytes(with(c, c.epoch(), c.batch(), c.steps(), c.epochRows()).toBytes(), "ck.bin"); // the untouched copy loads
        // a bad modified-UTF-8 string under a valid checksum: named, not "malformed input around byte 3"
        byte[] b = c.toBytes();
        byte[] body = java.util.Arrays.copyOf(b, b.length - 8);
        body[8 + 4 + 2] = (byte) 0xff; // first byte of the model spec
        assertThatThrownBy(() -> Checkpoint.fromBytes(org.rmsprop4j.optim.StateIO.withChecksum(body), "ck.bin")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("ck.bin is malformed: a text field is not valid modified UTF-8");
    }

    static Checkpoint with(Checkpoint c, int epoch, int batch, long steps, long epochRows) {
        return new Checkpoint(c.modelSpec(), c.dtype(), c.seed(), c.batchSize(), c.chunkSize(), c.trainRows(), epoch, batch, steps, c.rngState(),
                c.epochLossSum(), epochRows, c.bestLoss(), c.badEpochs(), c.settings(), c.params(), c.optimizerState());
    }

    @Test
    void devicesAndOversizedFilesAreRefusedBeforeReading(@TempDir Path dir) throws IOException {
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(50).seed(7).build();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            assertThatThrownBy(() -> t.resume(Path.of("/dev/zero"))).isInstanceOf(IOException.class)
                    .hasMessage("/dev/zero is not a regular file (a device, pipe or folder), so not a checkpoint");
            Path big = dir.resolve("big.bin");
            try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]), Checkpoint.maxBytes(t.model().layout().size())); // sparse
            }
            assertThatThrownBy(() -> t.resume(big)).isInstanceOf(IOException.class).hasMessageContaining(" a checkpoint of this run can have; it is not one");
            Path empty = Files.createDirectory(dir.resolve("empty"));
            assertThatThrownBy(() -> t.resume(empty)).isInstanceOf(java.nio.file.NoSuchFileException.class)
                    .hasMessageContaining("the folder holds no checkpoint.bin yet (the run stopped before its first checkpoint)");
        }
    }

    @Test
    void resumeChecksTheDataAndTheEpochsLeft(@TempDir Path dir) throws IOException {
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(50).seed(7).checkpointDir(dir).build();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            t.fit(digits.train(), null, null, null);
        }
        assertThat(Checkpoint.load(dir).settings().get("data")).matches("1438 rows x 64 features, 10 classes, crc32c [0-9a-f]{8}");
        // the same shape, other values (as another preprocessing, or another 64-feature file, gives)
        Dataset other = digits.train().scaled(0.5);
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg.toBuilder().epochs(2).build())) {
            t.resume(dir);
            double[] before = t.parameters();
            Dataset fewer = digits.train().subset(java.util.stream.IntStream.range(0, 1000).toArray(), "fewer");
            assertThatThrownBy(() -> t.fit(fewer, null, null, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot resume: the training part has 1438 rows in the checkpoint, 1000 now; give the same data, split and preprocessing");
            assertThatThrownBy(() -> t.fit(other, null, null, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("cannot resume: the training data \\(after preprocessing\\) is 1438 rows x 64 features, 10 classes, crc32c \\w+ "
                            + "in the checkpoint, 1438 rows x 64 features, 10 classes, crc32c \\w+ now; give the same data, split and preprocessing");
            assertSameBits(before, t.parameters());
        }
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            assertThatThrownBy(() -> t.resume(dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot resume: the checkpoint has finished 1 epoch and this run asks for 1 in total, so there is nothing left to train; "
                            + "ask for more than 1");
        }
    }

    @Test
    void aBatchSizeBeyondTheRowsAllocatesByTheRowsAndGivesTheSameBits() throws IOException {
        double[] whole, huge;
        TrainConfig cfg = TrainConfig.builder().epochs(2).batchSize(digits.train().size()).seed(7).build();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            t.fit(digits.train(), null, null, null);
            whole = t.parameters();
        }
        // 100,000,000 rows per batch used to allocate 6.25 million chunk buffers before the first step
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg.toBuilder().batchSize(100_000_000).build())) {
            t.fit(digits.train(), null, null, null);
            huge = t.parameters();
        }
        assertSameBits(whole, huge);
    }

    @Test
    void staleTempFilesOfAKilledCheckpointWriteAreRemovedOnTheNextRun(@TempDir Path dir) throws IOException {
        Path stale = Files.write(dir.resolve(".checkpoint.bin.1234567890.tmp"), new byte[1000]);
        Path probe = Files.write(dir.resolve(".probe-42.tmp"), new byte[1]);
        Path mine = Files.write(dir.resolve(".checkpoint.bin.mine.tmp"), new byte[1]);
        Path other = Files.write(dir.resolve("notes.txt"), new byte[1]);
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(50).seed(7).checkpointDir(dir).build();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg)) {
            t.fit(digits.train(), null, null, null);
        }
        assertThat(stale).doesNotExist();
        assertThat(probe).doesNotExist();
        assertThat(mine).exists();
        assertThat(other).exists();
        assertThat(dir.resolve(Checkpoint.FILE_NAME)).exists();
    }

    @Test
    void resumingWithOtherOptimizerSettingsIsRefusedNamingTheSetting(@TempDir Path dir) throws IOException {
        org.rmsprop4j.optim.LearningRateSchedule cos = Schedules.cosine(200, 1e-4);
        TrainConfig cfg = TrainConfig.builder().epochs(2).batchSize(50).seed(7).checkpointDir(dir).schedule(cos).build();
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg.toBuilder().epochs(1).build(), cos)) {
            t.fit(digits.train(), null, null, null);
        }
        OptimizerSpec fast = RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.5).momentum(0.5).centered(true).build();
        try (Trainer t = trainer("softmax", digits, fast, Dtype.FLOAT32, cfg, cos)) {
            double[] before = t.parameters();
            assertThatThrownBy(() -> t.resume(dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot resume: learningRate is 0.003 in the checkpoint, 0.5 now; repeat the options the run was started with");
            assertSameBits(before, t.parameters());
            assertThat(t.epochsDone()).isZero();
        }
        OptimizerSpec keras = RmsPropPreset.KERAS.config().toBuilder().learningRate(0.003).momentum(0.5).centered(true).build();
        try (Trainer t = trainer("softmax", digits, keras, Dtype.FLOAT32, cfg, cos)) {
            assertThatThrownBy(() -> t.resume(dir)).hasMessageStartingWith("cannot resume: ").hasMessageContaining(" in the checkpoint, ");
        }
        org.rmsprop4j.optim.LearningRateSchedule longer = Schedules.cosine(400, 1e-4);
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg.toBuilder().schedule(longer).build(), longer)) {
            assertThatThrownBy(() -> t.resume(dir)).hasMessage("cannot resume: schedule is cosine(200, 1.0E-4) in the checkpoint, "
                    + "cosine(400, 1.0E-4) now; repeat the options the run was started with");
        }
        Model m = Models.parse("softmax", 64, 10, 0);
        Optimizer clipped = Optimizer.builder(RMS).layout(m.layout()).schedule(cos).clipping(org.rmsprop4j.optim.Clipping.byGlobalNorm(1)).build();
        try (Trainer t = new Trainer(m, clipped, cfg)) {
            assertThatThrownBy(() -> t.resume(dir)).hasMessageStartingWith("cannot resume: clipping is ");
        }
        Optimizer sgd = Optimizer.builder(SgdConfig.builder().learningRate(0.003).build()).layout(m.layout()).schedule(cos).build();
        try (Trainer t = new Trainer(m, sgd, cfg)) {
            assertThatThrownBy(() -> t.resume(dir)).hasMessageStartingWith("cannot resume: the optimizer is rmsprop in the checkpoint, sgd now");
        }
        try (Trainer t = trainer("softmax", digits, RMS, Dtype.FLOAT32, cfg, cos)) {
            t.resume(dir); // the same settings (and a longer run) resume
            assertThat(t.epochsDone()).isEqualTo(1);
        }
    }

    @Test
    void earlyStoppingStopsWhenTheMonitoredLossStopsFalling() throws IOException {
        Dataset.Split sp = digits;
        Model m = Models.parse("softmax", 64, 10, 0);
        Optimizer opt = Optimizer.builder(SgdConfig.builder().learningRate(0.0).build()).layout(m.layout()).build();
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(10).patience(2).seed(1).build())) {
            Trainer.Result r = t.fit(sp.train(), sp.test(), sp.test(), null);
            assertThat(r.stoppedEarly()).isTrue();
            assertThat(r.epochsDone()).isEqualTo(3); // epoch 1 sets the best; 2 and 3 do not improve on it
        }
    }

    @Test
    void aRunThatStoppedEarlyStaysStoppedWhenResumed(@TempDir Path dir) throws IOException {
        Model m = Models.parse("softmax", 64, 10, 0);
        TrainConfig cfg = TrainConfig.builder().epochs(10).patience(2).seed(1).checkpointDir(dir).build();
        double[] end;
        try (Trainer t = new Trainer(m, Optimizer.builder(SgdConfig.builder().learningRate(0.0).build()).layout(m.layout()).build(), cfg)) {
            assertThat(t.fit(digits.train(), digits.test(), null, null).epochsDone()).isEqualTo(3);
            end = t.parameters();
        }
        try (Trainer t = new Trainer(m, Optimizer.builder(SgdConfig.builder().learningRate(0.0).build()).layout(m.layout()).build(), cfg)) {
            t.resume(dir);
            assertThat(t.stoppedEarly()).isTrue();
            Trainer.Result r = t.fit(digits.train(), digits.test(), null, null);
            assertThat(r.history()).isEmpty();
            assertThat(r.epochsDone()).isEqualTo(3);
            assertThat(r.stoppedEarly()).isTrue();
            assertSameBits(end, t.parameters());
        }
    }

    @Test
    void metricsLinesAreWellFormed() {
        EpochMetrics m = new EpochMetrics(3, 120, 0.5, Double.NaN, 0.25, 0.9, 0.01, 1.2341);
        assertThat(m.csv()).isEqualTo("3,120,0.5,,0.25,0.9,0.01,1.234");
        assertThat(m.json()).isEqualTo("{\"epoch\":3,\"step\":120,\"train_loss\":0.5,\"val_loss\":null,\"test_loss\":0.25,"
                + "\"test_accuracy\":0.9,\"learning_rate\":0.01,\"seconds\":1.234}");
        assertThat(EpochMetrics.CSV_HEADER.split(",")).hasSize(m.csv().split(",", -1).length);
    }
}
