package org.rmsprop4j.tribuo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import org.rmsprop4j.internal.SpecStrings;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropPreset;
import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Matrix;
import org.tribuo.math.la.MatrixTuple;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.la.VectorTuple;

/**
 * Any rmsprop4j optimizer as a Tribuo {@link StochasticGradientOptimiser}, usable by every Tribuo SGD
 * trainer ({@code LinearSGDTrainer}, {@code FMClassificationTrainer}, {@code MLPTrainer}-style trainers):
 *
 * <pre>{@code
 * var trainer = new LinearSGDTrainer(new LogMulticlass(), TribuoOptimiser.of(RmsPropPreset.GRAVES.config()), 5, 42);
 * }</pre>
 *
 * <p>On {@link #initialise(Parameters)} it lays the model's tensors out as one flat float64
 * {@link ParamLayout} (named {@code t0}, {@code t1}, ... in Tribuo's order, with their shapes) and builds
 * an {@link Optimizer}; each {@link #step} turns Tribuo's gradient (which Tribuo hands over negated: the
 * direction to add) into the loss gradient, runs one optimizer step and returns the change to add to the
 * parameters. Sparse gradients count as dense with zeros, so state decays on every step as in the
 * dense algorithm (Tribuo's own optimisers do the same through their shrinking tensors).
 *
 * <p>Tribuo's example weight scales the learning rate of that step (as Tribuo's {@code RMSProp},
 * {@code AdaGrad} and {@code Adam} do); weight 1 leaves it untouched. The parameters are read only when
 * the configuration uses them (weight decay); otherwise the step is computed from zero so the returned
 * update is exactly the optimizer's.
 *
 * <p>The configuration is held as strings ({@code kind} and {@code hyperParameters}, Tribuo
 * {@code @Config} fields), so it appears in Tribuo provenance and survives OLCUT configuration.
 * {@link #copy()} gives the same configuration with fresh state. Not carried: learning-rate schedules
 * other than the configuration's own {@code lrDecay}, clipping and the non-finite policy (the optimizer
 * propagates non-finite gradients, as Tribuo's optimisers do).
 */
public final class TribuoOptimiser implements StochasticGradientOptimiser {

    @Config(mandatory = true, description = "rmsprop4j optimizer family: rmsprop, sgd, adagrad, adadelta, adam or adamw.")
    private String kind;

    @Config(mandatory = true, description = "Every hyper-parameter of the family by its rmsprop4j name (for example decay, eps, epsPlacement).")
    private Map<String, String> hyperParameters;

    private OptimizerSpec spec;
    private boolean readsParams;

    // training state, from initialise to reset
    private Parameters parameters;
    private Optimizer optimizer;
    private int[][] shapes;
    private double[] p, g, before;

    /** For OLCUT. */
    private TribuoOptimiser() {}

    private TribuoOptimiser(OptimizerSpec spec) {
        this.kind = spec.kind();
        this.hyperParameters = SpecStrings.toStrings(spec);
        postConfig();
    }

    /**
     * An optimiser running {@code spec}.
     *
     * @param spec any rmsprop4j configuration, for example {@code RmsPropPreset.GRAVES.config()}
     * @return the optimiser, with no state until Tribuo initialises it
     */
    public static TribuoOptimiser of(OptimizerSpec spec) {
        if (spec == null) throw new IllegalArgumentException("spec must not be null");
        return new TribuoOptimiser(spec);
    }

    /**
     * An optimiser running {@code preset}'s configuration.
     *
     * @param preset the preset
     * @return the optimiser
     */
    public static TribuoOptimiser of(RmsPropPreset preset) { return of(preset.config()); }

    /** Rebuilds the configuration from the configured strings (called by OLCUT and the constructors). */
    @Override public void postConfig() {
        spec = SpecStrings.fromStrings(kind, hyperParameters == null ? Map.of() : hyperParameters);
        Object wd = spec.hyperParameters().get("weightDecay");
        readsParams = wd instanceof Number n && n.doubleValue() != 0;
    }

    /** {@return the configuration this optimiser runs} */
    public OptimizerSpec spec() { return spec; }

    /**
     * The rmsprop4j optimizer of the current training run, for its state ({@code stateDict()},
     * {@code StateIO.save}, {@code StateTensors.save}).
     *
     * @return the optimizer, or {@code null} before {@link #initialise} and after {@link #reset}
     */
    public Optimizer optimizer() { return optimizer; }

    @Override public void initialise(Parameters parameters) {
        if (parameters == null) throw new IllegalArgumentException("parameters must not be null");
        Tensor[] ts = parameters.get();
        ParamLayout.Builder b = ParamLayout.builder();
        shapes = new int[ts.length][];
        for (int i = 0; i < ts.length; i++) {
            shapes[i] = ts[i].getShape();
            if (!(ts[i] instanceof SGDVector) && !(ts[i] instanceof Matrix)) {
                throw new IllegalArgumentException("parameter tensor " + i + " must be a vector or a matrix, got " + ts[i].getClass().getName());
            }
            b.add("t" + i, shapes[i]);
        }
        ParamLayout layout = b.build();
        this.parameters = parameters;
        this.optimizer = Optimizer.builder(spec).layout(layout).dtype(Dtype.FLOAT64).build();
        p = new double[layout.size()];
        g = new double[layout.size()];
        before = readsParams ? new double[layout.size()] : null;
    }

    @Override public Tensor[] step(Tensor[] updates, double weight) {
        if (optimizer == null) throw new IllegalStateException("initialise(Parameters) must be called before step");
        if (updates == null || updates.length != shapes.length) {
            throw new IllegalArgumentException("updates must hold " + shapes.length + " tensors (one per parameter tensor), got "
                    + (updates == null ? null : updates.length));
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("weight must be a finite number >= 0, got " + weight);
        java.util.Arrays.fill(g, 0.0);
        int off = 0;
        for (int i = 0; i < updates.length; i++) {
            if (!java.util.Arrays.equals(updates[i].getShape(), shapes[i])) {
                throw new IllegalArgumentException("update " + i + " must have shape " + java.util.Arrays.toString(shapes[i]) + ", got "
                        + java.util.Arrays.toString(updates[i].getShape()));
            }
            scatter(updates[i], g, off, shapes[i], -1.0);
            off += size(shapes[i]);
        }
        if (readsParams) {
            java.util.Arrays.fill(p, 0.0);
            Tensor[] cur = parameters.get();
            int o = 0;
            for (int i = 0; i < cur.length; i++) {
                scatter(cur[i], p, o, shapes[i], 1.0);
                o += size(shapes[i]);
            }
            System.arraycopy(p, 0, before, 0, p.length);
        } else {
            java.util.Arrays.fill(p, 0.0);
        }
        List<String> groups = optimizer.groupNames();
        Map<String, Double> base = null;
        if (weight != 1.0) {
            base = new LinkedHashMap<>();
            for (String gr : groups) {
                base.put(gr, optimizer.learningRate(gr));
                optimizer.setLearningRate(gr, optimizer.learningRate(gr) * weight);
            }
        }
        try {
            optimizer.step(p, g);
        } finally {
            if (base != null) base.forEach(optimizer::setLearningRate);
        }
        if (readsParams) for (int i = 0; i < p.length; i++) p[i] -= before[i];
        Tensor[] out = new Tensor[shapes.length];
        off = 0;
        for (int i = 0; i < shapes.length; i++) {
            int[] s = shapes[i];
            if (s.length == 1) {
                out[i] = DenseVector.createDenseVector(java.util.Arrays.copyOfRange(p, off, off + s[0]));
            } else {
                DenseMatrix m = new DenseMatrix(s[0], s[1]);
                for (int r = 0; r < s[0]; r++) for (int c = 0; c < s[1]; c++) m.set(r, c, p[off + r * s[1] + c]);
                out[i] = m;
            }
            off += size(s);
        }
        return out;
    }

    /** Adds {@code sign · t} into {@code dst[off ...]} in row-major order (sparse tensors: active elements only). */
    private static void scatter(Tensor t, double[] dst, int off, int[] shape, double sign) {
        if (t instanceof SGDVector v) {
            for (VectorTuple e : v) dst[off + e.index] = sign * e.value;
        } else if (t instanceof Matrix m) {
            int cols = shape[1];
            for (MatrixTuple e : m) dst[off + e.i * cols + e.j] = sign * e.value;
        } else {
            throw new IllegalArgumentException("tensor must be a vector or a matrix, got " + t.getClass().getName());
        }
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    @Override public void reset() {
        parameters = null;
        optimizer = null;
        shapes = null;
        p = g = before = null;
    }

    /** The same configuration with fresh state. */
    @Override public TribuoOptimiser copy() { return new TribuoOptimiser(spec); }

    @Override public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
    }

    @Override public String toString() { return "TribuoOptimiser(" + kind + ", " + hyperParameters + ")"; }
}
