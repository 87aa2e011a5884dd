package org.rmsprop4j.spark;

import java.util.function.IntFunction;

import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Updater;
import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.ParamLayout;

import scala.Tuple2;

/**
 * An MLlib {@link Updater} that takes each step with one of our optimizers (RMSprop in any framework's flavour, or
 * any other spec, schedule and clipping), so that {@code GradientDescent.runMiniBatchSGD}, and the MLlib code built on
 * it, can train with RMSprop:
 *
 * <pre>{@code
 * OptimizerUpdater up = OptimizerUpdater.of(RmsPropPreset.PYTORCH.config().withLearningRate(0.01));
 * Tuple2<Vector, double[]> r = GradientDescent.runMiniBatchSGD(data.rdd(), new LogisticGradient(), up,
 *         1.0, 200, 0.0, 0.1, Vectors.zeros(d));
 * }</pre>
 *
 * <h2>What an Updater can and cannot express</h2>
 * <ul>
 * <li><b>State lives in this object, on the driver.</b> {@code runMiniBatchSGD} calls {@code compute} on the driver
 * once per iteration, so the optimizer's per-weight state (mean square, momentum, step count) persists between calls
 * here. The Updater API itself has no state: the object is {@code Serializable} only because MLlib requires it; a
 * copy deserialized elsewhere has no optimizer and refuses to step. Save the state with {@link #optimizer()} and
 * {@code StateIO}.</li>
 * <li><b>{@code stepSize} and {@code iter} are not used</b> to scale the step: the optimizer's own learning rate and
 * schedule are (MLlib's updaters use {@code stepSize / sqrt(iter)}). Pass {@code stepSize = 1}. One exception:
 * {@code runMiniBatchSGD} first calls {@code compute(w, 0, stepSize = 0, 1, regParam)} only to learn the
 * regularisation value; a call with {@code stepSize == 0} takes no step and changes no state.</li>
 * <li><b>{@code regParam}</b> adds {@code regParam · w} to the gradient before the step (coupled L2, as PyTorch's
 * {@code weight_decay} and MLlib's {@code SquaredL2Updater}) and reports {@code regParam/2 · ‖w‖²} of the new weights.
 * It applies to every weight, the intercept too, as in MLlib.</li>
 * <li><b>One tensor, no names.</b> MLlib hands over one flat vector, so there are no parameter groups and a
 * layout of one tensor {@code "weights"}; per-tensor clipping is per-vector clipping.</li>
 * <li><b>Not bit-identical across clusters.</b> {@code runMiniBatchSGD} samples the mini-batch with
 * {@code RDD.sample} and sums the gradient with {@code treeAggregate}, whose order depends on the partitions. For
 * results independent of the cluster use {@link SparkGradients} with {@code org.rmsprop4j.train.Trainer}.</li>
 * </ul>
 */
public final class OptimizerUpdater extends Updater {
    private static final long serialVersionUID = 1L;

    private transient IntFunction<Optimizer> factory;
    private transient Optimizer optimizer;

    private OptimizerUpdater(IntFunction<Optimizer> factory, Optimizer optimizer) {
        this.factory = factory;
        this.optimizer = optimizer;
    }

    /** An updater with {@code spec} in float64, built for the weights' length at the first call. */
    public static OptimizerUpdater of(OptimizerSpec spec) {
        Checks.notNull("spec", spec);
        return new OptimizerUpdater(n -> Optimizer.builder(spec).layout(ParamLayout.single("weights", n)).dtype(Dtype.FLOAT64).build(), null);
    }

    /** An updater around a built optimizer (any dtype, schedule, clipping); its layout's size must be the weights' length. */
    public static OptimizerUpdater of(Optimizer optimizer) {
        return new OptimizerUpdater(null, Checks.notNull("optimizer", optimizer));
    }

    /** The optimizer (its state is the run's), or {@code null} before the first call of an updater made from a spec. */
    public Optimizer optimizer() { return optimizer; }

    @Override public Tuple2<Vector, Object> compute(Vector weightsOld, Vector gradient, double stepSize, int iter, double regParam) {
        int n = weightsOld.size();
        if (gradient.size() != n) throw Checks.invalid("gradient size", gradient.size(), n + " (the weights' size)");
        if (!(stepSize >= 0)) throw Checks.invalid("stepSize", stepSize, ">= 0 (1 to step; the optimizer's learning rate sets the step)");
        if (!(regParam >= 0) || Double.isInfinite(regParam)) throw Checks.invalid("regParam", regParam, "a finite number >= 0");
        double[] w = weightsOld.toArray().clone();
        if (stepSize == 0) return new Tuple2<>(weightsOld, regValue(w, regParam)); // MLlib's first call: no step
        if (optimizer == null) {
            if (factory == null) {
                throw new IllegalStateException("this OptimizerUpdater was deserialized without its optimizer: its state lives on the "
                        + "driver, where GradientDescent calls it");
            }
            optimizer = factory.apply(n);
        }
        if (optimizer.layout().size() != n) throw Checks.invalid("weights size", n, optimizer.layout().size() + " (the optimizer's layout)");
        double[] g = gradient.toArray().clone();
        if (regParam != 0) for (int i = 0; i < n; i++) g[i] += regParam * w[i];
        if (optimizer.dtype() == Dtype.FLOAT32) {
            float[] p = new float[n], q = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = (float) w[i];
                q[i] = (float) g[i];
            }
            optimizer.step(p, q);
            for (int i = 0; i < n; i++) w[i] = p[i];
        } else {
            optimizer.step(w, g);
        }
        return new Tuple2<>(Vectors.dense(w), regValue(w, regParam));
    }

    private static Object regValue(double[] w, double regParam) {
        if (regParam == 0) return 0.0;
        double s = 0;
        for (double v : w) s += v * v;
        return 0.5 * regParam * s;
    }
}
