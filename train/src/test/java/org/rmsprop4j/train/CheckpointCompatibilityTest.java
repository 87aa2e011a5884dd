package org.rmsprop4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * A checkpoint written by this release (format version 1) is committed under golden/ and must stay
 * loadable by later ones (Tribuo's golden-file rule). It was written by a run of iris, mlp:3:tanh,
 * PyTorch RMSprop lr 0.01 momentum 0.9, batch 32, seed 42, float32, checkpoint every 5 steps,
 * stopped during epoch 2 (so the last checkpoint is step 5 = epoch 2, batch 2 not yet done).
 */
class CheckpointCompatibilityTest {

    /**
     * The golden file was written when float32 runs computed the MLP in float64; since the MLP has a
     * float32 path, only a model without one (this wrapper hides it) repeats that arithmetic. What
     * is checked is unchanged: the file loads, and resuming it gives the bits of a straight run.
     */
    static Trainer trainer(Dataset.Split sp) {
        Model m = new TrainerTest.DelegatingModel(Models.parse("mlp:3:tanh", 4, 3, 0)) {};
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.01).momentum(0.9).build())
                .layout(m.layout()).build();
        return new Trainer(m, opt, TrainConfig.builder().epochs(3).batchSize(32).seed(42).build());
    }

    @Test
    void versionOneCheckpointLoadsAndResumes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("v1.bin");
        try (InputStream in = getClass().getResourceAsStream("/golden/checkpoint-v1-iris-mlp3tanh.bin")) {
            Files.copy(in, f);
        }
        Checkpoint c = Checkpoint.load(f);
        assertThat(c.modelSpec()).isEqualTo("mlp:3:tanh");
        assertThat(c.dtype()).isEqualTo(Dtype.FLOAT32);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.batchSize()).isEqualTo(32);
        assertThat(c.trainRows()).isEqualTo(120);
        assertThat(c.steps()).isEqualTo(5);
        assertThat(c.epoch()).isEqualTo(1);
        assertThat(c.batch()).isEqualTo(1);
        assertThat(c.params()).hasSize(4 * 3 + 3 + 3 * 3 + 3);
        assertThat(c.optimizerState().kind()).isEqualTo("rmsprop");
        assertThat(c.settings()).as("version 1 records no settings").isEmpty();
        Checkpoint again = Checkpoint.fromBytes(new Checkpoint(c.modelSpec(), c.dtype(), c.seed(), c.batchSize(), c.chunkSize(), c.trainRows(),
                c.epoch(), c.batch(), c.steps(), c.rngState(), c.epochLossSum(), c.epochRows(), c.bestLoss(), c.badEpochs(),
                java.util.Map.of("schedule", "cosine(10, 0.0)"), c.params(), c.optimizerState()).toBytes(), "v2");
        assertThat(again.settings()).containsExactly(java.util.Map.entry("schedule", "cosine(10, 0.0)"));
        assertThat(again.optimizerState()).isEqualTo(c.optimizerState());

        Dataset.Split sp = Datasets.load("iris", 0.2, 42).standardized();
        double[] straight;
        try (Trainer t = trainer(sp)) {
            t.fit(sp.train(), null, null, null);
            straight = t.parameters();
        }
        try (Trainer t = trainer(sp)) {
            t.resume(f);
            Trainer.Result r = t.fit(sp.train(), null, null, null);
            assertThat(r.history()).extracting(EpochMetrics::epoch).containsExactly(2, 3);
            double[] resumed = t.parameters();
            for (int i = 0; i < straight.length; i++) {
                assertThat(Double.doubleToRawLongBits(resumed[i]))
                        .as("parameter %d: a run resumed from the committed v1 checkpoint must match a straight run (if the "
                                + "arithmetic changed on purpose, regenerate the golden file and say so)", i)
                        .isEqualTo(Double.doubleToRawLongBits(straight[i]));
            }
        }
    }
}
