package org.rmsprop4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.train.Checkpoint;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.data.CsvLoader;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/** The spark-submit main class: read, split and standardise on the cluster, train, checkpoint; the bits of one machine. */
class SparkTrainTest {
    static { LocalSpark.get(); } // SparkTrain uses the active context

    @Test
    void csvOnTheClusterEndToEndGivesTheParametersOfOneMachine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("g.csv");
        Generated.writeCsv(csv, 3000, 6, 3, 2);
        Path ck = dir.resolve("ck");
        int code = SparkTrain.run(new String[] {csv.toString(), "--model", "mlp:8", "--lr", "0.005", "--epochs", "2", "--batch-size", "100",
                "--chunk-size", "32", "--seed", "4", "--checkpoint-dir", ck.toString(), "--partitions", "3"});
        assertThat(code).isZero();

        Dataset.Split s = CsvLoader.load(csv).split(0.2, 4).standardized();
        Model m = Models.parse("mlp:8", 6, 3, 0);
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.005)).layout(m.layout()).dtype(Dtype.FLOAT32).build();
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(2).batchSize(100).chunkSize(32).seed(4).build())) {
            t.fit(s.train(), null, null, null);
            assertThat(Checkpoint.load(ck.resolve(Checkpoint.FILE_NAME)).params()).containsExactly(t.parameters());
        }
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> SparkTrain.run(new String[] {"x.csv", "--epochs", "two"})).hasMessage("--epochs must be a whole number, got 'two'");
        assertThatThrownBy(() -> SparkTrain.run(new String[] {"x.csv", "--bogus", "1"})).hasMessageStartingWith("unknown option --bogus");
        assertThatThrownBy(() -> SparkTrain.run(new String[] {"--epochs", "1"})).hasMessageStartingWith("a data set path is required");
    }
}
