package org.rmsprop4j.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;

class SpecParserTest {

    @Test
    void parsesPresetsAndKnobs() {
        Contender c = SpecParser.parse("--opt", "rmsprop:preset=keras,lr=0.01");
        assertThat(c.label()).isEqualTo("rmsprop-keras");
        assertThat(c.spec()).isEqualTo(RmsPropPreset.KERAS.config().toBuilder().learningRate(0.01).build());
        assertThat(SpecParser.parse("--opt", "rmsprop").spec()).isEqualTo(RmsPropConfig.builder().build());
        RmsPropConfig r = (RmsPropConfig) SpecParser.parse("--opt", "RMSprop: decay=0.9, eps=1e-9, eps-placement=inside, label=mine").spec();
        assertThat(r.epsPlacement()).isEqualTo(EpsPlacement.INSIDE);
        assertThat(r.decay()).isEqualTo(0.9);
        assertThat(SpecParser.parse("--opt", "rmsprop:label=mine").label()).isEqualTo("mine");
        assertThat(SpecParser.parse("--opt", "sgd:lr=0.1,momentum=0.9,nesterov=true").spec())
                .isEqualTo(SgdConfig.builder().learningRate(0.1).momentum(0.9).nesterov(true).build());
        assertThat(SpecParser.parse("--opt", "adam:lr=0.05").spec()).isEqualTo(AdamConfig.builder().learningRate(0.05).build());
        assertThat(SpecParser.parse("--opt", "adamw").spec().kind()).isEqualTo("adamw");
        assertThat(SpecParser.parseAll("--opt", List.of("adam", "adam:lr=0.1"))).extracting(Contender::label).containsExactly("adam", "adam#2");
    }

    @Test
    void refusesWithTheArgumentTheValueAndWhatIsAccepted() {
        assertThatThrownBy(() -> SpecParser.parse("--opt", "rmsprob")).hasMessageContaining("--opt kind must be one of rmsprop, sgd, adagrad, adadelta, adam, adamw")
                .hasMessageContaining("got 'rmsprob'");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "rmsprop:lrr=1")).hasMessageContaining("--opt lrr is not a setting of rmsprop; accepted: preset, lr,")
                .hasMessageContaining("(in 'rmsprop:lrr=1')");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "rmsprop:lr=-1")).hasMessage("--opt lr must be a finite number >= 0, got -1.0 (in 'rmsprop:lr=-1')");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "rmsprop:lr=0x1p3")).hasMessageContaining("--opt lr must be a finite decimal number, got '0x1p3'");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "rmsprop:lr=abc")).hasMessageContaining("--opt lr must be a finite decimal number, got 'abc'");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "rmsprop:decay=1.5")).hasMessageContaining("--opt decay must be in [0.0, 1.0), got 1.5");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "rmsprop:preset=torch")).hasMessageContaining("preset must be one of pytorch, keras");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "sgd:nesterov=yes")).hasMessageContaining("nesterov must be true or false, got 'yes'");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "sgd:lr")).hasMessageContaining("key=value pairs");
        assertThatThrownBy(() -> SpecParser.parse("--opt", "sgd:lr=1,lr=2")).hasMessageContaining("must appear once");
    }
}
