package org.rmsprop4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.Schedules;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * {@link SharedStateTrainer}: one worker is the synchronous {@link Trainer} bit for bit; 2 and 4
 * workers (racy, on however many cores there are) train MNIST-10k for one epoch to a real loss
 * decrease and an accuracy far above chance, with every batch counted and every worker stepping.
 */
class SharedStateTrainerTest {
    static Dataset.Split digits, mnist;

    @BeforeAll
    static void load() throws IOException {
        digits = Datasets.load("digits", 0.2, 42).standardized();
        mnist = Datasets.mnist10k().scaled(1.0 / 255);
    }

    static final OptimizerSpec RMS = RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.003).momentum(0.5).centered(true).build();

    private static Optimizer optimizer(Model m, OptimizerSpec spec, Dtype dt) {
        return Optimizer.builder(spec).layout(m.layout()).dtype(dt).schedule(Schedules.cosine(200, 1e-4)).build();
    }

    @Test
    void oneWorkerIsTheSynchronousTrainerBitForBit() throws IOException {
        // the float32 MLP path, the float64 path of a float32 model without one, and float64 (with an L2 penalty)
        String[][] cases = {{"mlp:24,16", "float32", "0"}, {"softmax", "float32", "0"}, {"mlp:16:tanh", "float64", "0.01"}};
        for (String[] c : cases) {
            Dtype dt = Dtype.parse(c[1]);
            double l2 = Double.parseDouble(c[2]);
            TrainConfig cfg = TrainConfig.builder().epochs(2).batchSize(50).chunkSize(8).seed(7).build();
            Model ms = Models.parse(c[0], 64, 10, l2), mh = Models.parse(c[0], 64, 10, l2);
            Optimizer os = optimizer(ms, RMS, dt), oh = optimizer(mh, RMS, dt);
            Trainer.Result rs, rh;
            double[] ps, ph;
            try (Trainer t = new Trainer(ms, os, cfg)) {
                rs = t.fit(digits.train(), null, digits.test(), null);
                ps = t.parameters();
            }
            try (SharedStateTrainer t = new SharedStateTrainer(mh, oh, cfg, 1)) {
                rh = t.fit(digits.train(), null, digits.test(), null);
                ph = t.parameters();
                assertThat(t.workerSteps()).containsExactly(rs.steps());
            }
            TrainerTest.assertSameBits(ph, ps);
            assertThat(rh.steps()).isEqualTo(rs.steps()).isEqualTo(os.steps()).isEqualTo(oh.steps());
            for (int e = 0; e < 2; e++) {
                assertThat(rh.history().get(e).trainLoss()).as(c[0] + " train loss").isEqualTo(rs.history().get(e).trainLoss());
                assertThat(rh.history().get(e).testAccuracy()).isEqualTo(rs.history().get(e).testAccuracy());
            }
            StateDict a = os.stateDict(), b = oh.stateDict();
            for (String key : a.buffers().keySet()) assertThat(b.buffers().get(key)).as(key).containsExactly(a.buffers().get(key));
        }
    }

    /**
     * One epoch of MNIST-10k (8,000 rows, 125 batches of 64) on K workers sharing parameters and
     * RMSprop's mean square without locks. On this 2-core machine 4 workers also means threads
     * preempting each other mid-update.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void mnistOneEpochOnSharedStateWorkers(int k) throws IOException {
        Model m = Models.parse("mlp:128,64", 784, 10, 0);
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.001)).layout(m.layout()).build();
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(64).seed(42).build();
        int batches = (mnist.train().size() + 63) / 64;
        AtomicInteger calls = new AtomicInteger();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        try (SharedStateTrainer t = new SharedStateTrainer(m, opt, cfg, k)) {
            double before = t.evaluate(mnist.test()).loss();
            double[] p0 = t.parameters();
            Trainer.Result r = t.fit(mnist.train(), null, mnist.test(), new TrainingListener() {
                @Override public void batchDone(int epoch, int batch, int n, double loss) {
                    calls.incrementAndGet();
                    threads.add(Thread.currentThread());
                    assertThat(Double.isFinite(loss)).isTrue();
                }
            });
            assertThat(r.steps()).isEqualTo(batches).isEqualTo(opt.steps());
            assertThat(calls.get()).isEqualTo(batches);
            long[] ws = t.workerSteps();
            long sum = 0;
            for (int w = 0; w < k; w++) {
                // worker w takes batches w, w+K, ...: its share, exactly
                assertThat(ws[w]).as("worker %d", w).isEqualTo((batches - w + k - 1) / k);
                sum += ws[w];
            }
            assertThat(sum).isEqualTo(r.steps());
            assertThat(threads).as("batches ran on K threads").hasSize(k);
            double[] p = t.parameters();
            int changed = 0;
            for (int i = 0; i < p.length; i++) {
                assertThat(Double.isFinite(p[i])).as("parameter %d", i).isTrue();
                if (p[i] != p0[i]) changed++;
            }
            assertThat(changed).isGreaterThan(p.length / 2);
            for (double v : opt.state("w1", "square_avg")) assertThat(Double.isFinite(v)).isTrue();
            assertThat(r.test().loss()).isLessThan(before * 0.5);
            assertThat(r.history().get(0).trainLoss()).isLessThan(before);
            assertThat(r.test().accuracy()).as("test accuracy after one epoch (chance: 0.1)").isGreaterThan(0.85);
        }
    }

    /** Batches dealt on demand: every batch is applied exactly once, whichever worker takes it. */
    @Test
    void dynamicBatchesApplyEveryBatchOnce() throws IOException {
        Model m = Models.parse("mlp:32", 64, 10, 0);
        Optimizer opt = optimizer(m, RMS, Dtype.FLOAT32);
        int batches = (digits.train().size() + 31) / 32;
        AtomicInteger calls = new AtomicInteger();
        try (SharedStateTrainer t = new SharedStateTrainer(m, opt, TrainConfig.builder().epochs(3).batchSize(32).seed(5).build(), 3)) {
            Trainer.Result r = t.dynamicBatches(true).fit(digits.train(), null, digits.test(), new TrainingListener() {
                @Override public void batchDone(int epoch, int batch, int n, double loss) { calls.incrementAndGet(); }
            });
            assertThat(r.steps()).isEqualTo(3L * batches).isEqualTo(opt.steps());
            assertThat(calls.get()).isEqualTo(3 * batches);
            assertThat(java.util.Arrays.stream(t.workerSteps()).sum()).isEqualTo(r.steps());
            assertThat(r.test().accuracy()).isGreaterThan(0.85);
        }
    }

    /** The MNIST target of the synchronous run (TrainerTest), on 2 shared-state workers; tag "slow" (see train/pom.xml). */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void mnist8EpochsOnTwoSharedStateWorkersReach95Percent() throws IOException {
        Model m = Models.parse("mlp:128,64", 784, 10, 0);
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.001)).layout(m.layout()).build();
        try (SharedStateTrainer t = new SharedStateTrainer(m, opt, TrainConfig.builder().epochs(8).batchSize(64).seed(42).build(), 2)) {
            Trainer.Result r = t.fit(mnist.train(), null, mnist.test(), null);
            assertThat(r.steps()).isEqualTo(8 * 125);
            assertThat(r.test().accuracy()).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void aFailingWorkerLeavesParametersAndStateAsTheEpochFoundThem() {
        Model m = Models.parse("mlp:16", 64, 10, 0);
        Optimizer opt = optimizer(m, RMS, Dtype.FLOAT32);
        TrainConfig cfg = TrainConfig.builder().epochs(2).batchSize(32).seed(3).build();
        try (SharedStateTrainer t = new SharedStateTrainer(m, opt, cfg, 2)) {
            AtomicInteger epochDone = new AtomicInteger();
            double[][] afterFirst = new double[1][];
            StateDict[] stateAfterFirst = new StateDict[1];
            TrainingListener l = new TrainingListener() {
                @Override public void batchDone(int epoch, int batch, int n, double loss) {
                    if (epoch == 2 && batch == 10) throw new IllegalStateException("boom");
                }

                @Override public void epochDone(EpochMetrics e) {
                    epochDone.incrementAndGet();
                    afterFirst[0] = t.parameters();
                    stateAfterFirst[0] = opt.stateDict();
                }
            };
            assertThatThrownBy(() -> t.fit(digits.train(), null, null, l)).hasMessage("boom");
            assertThat(epochDone.get()).isEqualTo(1);
            TrainerTest.assertSameBits(t.parameters(), afterFirst[0]);
            StateDict now = opt.stateDict();
            assertThat(now.groups()).isEqualTo(stateAfterFirst[0].groups());
            for (String key : now.buffers().keySet()) assertThat(now.buffers().get(key)).as(key).containsExactly(stateAfterFirst[0].buffers().get(key));
            assertThat(t.steps()).isEqualTo(opt.steps()).isEqualTo(stateAfterFirst[0].groups().get(0).step());
        }
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        Model m = Models.parse("mlp:8", 64, 10, 0);
        Optimizer opt = optimizer(m, RMS, Dtype.FLOAT32);
        TrainConfig cfg = TrainConfig.builder().epochs(1).build();
        assertThatThrownBy(() -> new SharedStateTrainer(m, opt, cfg, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers").hasMessageContaining("1..256").hasMessageContaining("0");
        assertThatThrownBy(() -> new SharedStateTrainer(m, opt, cfg, 257)).hasMessageContaining("workers");
        assertThatThrownBy(() -> new SharedStateTrainer(m, opt, cfg.toBuilder().checkpointDir(Path.of("ck")).checkpointEverySteps(5).build(), 2))
                .hasMessageContaining("checkpointEverySteps").hasMessageContaining("5").hasMessageContaining("epoch ends");
        Optimizer adagrad = Optimizer.builder(AdagradConfig.builder().build()).layout(m.layout()).build();
        assertThatThrownBy(() -> new SharedStateTrainer(m, adagrad, cfg, 2)).hasMessageContaining("RMSprop, SGD or Adam");
        Optimizer other = Optimizer.builder(RMS).layout(Models.parse("mlp:9", 64, 10, 0).layout()).build();
        assertThatThrownBy(() -> new SharedStateTrainer(m, other, cfg, 2)).hasMessageContaining("layout");
        try (SharedStateTrainer t = new SharedStateTrainer(m, opt, cfg, 2)) {
            Dataset wrong = Datasets.load("iris", 0.2, 1).train();
            assertThatThrownBy(() -> t.fit(wrong, null, null, null)).hasMessageContaining("features");
            assertThat(t.steps()).isZero();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
