package org.rmsprop4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

class SparkTrainingTest {
    static final JavaSparkContext SC = LocalSpark.get();

    static Trainer trainer(Model m, Dtype dt, TrainConfig cfg) {
        return new Trainer(m, Optimizer.builder(RmsPropPreset.PYTORCH.config().withLearningRate(0.003)).layout(m.layout()).dtype(dt).build(), cfg);
    }

    /** Final parameters of training on one machine with {@code threads} threads. */
    static double[] local(Dataset.Split s, String spec, Dtype dt, TrainConfig cfg) throws Exception {
        Model m = Models.parse(spec, s.train().features(), s.train().classes(), 1e-4);
        try (Trainer t = trainer(m, dt, cfg)) {
            t.fit(s.train(), null, s.test(), null);
            return t.parameters();
        }
    }

    /** Final parameters of training with the gradients on Spark. */
    static double[] spark(SparkRows train, Dataset test, String spec, Dtype dt, TrainConfig cfg, int partitions) throws Exception {
        Model m = Models.parse(spec, train.features(), train.classes(), 1e-4);
        try (Trainer t = trainer(m, dt, cfg);
             SparkGradients g = new SparkGradients(train, m, cfg.batchSize(), cfg.chunkSize(), partitions, 1e-4)) {
            t.fit(train.size(), g, null, test, null);
            assertThat(g.jobs()).isEqualTo(t.steps());
            return t.parameters();
        }
    }

    @ParameterizedTest(name = "{0} {1}, {2} data partitions, {3} epoch partitions, batch {4}, chunk {5}")
    @CsvSource({"softmax, float32, 1, 2, 64, 16", "softmax, float64, 3, 5, 50, 7", "mlp:32, float32, 2, 3, 64, 16", "mlp:16:tanh, float64, 4, 1, 128, 40"})
    void digitsBitIdenticalToOneMachine(String spec, String dtype, int dataParts, int epochParts, int batch, int chunk) throws Exception {
        Dataset.Split s = Datasets.load("digits", 0.2, 7).standardized();
        TrainConfig cfg = TrainConfig.builder().epochs(2).batchSize(batch).chunkSize(chunk).seed(7).threads(2).build();
        Dtype dt = Dtype.parse(dtype);
        double[] expected = local(s, spec, dt, cfg);
        SparkRows rows = SparkRows.of(SC, s.train(), dataParts);
        double[] got = spark(rows, s.test(), spec, dt, cfg, epochParts);
        rows.unpersist();
        assertThat(got).containsExactly(expected);
    }

    @Test
    void splitAndScaleOnTheClusterGiveTheDriversRows() {
        Dataset all = new Dataset("d", 3, Dataset.numberedClasses(3), floats(3 * 101), labels(101, 3));
        Dataset.Split s = all.split(0.25, 11);
        SparkRows rows = SparkRows.of(SC, all, 3);
        SparkRows.Split ss = rows.split(0.25, 11);
        assertThat(ss.train().size()).isEqualTo(s.train().size());
        Dataset tr = ss.train().scaled(0.5).collect("t");
        assertThat(tr.x()).containsExactly(s.train().scaled(0.5).x());
        assertThat(tr.y()).containsExactly(s.train().y());
        Dataset te = ss.test().collect("t");
        assertThat(te.x()).containsExactly(s.test().x());
        double[][] st = ss.train().standardization();
        assertThat(ss.test().standardizedBy(st[0], st[1]).collect("t").x())
                .containsExactly(org.rmsprop4j.train.data.Standardizer.fit(s.train()).apply(s.test()).x());
    }

    @Test
    void resumedAfterAStopGivesTheUninterruptedBits(@TempDir Path dir) throws Exception {
        Dataset.Split s = Datasets.load("digits", 0.2, 3).standardized();
        String spec = "softmax";
        TrainConfig full = TrainConfig.builder().epochs(2).batchSize(100).chunkSize(25).seed(3).build();
        double[] expected = local(s, spec, Dtype.FLOAT32, full);
        SparkRows rows = SparkRows.of(SC, s.train(), 2);
        Model m = Models.parse(spec, rows.features(), rows.classes(), 1e-4);
        TrainConfig first = full.toBuilder().epochs(1).checkpointDir(dir).checkpointEverySteps(5).build();
        try (Trainer t = trainer(m, Dtype.FLOAT32, first); SparkGradients g = new SparkGradients(rows, m, 100, 25, 2, 1e-4)) {
            t.fit(rows.size(), g, null, null, null);
        }
        Path copy = java.nio.file.Files.createDirectories(dir.resolve("copy")).resolve(org.rmsprop4j.train.Checkpoint.FILE_NAME);
        java.nio.file.Files.copy(dir.resolve(org.rmsprop4j.train.Checkpoint.FILE_NAME), copy);
        TrainConfig second = full.toBuilder().checkpointDir(dir).build();
        try (Trainer t = trainer(m, Dtype.FLOAT32, second); SparkGradients g = new SparkGradients(rows, m, 100, 25, 3, 1e-4)) {
            t.resume(dir);
            assertThat(t.epochsDone()).isEqualTo(1);
            t.fit(rows.size(), g, null, null, null);
            assertThat(t.parameters()).containsExactly(expected);
        }
        // a checkpoint written on Spark resumes on one machine, to the same bits
        try (Trainer t = trainer(m, Dtype.FLOAT32, full)) {
            t.resume(copy);
            t.fit(s.train(), null, null, null);
            assertThat(t.parameters()).containsExactly(expected);
        }
        rows.unpersist();
    }

    @Test
    void refusesDataThatDoesNotFitTheModel() throws Exception {
        Dataset.Split s = Datasets.load("iris", 0.2, 1);
        SparkRows rows = SparkRows.of(SC, s.train(), 2);
        Model m = Models.parse("softmax", 5, 3, 0);
        assertThatThrownBy(() -> new SparkGradients(rows, m, 16, 4, 2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("features of").hasMessageContaining("4").hasMessageContaining("5 (the model's inputs)");
        assertThatThrownBy(() -> SparkRows.of(SC, s.train(), 0)).hasMessageContaining("partitions");
        rows.unpersist();
    }

    static float[] floats(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) Math.sin(i * 0.37) * 3 + i % 5;
        return x;
    }

    static int[] labels(int n, int k) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = (i * 7) % k;
        return y;
    }
}
