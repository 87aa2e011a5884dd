package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.RmsPropProfile;
import org.rmsprop4j.transform.Scale;

/** The arithmetic knob: how it is chosen, what it refuses, and two profiles checked by hand. */
class ArithmeticProfileTest {

    @Test
    void theParserAndThePresetsChooseTheProfile() {
        RmsPropConfig c = (RmsPropConfig) OptimizerSpecs.fromSettings("rmsprop", Map.of("preset", "keras", "arithmetic", "keras-3-graph"));
        assertThat(c.arithmetic()).isEqualTo(Arithmetic.KERAS_3_GRAPH);
        assertThat(RmsPropPreset.KERAS.config().arithmetic()).isEqualTo(Arithmetic.KERAS_3);
        assertThat(RmsPropPreset.DL4J.config().arithmetic()).isEqualTo(Arithmetic.ND4J);
        assertThat(RmsPropPreset.PYTORCH.config().arithmetic()).isEqualTo(Arithmetic.PYTORCH_1_13);
        assertThat(((AdamConfig) OptimizerSpecs.fromSettings("adam", Map.of("arithmetic", "pytorch_2_13_fused"))).arithmetic())
                .isEqualTo(Arithmetic.PYTORCH_2_13_FUSED);
        assertThat(c.chain().links()).extracting(Chain.Link::transform).hasOnlyElementsOfType(RmsPropProfile.class);
        assertThat(c.describe()).contains("arithmetic keras_3_graph");
        assertThat(c.hyperParameters()).containsEntry("arithmetic", Arithmetic.KERAS_3_GRAPH);
        assertThat(RmsPropPreset.PYTORCH.config().hyperParameters()).doesNotContainKey("arithmetic");   // older state files still match
        Optimizer o = Optimizer.builder(c).size(3).build();
        assertThat(o.isFused("default")).isTrue();              // a profile alone in its chain runs fused (ProfileRule)
        assertThat(Optimizer.builder(RmsPropPreset.PYTORCH.config().toBuilder().arithmetic(Arithmetic.PYTORCH_2_13).maximize(true).build())
                .size(3).build().isFused("default")).isFalse();   // after maximize's scale it runs member by member
        assertThat(Optimizer.builder(RmsPropPreset.PYTORCH.config()).size(3).build().isFused("default")).isTrue();
    }

    @Test
    void unknownNamesAndKnobsTheFrameworkLacksAreRefused() {
        assertThatThrownBy(() -> OptimizerSpecs.fromSettings("rmsprop", Map.of("arithmetic", "keras4")))
                .hasMessageStartingWith("arithmetic must be one of pytorch_1_13, pytorch_1_13_foreach, pytorch_2_13,")
                .hasMessageEndingWith("got 'keras4'");
        assertThatThrownBy(() -> RmsPropPreset.DL4J.config().toBuilder().centered(true).build())
                .hasMessage("centered with arithmetic nd4j must be false (the framework has no centered form), got true");
        assertThatThrownBy(() -> RmsPropPreset.KERAS.config().toBuilder().epsPlacement(EpsPlacement.OUTSIDE).build())
                .hasMessage("epsPlacement with arithmetic keras_3 must be INSIDE (the framework's only placement), got OUTSIDE");
        assertThatThrownBy(() -> RmsPropPreset.PYTORCH.config().toBuilder().arithmetic(Arithmetic.PYTORCH_2_13_FUSED).build())
                .hasMessageContaining("PyTorch has no fused RMSprop");
        assertThatThrownBy(() -> AdadeltaConfig.builder().arithmetic(Arithmetic.PYTORCH_2_13_FUSED).build())
                .hasMessageStartingWith("arithmetic of AdadeltaConfig must be one of [pytorch_1_13, pytorch_1_13_foreach, pytorch_2_13]");
        // a transform that produces the parameters must end its chain
        RmsPropProfile p = (RmsPropProfile) RmsPropPreset.TF1.config().chain().get("rms");
        assertThatThrownBy(() -> Chain.builder().add("rms", p).add("s", new Scale(2)).build())
                .hasMessageContaining("the last member of its chain");
        assertThatThrownBy(() -> new org.rmsprop4j.transform.MultiSteps(2, RmsPropPreset.KERAS.config().chain()))
                .hasMessageContaining("cannot be wrapped");
    }

    /** ND4J in float32, by hand: state from ε, 1−ρ formed in float32, (lr·g)/(√G + ε). */
    @Test
    void nd4jByHand() {
        Optimizer o = Optimizer.builder(RmsPropPreset.DL4J.config()).size(1).build();
        float[] p = {1f};
        o.step(p, new float[] {0.5f});
        float rho = 0.95f, om = 1f - rho, eps = 1e-8f, lr = 0.1f;
        float g1 = eps * rho + (0.5f * 0.5f) * om;
        float p1 = 1f - (lr * 0.5f) / ((float) Math.sqrt(g1) + eps);
        assertThat(p[0]).isEqualTo(p1);
        assertThat((float) o.state("param", RmsPropConfig.SQUARE_AVG)[0]).isEqualTo(g1);
    }

    /** Tribuo keeps elements × multiplier; the multiplier folds into the elements below 1e-6 (step 132 at ρ = 0.9). */
    @Test
    void tribuoFoldsItsMultiplier() {
        Optimizer o = Optimizer.builder(RmsPropPreset.TRIBUO.config()).size(1).dtype(Dtype.FLOAT64).build();
        double[] p = {0};
        double mult = 1, el = 0;
        for (int t = 1; t <= 140; t++) {
            o.step(p, new double[] {1});
            mult *= 1 - (1 - 0.9);
            if (Math.abs(mult) < 1e-6) { el *= mult; mult = 1; }
            el = (el * mult + ((1 - 0.9) * -1) * -1) / mult;
        }
        assertThat(o.state("param", RmsPropProfile.MULTIPLIER)[0]).isEqualTo(mult);
        assertThat(o.state("param", RmsPropProfile.ELEMENTS)[0]).isEqualTo(el);
        assertThat(o.state("param", RmsPropConfig.SQUARE_AVG)[0]).isEqualTo(el * mult);
        assertThat(mult).isGreaterThan(1e-6).isLessThan(1);
    }
}
