package org.rmsprop4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.train.Rng;

import scala.Tuple2;

class OptimizerUpdaterTest {
    static final RmsPropConfig SPEC = RmsPropPreset.PYTORCH.config().withLearningRate(0.1);

    @Test
    void eachCallIsOneStepOfTheOptimizerWithTheL2TermAdded() {
        OptimizerUpdater up = OptimizerUpdater.of(SPEC);
        Optimizer ref = Optimizer.builder(SPEC).layout(ParamLayout.single("weights", 3)).dtype(org.rmsprop4j.optim.Dtype.FLOAT64).build();
        double[] w = {0.5, -1, 2};
        Vector cur = Vectors.dense(w.clone());
        Tuple2<Vector, Object> first = up.compute(cur, Vectors.zeros(3), 0, 1, 0.1);
        assertThat(first._1().toArray()).containsExactly(w);
        assertThat((Double) first._2()).isEqualTo(0.5 * 0.1 * (0.25 + 1 + 4));
        assertThat(up.optimizer()).isNull(); // MLlib's first call takes no step
        for (int i = 1; i <= 5; i++) {
            double[] g = {Math.sin(i), Math.cos(i), 0.3 * i};
            Tuple2<Vector, Object> r = up.compute(cur, Vectors.dense(g.clone()), 1.0, i, 0.1);
            for (int j = 0; j < 3; j++) g[j] += 0.1 * w[j];
            ref.step(w, g);
            assertThat(r._1().toArray()).containsExactly(w);
            cur = r._1();
        }
        assertThat(up.optimizer().steps()).isEqualTo(5);
        assertThat(up.optimizer().state("weights", "square_avg")).containsExactly(ref.state("weights", "square_avg"));
    }

    @Test
    void badCallsAreRefusedAndACopyElsewhereDoesNotStepWithoutState() throws Exception {
        OptimizerUpdater up = OptimizerUpdater.of(Optimizer.builder(SPEC).layout(ParamLayout.single("weights", 2)).build());
        assertThatThrownBy(() -> up.compute(Vectors.zeros(3), Vectors.zeros(3), 1, 1, 0)).hasMessage("weights size must be 2 (the optimizer's layout), got 3");
        assertThatThrownBy(() -> up.compute(Vectors.zeros(2), Vectors.zeros(3), 1, 1, 0)).hasMessage("gradient size must be 2 (the weights' size), got 3");
        assertThatThrownBy(() -> up.compute(Vectors.zeros(2), Vectors.zeros(2), -1, 1, 0)).hasMessageStartingWith("stepSize must be >= 0");
        assertThatThrownBy(() -> up.compute(Vectors.zeros(2), Vectors.zeros(2), 1, 1, Double.NaN)).hasMessageStartingWith("regParam must be");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bos)) {
            o.writeObject(up);
        }
        OptimizerUpdater copy = (OptimizerUpdater) new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray())).readObject();
        assertThatThrownBy(() -> copy.compute(Vectors.zeros(2), Vectors.zeros(2), 1, 1, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("deserialized without its optimizer");
    }

    /** MLlib's own mini-batch SGD loop with RMSprop as its updater fits a logistic regression. */
    @Test
    void gradientDescentRunsWithRmsProp() {
        Rng rng = new Rng(4);
        List<Tuple2<Object, Vector>> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double a = 4 * rng.nextDouble() - 2, b = 4 * rng.nextDouble() - 2;
            double label = a + 2 * b - 0.5 > 0 ? 1.0 : 0.0;
            rows.add(new Tuple2<>(label, Vectors.dense(a, b, 1.0)));
        }
        JavaRDD<Tuple2<Object, Vector>> data = LocalSpark.get().parallelize(rows, 2);
        OptimizerUpdater up = OptimizerUpdater.of(SPEC);
        Tuple2<Vector, double[]> r = GradientDescent.runMiniBatchSGD(data.rdd(), new LogisticGradient(), up, 1.0, 25, 0.0, 1.0,
                Vectors.zeros(3));
        double[] loss = r._2();
        assertThat(up.optimizer().steps()).isEqualTo(25);
        assertThat(loss[loss.length - 1]).isLessThan(0.3 * loss[0]);
        double[] w = r._1().toArray();
        int correct = 0;
        for (Tuple2<Object, Vector> t : rows) {
            double[] x = t._2().toArray();
            double z = w[0] * x[0] + w[1] * x[1] + w[2] * x[2];
            if ((z > 0) == ((Double) t._1() > 0.5)) correct++;
        }
        assertThat(correct).isGreaterThan(950);
    }
}
