package org.rmsprop4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * Checkpoints and resume of {@link SharedStateTrainer}: the checkpoint is {@link Trainer}'s, byte for
 * byte with one worker; a resumed run restores the saved parameters, state, step counts and epoch exactly
 * and goes on from the next epoch; with one worker, stopping and resuming gives the uninterrupted run's bits.
 */
class SharedStateCheckpointTest {
    static Dataset.Split digits;

    @BeforeAll
    static void load() throws IOException {
        digits = Datasets.load("digits", 0.2, 42).standardized();
    }

    private static Model model() { return Models.parse("mlp:24,16", 64, 10, 0); }

    private static Optimizer optimizer(Model m) {
        return Optimizer.builder(SharedStateTrainerTest.RMS).layout(m.layout()).dtype(Dtype.FLOAT32).build();
    }

    private static TrainConfig cfg(int epochs, Path dir) {
        return TrainConfig.builder().epochs(epochs).batchSize(50).chunkSize(8).seed(7).checkpointDir(dir).build();
    }

    private static byte[] bytes(Path dir) throws IOException { return Files.readAllBytes(dir.resolve(Checkpoint.FILE_NAME)); }

    @Test
    void oneWorkerWritesTrainersCheckpointAndResumesToTheUninterruptedBits(@TempDir Path tmp) throws IOException {
        Path sync = tmp.resolve("sync"), whole = tmp.resolve("whole"), half = tmp.resolve("half");
        Files.createDirectories(sync);
        Files.createDirectories(whole);
        Files.createDirectories(half);
        Model m0 = model();
        try (Trainer t = new Trainer(m0, optimizer(m0), cfg(2, sync))) {
            t.fit(digits.train(), null, null, null);
        }
        Model m1 = model();
        try (SharedStateTrainer t = new SharedStateTrainer(m1, optimizer(m1), cfg(4, whole), 1)) {
            t.fit(digits.train(), null, digits.test(), null);
        }
        Model m2 = model();
        try (SharedStateTrainer t = new SharedStateTrainer(m2, optimizer(m2), cfg(2, half), 1)) {
            t.fit(digits.train(), null, digits.test(), null);
        }
        // the same file a synchronous run writes after the same 2 epochs
        assertThat(bytes(half)).isEqualTo(bytes(sync));
        Model m3 = model();
        Optimizer o3 = optimizer(m3);
        List<Integer> started = new ArrayList<>();
        try (SharedStateTrainer t = new SharedStateTrainer(m3, o3, cfg(4, half), 1)) {
            t.resume(half);
            Trainer.Result r = t.fit(digits.train(), null, digits.test(), new TrainingListener() {
                @Override public void epochStarted(int epoch, int batches, int firstBatch) { started.add(epoch); }
            });
            assertThat(r.epochsDone()).isEqualTo(4);
            assertThat(r.history()).extracting(EpochMetrics::epoch).containsExactly(3, 4);
        }
        assertThat(started).containsExactly(3, 4);
        assertThat(bytes(half)).as("the resumed run's last checkpoint").isEqualTo(bytes(whole));
    }

    @Test
    void twoWorkersResumeExactlyTheSavedStateAndGoOnFromTheNextEpoch(@TempDir Path dir) throws IOException {
        Model m = model();
        Optimizer o = optimizer(m);
        int batches = (digits.train().size() + 49) / 50;
        List<Path> written = new ArrayList<>();
        try (SharedStateTrainer t = new SharedStateTrainer(m, o, cfg(2, dir), 2)) {
            t.fit(digits.train(), null, null, new TrainingListener() {
                @Override public void checkpointWritten(Path file, long step) { written.add(file); }
            });
            assertThat(written).hasSize(2); // every epoch (checkpointEveryEpochs 1)
            Checkpoint c = Checkpoint.load(dir);
            TrainerTest.assertSameBits(c.params(), t.parameters());
            assertThat(c.epoch()).isEqualTo(2);
            assertThat(c.batch()).isZero();
            assertThat(c.steps()).isEqualTo(2L * batches).isEqualTo(t.steps());
        }
        Checkpoint saved = Checkpoint.load(dir);
        Model m2 = model();
        Optimizer o2 = optimizer(m2);
        try (SharedStateTrainer t = new SharedStateTrainer(m2, o2, cfg(3, dir), 2)) {
            double[] fresh = t.parameters();
            t.resume(dir);
            TrainerTest.assertSameBits(t.parameters(), saved.params());
            assertThat(t.parameters()).isNotEqualTo(fresh);
            StateDict a = saved.optimizerState(), b = o2.stateDict();
            assertThat(b.groups()).isEqualTo(a.groups());
            assertThat(b.buffers().keySet()).isEqualTo(a.buffers().keySet());
            for (String key : a.buffers().keySet()) assertThat(b.buffers().get(key)).as(key).containsExactly(a.buffers().get(key));
            assertThat(o2.steps()).isEqualTo(o.steps()).isEqualTo(2L * batches);
            assertThat(t.epochsDone()).isEqualTo(2);
            assertThat(t.steps()).isEqualTo(2L * batches);
            Trainer.Result r = t.fit(digits.train(), null, digits.test(), null);
            assertThat(r.history()).extracting(EpochMetrics::epoch).containsExactly(3);
            assertThat(r.steps()).isEqualTo(3L * batches).isEqualTo(o2.steps());
            assertThat(r.test().accuracy()).isGreaterThan(0.85);
        }
        assertThat(Checkpoint.load(dir).epoch()).isEqualTo(3);
    }

    @Test
    void refusalsNameTheMismatchAndChangeNothing(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ck"), mid = tmp.resolve("mid");
        Files.createDirectories(dir);
        Files.createDirectories(mid);
        Model m = model();
        try (SharedStateTrainer t = new SharedStateTrainer(m, optimizer(m), cfg(1, dir), 2)) {
            t.fit(digits.train(), null, null, null);
        }
        // another seed: refused before anything is loaded
        Model m2 = model();
        Optimizer o2 = optimizer(m2);
        try (SharedStateTrainer t = new SharedStateTrainer(m2, o2, cfg(3, null).toBuilder().seed(8).build(), 2)) {
            double[] before = t.parameters();
            assertThatThrownBy(() -> t.resume(dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot resume: the seed is 7 in the checkpoint, 8 now");
            TrainerTest.assertSameBits(t.parameters(), before);
            assertThat(o2.steps()).isZero();
            assertThat(t.epochsDone()).isZero();
        }
        // nothing left to train
        try (SharedStateTrainer t = new SharedStateTrainer(m2, o2, cfg(1, null), 2)) {
            assertThatThrownBy(() -> t.resume(dir)).hasMessageContaining("has finished 1 epoch");
        }
        // other training data, refused by fit before the first step
        try (SharedStateTrainer t = new SharedStateTrainer(m2, o2, cfg(3, null), 2)) {
            t.resume(dir);
            Dataset other = Datasets.load("digits", 0.2, 43).standardized().train();
            assertThatThrownBy(() -> t.fit(other, null, null, null)).hasMessageContaining("cannot resume: the training data");
            assertThat(t.epochsDone()).isEqualTo(1);
        }
        // a synchronous checkpoint written inside an epoch
        Model m3 = model();
        try (Trainer t = new Trainer(m3, optimizer(m3), cfg(1, mid).toBuilder().checkpointEverySteps(5).build())) {
            t.fit(digits.train(), null, null, new TrainingListener() {
                @Override public void batchDone(int epoch, int batch, int n, double loss) {
                    if (batch == 6) throw new IllegalStateException("stop after the step-5 checkpoint");
                }
            });
        } catch (IllegalStateException expected) {
            // the run stopped mid-epoch, its checkpoint is at batch 5
        }
        assertThat(Checkpoint.load(mid).batch()).isEqualTo(5);
        Model m4 = model();
        Optimizer o4 = optimizer(m4);
        try (SharedStateTrainer t = new SharedStateTrainer(m4, o4, cfg(2, null), 2)) {
            assertThatThrownBy(() -> t.resume(mid)).hasMessageContaining("inside epoch 1, after batch 5").hasMessageContaining("epoch end");
            assertThat(o4.steps()).isZero();
        }
    }
}
