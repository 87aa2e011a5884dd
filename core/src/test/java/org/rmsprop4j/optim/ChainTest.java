package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.transform.ApplyIfFinite;
import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.ClipByGlobalNorm;
import org.rmsprop4j.transform.ClipByNorm;
import org.rmsprop4j.transform.ClipByValue;
import org.rmsprop4j.transform.GradientTransform;
import org.rmsprop4j.transform.Lookahead;
import org.rmsprop4j.transform.MultiSteps;
import org.rmsprop4j.transform.ParameterEma;
import org.rmsprop4j.transform.ScaleByLearningRate;
import org.rmsprop4j.transform.ScaleByRms;
import org.rmsprop4j.transform.StepContext;
import org.rmsprop4j.transform.Trace;

/** The open chain: hand-checked transforms, wrappers, naming, lowering, threads and state of unfused chains. */
class ChainTest {

    private static final ParamLayout TWO = ParamLayout.builder().add("w", 3).add("b", 2).build();

    /** Gradient centralization (Yong et al. 2020) on each tensor: the kind of transform a user writes outside the library. */
    record Centralize() implements GradientTransform {
        @Override public String type() { return "centralize"; }

        @Override public Map<String, Object> hyperParameters() { return Map.of(); }

        @Override public boolean elementwise() { return false; }

        @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
            if (len < 2) return;
            double m = 0;
            for (int i = off; i < off + len; i++) m += u[i];
            float mean = (float) (m / len);
            for (int i = off; i < off + len; i++) u[i] -= mean;
        }

        @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
            if (len < 2) return;
            double m = 0;
            for (int i = off; i < off + len; i++) m += u[i];
            double mean = m / len;
            for (int i = off; i < off + len; i++) u[i] -= mean;
        }

        @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
            for (int t = 0; t < c.tensorCount(); t++) update(u, p, s, slot0, c.tensorOffset(t), c.tensorLength(t), c);
        }

        @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
            for (int t = 0; t < c.tensorCount(); t++) update(u, p, s, slot0, c.tensorOffset(t), c.tensorLength(t), c);
        }
    }

    private static Optimizer of(GradientTransform... ts) {
        Chain.Builder b = Chain.builder("test").learningRate(0.1);
        for (int i = 0; i < ts.length; i++) b.add("t" + i, ts[i]);
        return Optimizer.builder(b.build()).layout(TWO).dtype(Dtype.FLOAT64).build();
    }

    @Test
    void sgdAsAChainStepsByTheLearningRateTimesTheGradient() {
        Optimizer opt = Optimizer.builder(Chain.builder("plain").learningRate(0.5).add("lr", new ScaleByLearningRate()).build())
                .layout(TWO).dtype(Dtype.FLOAT64).fused(false).build();
        double[] p = {1, 2, 3, 4, 5}, g = {1, -2, 0.5, 0, 4};
        opt.step(p, g);
        assertThat(p).containsExactly(0.5, 3, 2.75, 4, 3);
        assertThat(g).containsExactly(1, -2, 0.5, 0, 4);
    }

    @Test
    void clipsByValueByTensorNormAndByGlobalNorm() {
        double[] g = {3, 4, 0, 0, 12};
        double[] p = new double[5];
        of(new ClipByValue(2), new ScaleByLearningRate()).step(p, g.clone());
        assertThat(p).containsExactly(-0.2, -0.2, 0, 0, -0.2);
        p = new double[5];
        of(new ClipByNorm(1), new ScaleByLearningRate()).step(p, g.clone());     // w = (3,4,0) norm 5 -> (0.6,0.8,0); b = (0,12) -> (0,1)
        assertThat(p[0]).isCloseTo(-0.06, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(p[1]).isCloseTo(-0.08, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(p[4]).isCloseTo(-0.1, org.assertj.core.data.Offset.offset(1e-15));
        p = new double[5];
        of(new ClipByGlobalNorm(1), new ScaleByLearningRate()).step(p, g.clone());   // norm 13
        assertThat(p[0]).isCloseTo(-0.1 * 3 / 13, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(p[4]).isCloseTo(-0.1 * 12 / 13, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void applyIfFiniteLeavesParametersAndInnerStateAloneOnANonFiniteGradient() {
        Optimizer opt = of(new ApplyIfFinite(Chain.of(ScaleByRms.of(0.9, 1e-8, EpsPlacement.OUTSIDE), new ScaleByLearningRate())));
        double[] p = {1, 2, 3, 4, 5};
        opt.step(p, new double[] {1, 1, 1, 1, 1});
        double[] after = p.clone();
        StateDict before = opt.stateDict();
        opt.step(p, new double[] {1, Double.NaN, 1, 1, 1});
        assertThat(p).containsExactly(after);
        assertThat(opt.state("w", "square_avg")).containsExactly(before.buffer("t0/0/w/square_avg"));
        assertThat(opt.slots("default")).containsExactly("t0/0/square_avg");
    }

    @Test
    void multiStepsAppliesTheInnerStepToTheMeanEveryKthStep() {
        Optimizer acc = of(new MultiSteps(3, Chain.of(new ScaleByLearningRate())));
        double[] p = {1, 1, 1, 1, 1};
        acc.step(p, new double[] {1, 2, 3, 4, 5});
        acc.step(p, new double[] {1, 2, 3, 4, 5});
        assertThat(p).containsOnly(1.0);
        acc.step(p, new double[] {4, 2, 0, 4, 5});
        assertThat(p).containsExactly(1 - 0.2, 1 - 0.2, 1 - 0.2, 1 - 0.4, 1 - 0.5);
        assertThat(acc.state("w", "acc")).containsOnly(0.0);
    }

    @Test
    void lookaheadPullsTheSlowWeightsTowardsTheFastOnesEveryKthStep() {
        Optimizer la = of(new Lookahead(2, 0.5, Chain.of(new ScaleByLearningRate())));
        double[] p = {1, 1, 1, 1, 1}, g = {1, 1, 1, 1, 1};
        la.step(p, g);
        assertThat(p).containsOnly(0.9);                 // fast weights
        la.step(p, g);                                   // fast 0.8, slow 1 -> 1 + 0.5·(0.8 − 1) = 0.9
        assertThat(p[0]).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(la.state("b", "slow")).containsOnly(p[0]);
    }

    @Test
    void parameterEmaAveragesTheParametersAfterEachStep() {
        Optimizer ema = of(new ScaleByLearningRate(), new ParameterEma(0.5));
        double[] p = {1, 1, 1, 1, 1}, g = {1, 1, 1, 1, 1};
        ema.step(p, g);
        assertThat(ema.state("w", "ema")).containsOnly(0.9);
        ema.step(p, g);
        assertThat(ema.state("w", "ema")[0]).isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void aUserTransformChainsWithTheLibrarysOnesAndSplitsAcrossThreadsToTheSameBits() {
        Chain chain = Chain.builder("gc-rmsprop").learningRate(1e-3).add("gc", new Centralize()).add("clip", new ClipByGlobalNorm(1))
                .add("rms", ScaleByRms.of(0.9, 1e-7, EpsPlacement.INSIDE)).add("lr", new ScaleByLearningRate())
                .add("momentum", Trace.of(0.9, false)).build();
        ParamLayout big = ParamLayout.builder().add("w", 300, 300).add("b", 7).build();
        Optimizer one = Optimizer.builder(chain).layout(big).build();
        Optimizer two = Optimizer.builder(chain).layout(big).threads(2).parallelThreshold(1000).build();
        assertThat(one.isFused("default")).isFalse();
        float[] p1 = new float[big.size()], p2 = new float[big.size()];
        java.util.Random r = new java.util.Random(1);
        for (int t = 0; t < 5; t++) {
            float[] g = new float[big.size()];
            for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
            one.step(p1, g.clone());
            two.step(p2, g.clone());
        }
        assertThat(p2).containsExactly(p1);
        assertThat(two.stateDict()).isEqualTo(one.stateDict());
    }

    @Test
    void anUnfusedChainResumesFromItsStateDictToTheSameBits() throws Exception {
        Chain chain = Chain.builder("wrapped").learningRate(0.01)
                .add("finite", new ApplyIfFinite(new Lookahead(3, 0.5, new MultiSteps(2, RmsPropPreset.GRAVES.config().chain()))))
                .add("ema", new ParameterEma(0.9)).build();
        Optimizer a = Optimizer.builder(chain).layout(TWO).schedule(Schedules.cosine(20, 0)).build();
        float[] p = {1, 2, 3, 4, 5};
        java.util.Random r = new java.util.Random(3);
        float[][] gs = new float[12][5];
        for (float[] g : gs) for (int i = 0; i < 5; i++) g[i] = (float) r.nextGaussian();
        for (int t = 0; t < 5; t++) a.step(p, gs[t].clone());
        java.nio.file.Path f = java.nio.file.Files.createTempFile("chain", ".state");
        StateIO.save(a, f);
        float[] q = p.clone();
        for (int t = 5; t < 12; t++) a.step(p, gs[t].clone());
        Optimizer b = Optimizer.builder(chain).layout(TWO).schedule(Schedules.cosine(20, 0)).build();
        StateIO.loadInto(b, f);
        for (int t = 5; t < 12; t++) b.step(q, gs[t].clone());
        assertThat(q).containsExactly(p);
        assertThat(b.stateDict()).isEqualTo(a.stateDict());
        assertThat(a.stateDict().bufferKeys()).contains("finite/w/slow", "finite/w/acc", "finite/rms/w/square_avg",
                "finite/momentum/b/momentum_buffer", "ema/b/ema");
        java.nio.file.Files.delete(f);
    }

    @Test
    void aChainOfAFusedShapeIsFusedWhateverItsMembersAreCalled() {
        Chain mine = Chain.builder("rmsprop").learningRate(0.01).add("a", ScaleByRms.of(0.99, 1e-8, EpsPlacement.OUTSIDE))
                .add("b", new ScaleByLearningRate()).build();
        Optimizer opt = Optimizer.of(mine, 4);
        assertThat(opt.isFused("default")).isTrue();
        float[] p = {1, 2, 3, 4}, q = p.clone(), g = {0.5f, -1, 2, 0};
        opt.step(p, g);
        Optimizer.of(RmsPropPreset.PYTORCH.config(), 4).step(q, g);
        assertThat(p).containsExactly(q);
        assertThat(Optimizer.builder(mine).size(4).fused(false).build().isFused("default")).isFalse();
    }

    @Test
    void groupsMayRunDifferentChains() {
        Optimizer opt = Optimizer.builder(RmsPropPreset.PYTORCH.config()).layout(TWO)
                .group("head", List.of("b"), SgdConfig.builder().learningRate(0.1).momentum(0.9).build()).build();
        float[] p = new float[5], g = {1, 1, 1, 1, 1};
        opt.step(p, g);
        assertThat(p[4]).isEqualTo(-0.1f);
        assertThat(opt.slots("head")).containsExactly("momentum/momentum_buffer");
        assertThat(opt.stateDict().bufferKeys()).containsExactly("rms/w/square_avg", "momentum/b/momentum_buffer");
    }

    @Test
    void namesAndSlotsAreChecked() {
        assertThatThrownBy(() -> Chain.builder().add("a/b", new ScaleByLearningRate()))
                .hasMessage("transform name must be a non-empty name without '/', got 'a/b'");
        assertThatThrownBy(() -> Chain.builder().add("x", new ScaleByLearningRate()).add("x", new ScaleByLearningRate()).build())
                .hasMessage("transform name must be unique within the chain (it is used twice), got 'x'");
        Optimizer opt = of(new MultiSteps(2, Chain.of(ScaleByRms.of(0.9, 1e-8, EpsPlacement.OUTSIDE), Trace.of(0.9, false))));
        assertThatThrownBy(() -> opt.state("w", "nu")).hasMessageContaining("slot must be one of [t0/acc, t0/0/square_avg, t0/1/momentum_buffer]");
        assertThat(opt.state("w", "t0/1/momentum_buffer")).hasSize(3);
    }
}
