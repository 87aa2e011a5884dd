package org.rmsprop4j.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rmsprop4j.internal.SpecStrings;
import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.optimisers.RMSProp;
import org.tribuo.provenance.SimpleDataSourceProvenance;

class TribuoOptimiserTest {

    static MutableDataset<Label> train, test, digitsTrain, digitsTest;

    /** The wine data set shipped by the train module (178 rows, 13 features, 3 classes), standardised, 25% held out. */
    @BeforeAll
    static void data() throws IOException {
        Dataset.Split s = Datasets.load("wine", 0.25, 7).standardized();
        train = tribuo(s.train());
        test = tribuo(s.test());
        Dataset.Split d = Datasets.load("digits", 0.25, 7).standardized();
        digitsTrain = tribuo(d.train());
        digitsTest = tribuo(d.test());
    }

    static MutableDataset<Label> tribuo(Dataset d) {
        LabelFactory f = new LabelFactory();
        MutableDataset<Label> out = new MutableDataset<>(new SimpleDataSourceProvenance(d.name(), f), f);
        String[] names = new String[d.features()];
        for (int j = 0; j < names.length; j++) names[j] = String.format(Locale.ROOT, "f%02d", j);
        float[] x = d.x();
        for (int i = 0; i < d.size(); i++) {
            double[] v = new double[d.features()];
            for (int j = 0; j < v.length; j++) v[j] = x[i * d.features() + j];
            out.add(new ArrayExample<>(new Label(d.classNames().get(d.y()[i])), names, v));
        }
        return out;
    }

    static LinearSGDModel fit(StochasticGradientOptimiser opt, int epochs, int minibatch) {
        return new LinearSGDTrainer(new LogMulticlass(), opt, epochs, -1, minibatch, 42).train(train);
    }

    static double accuracy(org.tribuo.Model<Label> m) { return new LabelEvaluator().evaluate(m, test).accuracy(); }

    /**
     * With the TRIBUO preset, a real training run agrees with Tribuo's own RMSProp: the same weights within a
     * relative 1e-12 after 20 epochs of single-example steps (3,340 steps) and after minibatches of 8.
     */
    @Test
    void tribuoPresetMatchesTribuosOwnRmsProp() {
        for (int minibatch : new int[] {1, 8}) {
            for (double lrDecay : new double[] {0.0, 0.01}) {
                RmsPropConfig ours = RmsPropPreset.TRIBUO.config().toBuilder().learningRate(0.01).lrDecay(lrDecay).build();
                DenseMatrix a = fit(TribuoOptimiser.of(ours), 20, minibatch).getWeightsCopy();
                DenseMatrix b = fit(new RMSProp(0.01, 0.9, 1e-8, lrDecay), 20, minibatch).getWeightsCopy();
                double worstRel = 0, worstAbs = 0, scale = 0;
                for (int i = 0; i < a.getDimension1Size(); i++) {
                    for (int j = 0; j < a.getDimension2Size(); j++) {
                        double d = Math.abs(a.get(i, j) - b.get(i, j));
                        worstAbs = Math.max(worstAbs, d);
                        worstRel = Math.max(worstRel, d / Math.max(Math.abs(b.get(i, j)), 1e-300));
                        scale = Math.max(scale, Math.abs(b.get(i, j)));
                    }
                }
                System.out.printf(Locale.ROOT, "TRIBUO preset vs Tribuo RMSProp, minibatch %d, lrDecay %s: worst abs %.3e, worst rel %.3e (largest weight %.3f)%n",
                        minibatch, lrDecay, worstAbs, worstRel, scale);
                assertThat(scale).isGreaterThan(0.1);       // the run moved the weights
                assertThat(worstRel).isLessThan(1e-12);
            }
        }
    }

    /** The digits data set (1,797 8x8 images, 10 classes; 1,347 train, 450 test), 5 epochs of a linear classifier. */
    @ParameterizedTest @EnumSource(value = RmsPropPreset.class, names = {"TRIBUO", "PYTORCH", "KERAS", "GRAVES", "DL4J", "TF1", "OPTAX", "CAFFE"})
    void trainsATribuoClassifierWithPresets(RmsPropPreset preset) {
        // one learning rate for all, so the presets differ only in their knobs
        OptimizerSpec spec = preset.config().withLearningRate(0.01);
        LinearSGDModel m = new LinearSGDTrainer(new LogMulticlass(), TribuoOptimiser.of(spec), 5, -1, 1, 42).train(digitsTrain);
        double acc = new LabelEvaluator().evaluate(m, digitsTest).accuracy();
        System.out.printf(Locale.ROOT, "digits, LinearSGDTrainer 5 epochs, %s (lr 0.01): test accuracy %.4f%n", preset, acc);
        assertThat(acc).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void everyTribuoSgdTrainerShapeWorks() {
        // factorization machine: a bias vector, a weight matrix and factor matrices, trained in minibatches
        var fm = new FMClassificationTrainer(new LogMulticlass(), TribuoOptimiser.of(RmsPropPreset.KERAS.config().withLearningRate(0.01)),
                10, -1, 4, 42, 3, 0.1);
        double acc = accuracy(fm.train(train));
        System.out.printf(Locale.ROOT, "wine, FMClassificationTrainer 10 epochs, KERAS (lr 0.01): test accuracy %.4f%n", acc);
        assertThat(acc).isGreaterThanOrEqualTo(0.85);
        // other families and weight decay (the path that reads the parameters)
        for (OptimizerSpec s : new OptimizerSpec[] {
                SgdConfig.builder().learningRate(0.05).momentum(0.9).nesterov(true).build(),
                AdamConfig.builder().learningRate(0.01).weightDecay(0.01).decoupled(true).build(),
                AdagradConfig.builder().learningRate(0.1).build(),
                RmsPropConfig.builder().learningRate(0.01).weightDecay(1e-3).build()}) {
            double a = accuracy(fit(TribuoOptimiser.of(s), 10, 1));
            System.out.printf(Locale.ROOT, "wine, LinearSGDTrainer 10 epochs, %s: test accuracy %.4f%n", s.kind(), a);
            assertThat(a).as(s.toString()).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void weightDecayShrinksTheWeights() {
        DenseMatrix plain = fit(TribuoOptimiser.of(RmsPropConfig.builder().learningRate(0.01).build()), 10, 1).getWeightsCopy();
        DenseMatrix decayed = fit(TribuoOptimiser.of(RmsPropConfig.builder().learningRate(0.01).weightDecay(0.5).build()), 10, 1).getWeightsCopy();
        assertThat(decayed.twoNorm()).isLessThan(0.8 * plain.twoNorm());
    }

    @Test
    void provenanceRecordsTheWholeConfigurationAndRebuildsIt() {
        TribuoOptimiser opt = TribuoOptimiser.of(RmsPropPreset.GRAVES.config());
        LinearSGDModel model = fit(opt, 1, 1);
        Map<String, Provenance> trainer = new LinkedHashMap<>();
        model.getProvenance().getTrainerProvenance().forEach(p -> trainer.put(p.getA(), p.getB()));
        String described = trainer.get("optimiser").toString();
        assertThat(described).contains(TribuoOptimiser.class.getName()).contains("kind=rmsprop").contains("centered=true")
                .contains("momentumStyle=LR_INSIDE").contains("eps=1.0E-4");

        // the provenance rebuilds a trainer whose optimiser runs the same configuration
        var configs = ProvenanceUtil.extractConfiguration(model.getProvenance().getTrainerProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(configs);
        @SuppressWarnings("unchecked")
        Trainer<Label> rebuilt = (Trainer<Label>) cm.lookup(configs.get(0).getName());
        assertThat(rebuilt.getProvenance()).isEqualTo(model.getProvenance().getTrainerProvenance());
        assertThat(((LinearSGDModel) rebuilt.train(train)).getWeightsCopy().toArray()).isDeepEqualTo(fit(opt, 1, 1).getWeightsCopy().toArray());
    }

    @Test
    void copyHasTheSameConfigurationAndFreshState() {
        TribuoOptimiser opt = TribuoOptimiser.of(RmsPropPreset.PYTORCH.config());
        var params = new org.tribuo.math.LinearParameters(3, 2);
        opt.initialise(params);
        opt.step(new org.tribuo.math.la.Tensor[] {DenseMatrix.createDenseMatrix(new double[][] {{1, 2, 3}, {4, 5, 6}})}, 1.0);
        assertThat(opt.optimizer().steps()).isEqualTo(1);
        TribuoOptimiser c = opt.copy();
        assertThat(c.spec()).isEqualTo(opt.spec());
        assertThat(c.optimizer()).isNull();
        assertThat(c.getProvenance()).isEqualTo(opt.getProvenance());
        assertThatThrownBy(() -> c.step(new org.tribuo.math.la.Tensor[0], 1.0)).hasMessageContaining("initialise(Parameters) must be called");
        opt.reset();
        assertThat(opt.optimizer()).isNull();
    }

    /** Tribuo's example weight scales that step's learning rate, then the base rate is back. */
    @Test
    void exampleWeightScalesTheStep() {
        double[][] grad = {{1, -2, 3}, {0.5, 0, -6}};
        double[][] full = oneStep(1.0, grad), half = oneStep(0.5, grad);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) assertThat(half[i][j]).isCloseTo(full[i][j] / 2, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(full[0][0]).isNegative().isCloseTo(-0.01 / Math.sqrt(0.01), org.assertj.core.data.Offset.offset(1e-6));   // Tribuo hands over −∇: ν = 0.01·g², step = η·g/√ν
    }

    static double[][] oneStep(double weight, double[][] grad) {
        TribuoOptimiser opt = TribuoOptimiser.of(RmsPropPreset.PYTORCH);
        opt.initialise(new org.tribuo.math.LinearParameters(3, 2));
        double[][] negated = new double[2][3];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) negated[i][j] = -grad[i][j];
        DenseMatrix u = (DenseMatrix) opt.step(new org.tribuo.math.la.Tensor[] {DenseMatrix.createDenseMatrix(negated)}, weight)[0];
        assertThat(opt.optimizer().learningRate("default")).isEqualTo(0.01);
        return u.toArray();
    }

    @Test
    void badInputIsRefusedWithTheArgument() {
        TribuoOptimiser opt = TribuoOptimiser.of(RmsPropPreset.PYTORCH);
        opt.initialise(new org.tribuo.math.LinearParameters(3, 2));
        assertThatThrownBy(() -> opt.step(new org.tribuo.math.la.Tensor[] {new DenseMatrix(3, 3)}, 1.0))
                .hasMessageContaining("update 0 must have shape [2, 3], got [3, 3]");
        assertThatThrownBy(() -> opt.step(new org.tribuo.math.la.Tensor[] {new DenseMatrix(2, 3)}, -1.0))
                .hasMessageContaining("weight must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> SpecStrings.fromStrings("lion", Map.of())).hasMessageContaining("optimizer kind must be one of");
        Map<String, String> h = new LinkedHashMap<>(SpecStrings.toStrings(RmsPropPreset.PYTORCH.config()));
        h.put("decay", "1.5");
        assertThatThrownBy(() -> SpecStrings.fromStrings("rmsprop", h)).hasMessageContaining("decay must be in [0.0, 1.0), got 1.5");
        h.put("decay", "soon");
        assertThatThrownBy(() -> SpecStrings.fromStrings("rmsprop", h)).hasMessageContaining("'decay' must be a double, got 'soon'");
    }

    @Test
    void everyConfigurationSurvivesItsStringForm() {
        for (RmsPropPreset p : RmsPropPreset.values()) assertThat(SpecStrings.fromStrings("rmsprop", SpecStrings.toStrings(p.config()))).isEqualTo(p.config());
        for (OptimizerSpec s : new OptimizerSpec[] {SgdConfig.builder().momentum(0.9).nesterov(true).build(), AdamConfig.builder().amsgrad(true).build(),
                AdamConfig.builder().decoupled(true).weightDecay(0.01).build(), AdagradConfig.builder().lrDecay(0.1).build(), AdadeltaConfig.builder().build()}) {
            assertThat(SpecStrings.fromStrings(s.kind(), SpecStrings.toStrings(s))).isEqualTo(s);
        }
    }

}
