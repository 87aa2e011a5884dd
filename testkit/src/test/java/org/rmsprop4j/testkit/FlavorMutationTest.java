package org.rmsprop4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rmsprop4j.optim.Arithmetic;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.WeightDecayStyle;

/**
 * The cases can fail: replaying a flavour's case with one knob set the way another framework sets
 * it is refused by {@link Tolerance#standard()}. This is what makes the bound meaningful: rounding
 * differences pass, semantic differences do not. (A knob its framework does not have is refused by
 * the framework's arithmetic profile, so those mutations run in the library's own order.)
 */
class FlavorMutationTest {

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("independent/keras-small-gradients-f32.json", "eps outside instead of inside",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().arithmetic(Arithmetic.PYTORCH_1_13).epsPlacement(EpsPlacement.OUTSIDE).build()),
                Arguments.of("independent/tf1-default-f32.json", "mean square from 0 instead of 1",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().initialMeanSquare(0).build()),
                Arguments.of("independent/keras-lr-schedule-momentum-f32.json", "PyTorch-style momentum under a schedule",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().arithmetic(Arithmetic.PYTORCH_1_13).momentumStyle(MomentumStyle.LR_OUTSIDE).build()),
                Arguments.of("independent/optax-lr-schedule-momentum-f32.json", "PyTorch-style momentum under a schedule",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().arithmetic(Arithmetic.PYTORCH_1_13).momentumStyle(MomentumStyle.LR_OUTSIDE).build()),
                Arguments.of("independent/keras-weight-decay-f32.json", "coupled L2 instead of decoupled decay",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().arithmetic(Arithmetic.PYTORCH_1_13).weightDecayStyle(WeightDecayStyle.L2).build()),
                Arguments.of("independent/dl4j-default-f32.json", "accumulator from 0 instead of eps",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().initialMeanSquare(0).build()),
                Arguments.of("independent/dqn-default-f32.json", "not centered",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().centered(false).build()),
                Arguments.of("independent/optax-nesterov-f32.json", "plain momentum instead of Nesterov",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().nesterov(false).build()),
                Arguments.of("independent/optax-bias-correction-f32.json", "no bias correction",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().biasCorrection(false).build()),
                Arguments.of("independent/seed-small-gradients-f64.json", "PyTorch's eps placement",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().epsPlacement(EpsPlacement.OUTSIDE).build()),
                Arguments.of("pytorch/rmsprop-centered-f32.json", "not centered",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().centered(false).build()),
                Arguments.of("pytorch/rmsprop-default-f32.json", "eps inside",
                        (UnaryOperator<RmsPropConfig>) c -> c.toBuilder().epsPlacement(EpsPlacement.INSIDE).build()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("mutations")
    void aWrongKnobIsCaught(String file, String what, UnaryOperator<RmsPropConfig> mutate) throws Exception {
        Path p = GoldenCasesTest.golden(file.substring(0, file.indexOf('/'))).resolve(file.substring(file.indexOf('/') + 1));
        ConformanceCase c = CaseLoader.load(p);
        RmsPropConfig right = (RmsPropConfig) Flavors.spec(c);
        CaseRunner runner = new CaseRunner(Tolerance.standard());
        assertThat(runner.run(c, right).passed()).as("the right mapping passes").isTrue();
        CaseResult wrong = runner.run(c, mutate.apply(right));
        assertThat(wrong.passed()).as(what + ": " + wrong.line()).isFalse();
        assertThat(wrong.worstRel()).as(what).isGreaterThan(5e-4);
    }
}
