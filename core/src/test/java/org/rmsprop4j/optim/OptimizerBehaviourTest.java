package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OptimizerBehaviourTest {

    static ParamLayout layout() { return ParamLayout.builder().add("w", 2, 2).add("b", 2).add("empty", 0).build(); }

    @Test
    void groupsUseTheirOwnLearningRateAndAFrozenGroupDoesNotMove() {
        RmsPropConfig c = RmsPropConfig.builder().learningRate(0.1).build();
        Optimizer opt = Optimizer.builder(c).layout(layout())
                .group("frozen", List.of("b"), c.withLearningRate(0)).build();
        float[] p = {1, 1, 1, 1, 1, 1};
        float[] g = {1, 1, 1, 1, 1, 1};
        opt.step(p, g);
        assertThat(p[0]).isLessThan(1f);
        assertThat(p[4]).isEqualTo(1f);
        assertThat(p[5]).isEqualTo(1f);
        assertThat(opt.groupNames()).containsExactly("default", "frozen");
        assertThat(opt.groupParams("default")).containsExactly("w", "empty");
        // state still accumulates in the frozen group, as in PyTorch with lr 0
        assertThat(opt.state("b", RmsPropConfig.SQUARE_AVG)[0]).isGreaterThan(0);
    }

    @Test
    void aScheduleSetsTheLearningRateOfEachStep() {
        Optimizer opt = Optimizer.builder(SgdConfig.builder().learningRate(1).build()).size(1)
                .schedule(Schedules.step(2, 0.5)).build();
        float[] p = {0};
        float[] g = {1};
        List<Double> seen = new ArrayList<>();
        opt.onStep(e -> seen.add(e.learningRates().get("default")));
        for (int t = 0; t < 5; t++) opt.step(p, g);
        assertThat(seen).containsExactly(1.0, 1.0, 0.5, 0.5, 0.25);
        assertThat(p[0]).isEqualTo(-3.25f);
    }

    @Test
    void schedulesHaveTheirTextbookValues() {
        assertThat(Schedules.constant().learningRate(0.1, 100)).isEqualTo(0.1);
        assertThat(Schedules.exponential(0.5).learningRate(1, 3)).isEqualTo(0.125);
        assertThat(Schedules.cosine(10, 0.0).learningRate(1, 0)).isEqualTo(1.0);
        assertThat(Schedules.cosine(10, 0.0).learningRate(1, 5)).isCloseTo(0.5, within(1e-15));
        assertThat(Schedules.cosine(10, 0.1).learningRate(1, 50)).isCloseTo(0.1, within(1e-15));
        assertThat(Schedules.linearWarmup(4, Schedules.constant()).learningRate(1, 0)).isEqualTo(0.25);
        assertThat(Schedules.linearWarmup(4, Schedules.constant()).learningRate(1, 3)).isEqualTo(1.0);
        assertThat(Schedules.linearWarmup(4, Schedules.exponential(0.5)).learningRate(1, 5)).isEqualTo(0.5);
        assertThat(Schedules.inverseTime(0.5).learningRate(1, 2)).isEqualTo(0.5);
    }

    @Test
    void skipAndThrowLeaveEverythingUntouched() {
        for (NonFinitePolicy policy : new NonFinitePolicy[] {NonFinitePolicy.SKIP, NonFinitePolicy.THROW}) {
            Optimizer opt = Optimizer.builder(RmsPropConfig.builder().momentum(0.9).centered(true).build()).layout(layout())
                    .nonFinitePolicy(policy).clipping(Clipping.byGlobalNorm(1)).build();
            float[] p = {1, 2, 3, 4, 5, 6};
            opt.step(p, new float[] {1, 1, 1, 1, 1, 1});
            float[] before = p.clone();
            StateDict state = opt.stateDict();
            float[] g = {1, 1, 1, Float.NaN, 1, 1};
            float[] gBefore = g.clone();
            if (policy == NonFinitePolicy.SKIP) {
                assertThat(opt.step(p, g)).isFalse();
            } else {
                assertThatThrownBy(() -> opt.step(p, g)).isInstanceOf(NonFiniteGradientException.class)
                        .hasMessageContaining("gradient of parameter 'w' is not finite at index 3 (NaN)");
            }
            assertThat(p).containsExactly(before);
            assertThat(g).usingElementComparator((x, y) -> Float.compare(x, y)).containsExactly(gBefore);
            assertThat(opt.stateDict()).isEqualTo(state);
            assertThat(opt.steps()).isEqualTo(1);
        }
    }

    @Test
    void propagateLetsNaNThroughAsPyTorchDoes() {
        Optimizer opt = Optimizer.of(RmsPropConfig.builder().build(), 2);
        float[] p = {1, 1};
        opt.step(p, new float[] {Float.POSITIVE_INFINITY, 1});
        assertThat(Float.isNaN(p[0])).isTrue();
        assertThat(p[1]).isLessThan(1f);
    }

    @Test
    void clippingByValueNormAndGlobalNorm() {
        float[] g = {3, 4, -10, 0, 0, 0};
        Optimizer byValue = Optimizer.builder(SgdConfig.builder().learningRate(1).build()).layout(layout())
                .clipping(Clipping.byValue(2)).build();
        float[] p = new float[6];
        byValue.step(p, g.clone());
        assertThat(p).containsExactly(-2, -2, 2, 0, 0, 0);

        float[] g2 = g.clone();
        Optimizer byNorm = Optimizer.builder(SgdConfig.builder().learningRate(1).build()).layout(layout())
                .clipping(Clipping.byNorm(1)).build();
        byNorm.step(new float[6], g2);
        double wNorm = Math.sqrt(g2[0] * g2[0] + g2[1] * g2[1] + g2[2] * g2[2] + g2[3] * g2[3]);
        assertThat(wNorm).isCloseTo(1.0, within(1e-5));

        float[] g3 = {3, 4, 0, 0, 0, 0};
        Optimizer global = Optimizer.builder(SgdConfig.builder().learningRate(1).build()).layout(layout())
                .clipping(Clipping.byGlobalNorm(10)).build();
        global.step(new float[6], g3);
        assertThat(g3).containsExactly(3, 4, 0, 0, 0, 0); // norm 5 below the limit: unchanged
    }

    @Test
    void copyHasTheSameConfigurationAndFreshState() {
        Optimizer opt = Optimizer.builder(AdamConfig.builder().build()).layout(layout())
                .group("head", List.of("b"), AdamConfig.builder().learningRate(0.1).build()).build();
        opt.step(new float[6], new float[] {1, 2, 3, 4, 5, 6});
        Optimizer copy = opt.copy();
        assertThat(copy.steps()).isZero();
        assertThat(copy.groupNames()).isEqualTo(opt.groupNames());
        assertThat(copy.learningRate("head")).isEqualTo(0.1);
        assertThat(copy.state("w", AdamConfig.EXP_AVG)).containsOnly(0.0);
        assertThat(opt.state("w", AdamConfig.EXP_AVG)).doesNotContain(0.0);
    }

    @Test
    void initialStateFollowsThePreset() {
        assertThat(Optimizer.of(RmsPropPreset.TF1.config(), 3).state("param", RmsPropConfig.SQUARE_AVG)).containsOnly(1.0);
        assertThat(Optimizer.of(RmsPropPreset.DL4J.config(), 3).state("param", RmsPropConfig.SQUARE_AVG))
                .containsOnly((double) (float) 1e-8);
        assertThat(Optimizer.of(AdagradConfig.builder().initialAccumulator(0.1).build(), 2).state("param", AdagradConfig.SUM))
                .containsOnly((double) 0.1f);
    }

    @Test
    void removingAListenerStopsIt() {
        Optimizer opt = Optimizer.of(SgdConfig.builder().build(), 1);
        List<Long> seen = new ArrayList<>();
        StepListener.Registration r = opt.onStep(e -> seen.add(e.step()));
        opt.step(new float[1], new float[1]);
        r.close();
        opt.step(new float[1], new float[1]);
        assertThat(seen).containsExactly(1L);
    }

    @Test
    void float32AndFloat64AgreeToFloatPrecision() {
        for (RmsPropPreset preset : RmsPropPreset.values()) {
            Optimizer f = Optimizer.of(preset.config(), 3);
            Optimizer d = Optimizer.builder(preset.config()).size(3).dtype(Dtype.FLOAT64).build();
            float[] pf = {1, -1, 0.5f};
            double[] pd = {1, -1, 0.5};
            for (int t = 0; t < 20; t++) {
                float[] g = {(float) Math.cos(t), (float) Math.sin(t), 0.1f};
                f.step(pf, g);
                d.step(pd, new double[] {g[0], g[1], g[2]});
            }
            for (int i = 0; i < 3; i++) assertThat((double) pf[i]).as(preset + "[" + i + "]").isCloseTo(pd[i], within(1e-4));
        }
    }
}
