package org.rmsprop4j.train.seed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;
import org.rmsprop4j.train.model.SigmoidNeuron;

/**
 * The seed article's comparison, computed: one {@link SigmoidNeuron} on X = [0.5, 2.5],
 * Y = [0.2, 0.9], from w = b = −2, full batch, float64, analytic gradients, one optimizer step per
 * epoch, with the settings of the course the article comes from.
 *
 * <table>
 * <caption>Runs</caption>
 * <tr><th>name</th><th>spec</th></tr>
 * <tr><td>{@code gd}</td><td>{@link SgdConfig} η = 1.0</td></tr>
 * <tr><td>{@code momentum}</td><td>{@link SgdConfig} η = 1.0, momentum 0.9</td></tr>
 * <tr><td>{@code nesterov}</td><td>{@link SgdConfig} η = 1.0, momentum 0.9, Nesterov</td></tr>
 * <tr><td>{@code adagrad}</td><td>{@link AdagradConfig} η = 0.1, ε = 1e-8</td></tr>
 * <tr><td>{@code rmsprop-seed}</td><td>{@link RmsPropPreset#SEED}: η = 0.1, β = 0.9, ε = 1e-9 inside the root</td></tr>
 * <tr><td>{@code rmsprop-pytorch}</td><td>{@link RmsPropPreset#PYTORCH} with η = 0.1, decay 0.9 (ε = 1e-8 outside)</td></tr>
 * <tr><td>{@code adam}</td><td>{@link AdamConfig} η = 0.1 (β = 0.9, 0.999, ε = 1e-8)</td></tr>
 * </table>
 *
 * The article's listing updates outside the epoch loop and mixes {@code vw}/{@code v_w}; this does
 * what it means. At a fixed η = 0.1 both RMSprop runs come close to the optimum (about epoch 90) and
 * then settle into a period-2 oscillation (loss about 1.65e-4 / 2.18e-4): the normalised step does
 * not shrink with the gradient. The result keeps every epoch's loss and (w, b), so that figures can
 * be drawn from it without running anything again.
 */
public final class SeedComparison {
    /** Epochs each run takes. */
    public static final int EPOCHS = 1000;
    /** Epochs after which the table reports the loss. */
    public static final List<Integer> REPORTED_EPOCHS = List.of(1, 10, 50, 100, 1000);
    /** Start of every run. */
    public static final double START_W = -2.0, START_B = -2.0;

    private SeedComparison() {}

    /** The runs' names and specs, in table order. */
    public static Map<String, OptimizerSpec> specs() {
        Map<String, OptimizerSpec> m = new LinkedHashMap<>();
        m.put("gd", SgdConfig.builder().learningRate(1.0).build());
        m.put("momentum", SgdConfig.builder().learningRate(1.0).momentum(0.9).build());
        m.put("nesterov", SgdConfig.builder().learningRate(1.0).momentum(0.9).nesterov(true).build());
        m.put("adagrad", AdagradConfig.builder().learningRate(0.1).eps(1e-8).build());
        m.put("rmsprop-seed", RmsPropPreset.SEED.config());
        m.put("rmsprop-pytorch", RmsPropPreset.PYTORCH.config().toBuilder().learningRate(0.1).decay(0.9).build());
        m.put("adam", AdamConfig.builder().learningRate(0.1).build());
        return Collections.unmodifiableMap(m);
    }

    /**
     * One run's trajectory: {@code loss[k]}, {@code w[k]}, {@code b[k]} after {@code k} updates
     * ({@code k = 0} is the start), for {@code k = 0..epochs}.
     */
    public record Run(String name, OptimizerSpec spec, double[] loss, double[] w, double[] b) {
        /** The loss after {@code k} full-batch updates. */
        public double lossAfter(int k) {
            if (k < 0 || k >= loss.length) throw Checks.invalid("epoch", k, "in 0.." + (loss.length - 1));
            return loss[k];
        }

        /** Number of updates made. */
        public int epochs() { return loss.length - 1; }

        /** Final w. */
        public double finalW() { return w[w.length - 1]; }

        /** Final b. */
        public double finalB() { return b[b.length - 1]; }

        /** Hyper-parameters of the spec, with its family under {@code "optimizer"}. */
        public Map<String, Object> settings() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("optimizer", spec.kind());
            m.putAll(spec.hyperParameters());
            return m;
        }
    }

    /** Every run plus the exact optimum. */
    public record Result(List<Run> runs, double optimumW, double optimumB) {
        public Result {
            runs = List.copyOf(runs);
        }

        /** The run named {@code name}. */
        public Run run(String name) {
            for (Run r : runs) if (r.name().equals(name)) return r;
            throw Checks.invalid("run", "'" + name + "'", "one of " + runs.stream().map(Run::name).toList());
        }
    }

    /** All runs of {@link #specs()} for {@link #EPOCHS} epochs. */
    public static Result compute() { return compute(EPOCHS); }

    /** All runs of {@link #specs()} for {@code epochs} epochs. */
    public static Result compute(int epochs) {
        Checks.atLeast("epochs", epochs, 1);
        SigmoidNeuron neuron = SigmoidNeuron.article();
        List<Run> runs = new ArrayList<>();
        for (var e : specs().entrySet()) runs.add(run(e.getKey(), e.getValue(), neuron, epochs));
        double[] opt = neuron.exactOptimum();
        return new Result(runs, opt[0], opt[1]);
    }

    /** One run of {@code spec} on {@code neuron} from (−2, −2), float64. */
    public static Run run(String name, OptimizerSpec spec, SigmoidNeuron neuron, int epochs) {
        Optimizer opt = Optimizer.builder(spec).layout(neuron.layout()).dtype(Dtype.FLOAT64).build();
        double[] p = {START_W, START_B};
        double[] g = new double[2];
        double[] loss = new double[epochs + 1], w = new double[epochs + 1], b = new double[epochs + 1];
        for (int k = 0; k <= epochs; k++) {
            loss[k] = neuron.lossAndGradient(p, g);
            w[k] = p[0];
            b[k] = p[1];
            if (k < epochs) opt.step(p, g);
        }
        return new Run(name, spec, loss, w, b);
    }
}
