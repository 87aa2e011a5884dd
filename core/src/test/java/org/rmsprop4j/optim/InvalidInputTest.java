package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal names the argument, the value and what is accepted. */
class InvalidInputTest {

    private static Optimizer twoParams() {
        return Optimizer.builder(RmsPropConfig.builder().build())
                .layout(ParamLayout.builder().add("w", 2, 3).add("b", 3).build()).build();
    }

    private static StateDict withBuffer(StateDict sd, String key, int index, double value) {
        Map<String, double[]> b = new java.util.LinkedHashMap<>(sd.buffers());
        double[] v = b.get(key).clone();
        v[index] = value;
        b.put(key, v);
        return new StateDict(sd.formatVersion(), sd.kind(), sd.dtype(), sd.groups(), sd.paramLengths(), b);
    }

    private static Arguments row(String what, Executable ex, String regex) { return Arguments.of(what, ex, regex); }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("negative learning rate", () -> RmsPropConfig.builder().learningRate(-1).build(),
                        "learningRate must be a finite number >= 0, got -1\\.0"),
                row("NaN learning rate", () -> RmsPropConfig.builder().learningRate(Double.NaN).build(),
                        "learningRate must be a finite number >= 0, got NaN"),
                row("infinite learning rate", () -> SgdConfig.builder().learningRate(Double.POSITIVE_INFINITY).build(),
                        "learningRate must be a finite number >= 0, got Infinity"),
                row("decay 1", () -> RmsPropConfig.builder().decay(1.0).build(), "decay must be in \\[0\\.0, 1\\.0\\), got 1\\.0"),
                row("decay below 0", () -> RmsPropConfig.builder().decay(-0.1).build(), "decay must be in \\[0\\.0, 1\\.0\\), got -0\\.1"),
                row("NaN decay", () -> RmsPropConfig.builder().decay(Double.NaN).build(), "decay must be in \\[0\\.0, 1\\.0\\), got NaN"),
                row("negative eps", () -> RmsPropConfig.builder().eps(-1e-8).build(), "eps must be a finite number >= 0, got -1\\.0E-8"),
                row("negative momentum", () -> RmsPropConfig.builder().momentum(-0.9).build(),
                        "momentum must be a finite number >= 0, got -0\\.9"),
                row("Nesterov without momentum", () -> RmsPropConfig.builder().nesterov(true).build(),
                        "nesterov must be false when momentum is 0 .*got true"),
                row("SGD Nesterov with dampening", () -> SgdConfig.builder().momentum(0.9).dampening(0.1).nesterov(true).build(),
                        "nesterov must be false unless momentum > 0 and dampening = 0 .*got true"),
                row("negative weight decay", () -> RmsPropConfig.builder().weightDecay(-1).build(),
                        "weightDecay must be a finite number >= 0, got -1\\.0"),
                row("bias correction with a non-zero start", () -> RmsPropConfig.builder().biasCorrection(true).initialMeanSquare(1).build(),
                        "initialMeanSquare must be 0 when biasCorrection is on .*got 1\\.0"),
                row("gradient scale 0", () -> RmsPropConfig.builder().gradientScale(0).build(), "gradientScale must be a finite number > 0, got 0\\.0"),
                row("clip gradient 0", () -> RmsPropConfig.builder().clipGradient(0).build(), "clipGradient must be > 0 .*got 0\\.0"),
                row("Adam beta2 = 1", () -> AdamConfig.builder().beta2(1.0).build(), "beta2 must be in \\[0\\.0, 1\\.0\\), got 1\\.0"),
                row("Adadelta rho > 1", () -> AdadeltaConfig.builder().rho(1.5).build(), "rho must be in \\[0\\.0, 1\\.0\\], got 1\\.5"),
                row("AdaGrad negative lr decay", () -> AdagradConfig.builder().lrDecay(-1).build(), "lrDecay must be a finite number >= 0, got -1\\.0"),
                row("unknown preset", () -> RmsPropPreset.byName("pytorhc"),
                        "preset must be one of pytorch, keras, tf1, optax, dl4j, mxnet, tribuo, tfjs, timm_tf, caffe, lasagne, hinton, graves, dqn, seed, got 'pytorhc'"),
                row("gradients shorter than parameters", () -> twoParams().step(new float[9], new float[8]),
                        "grads\\.length must be the layout size 9 \\(same as params\\), got 8"),
                row("parameters of the wrong length", () -> twoParams().step(new float[10], new float[10]),
                        "params\\.length must be the layout size 9, got 10"),
                row("params and grads the same array", () -> {
                    float[] a = new float[9];
                    twoParams().step(a, a);
                }, "grads must be a separate array .*got the params array itself"),
                row("float64 arrays on a float32 optimizer", () -> twoParams().step(new double[9], new double[9]),
                        "params must be float32 arrays .*got float64 arrays"),
                row("state of the wrong shape", () -> {
                    Optimizer small = Optimizer.builder(RmsPropConfig.builder().build())
                            .layout(ParamLayout.builder().add("w", 2, 2).add("b", 3).build()).build();
                    twoParams().loadStateDict(small.stateDict());
                }, "length of parameter 'w' in state must be 6, got 4"),
                row("state with a foreign parameter", () -> {
                    Optimizer other = Optimizer.builder(RmsPropConfig.builder().build())
                            .layout(ParamLayout.builder().add("w", 2, 3).add("c", 3).build()).build();
                    twoParams().loadStateDict(other.stateDict());
                }, "state must be a state holding every parameter of the layout \\[w, b\\], got no parameter 'b'"),
                row("state of another family", () -> twoParams().loadStateDict(
                        Optimizer.builder(SgdConfig.builder().build()).layout(twoParams().layout()).build().stateDict()),
                        "state kind must be 'rmsprop' .*got 'sgd'"),
                row("state without the momentum buffer", () -> {
                    Optimizer withMomentum = Optimizer.builder(RmsPropConfig.builder().momentum(0.9).build())
                            .layout(twoParams().layout()).build();
                    withMomentum.loadStateDict(twoParams().stateDict());
                }, "state must be a buffer for every slot \\[rms/square_avg, momentum/momentum_buffer\\] of group 'default', got no buffer 'momentum/w/momentum_buffer'"),
                row("unknown parameter in a group", () -> Optimizer.builder(RmsPropConfig.builder().build()).layout(twoParams().layout())
                        .group("head", List.of("x"), RmsPropConfig.builder().build()).build(),
                        "parameter name must be one of \\[w, b\\], got 'x'"),
                row("a parameter in two groups", () -> Optimizer.builder(RmsPropConfig.builder().build()).layout(twoParams().layout())
                        .group("a", List.of("w"), RmsPropConfig.builder().build())
                        .group("c", List.of("w"), RmsPropConfig.builder().build()).build(),
                        "groups must be each parameter in at most one group, got parameter 'w' in groups 'a' and 'c'"),
                row("a schedule stacked on the spec's lrDecay", () -> Optimizer.builder(RmsPropConfig.builder().lrDecay(0.1).build())
                        .size(1).schedule(Schedules.cosine(10, 0)).build(),
                        "schedule of group 'default' must be constant, since its spec already decays the learning rate "
                                + "\\(inverseTime\\(decay=0\\.1\\)\\).*got cosine\\(period=10, minLr=0\\.0\\)"),
                row("duplicate parameter name", () -> ParamLayout.builder().add("w", 2).add("w", 3),
                        "parameter name must be unique within the layout .*got 'w'"),
                row("negative dimension", () -> ParamLayout.builder().add("w", 2, -1),
                        "shape of 'w' must be dimensions >= 0, got \\[2, -1\\]"),
                row("unknown dtype", () -> Dtype.parse("float16"), "dtype must be one of float32, float64, got float16"),
                row("step schedule with step size 0", () -> Schedules.step(0, 0.5), "stepSize must be >= 1, got 0"),
                row("clip by norm 0", () -> Clipping.byGlobalNorm(0), "maxNorm must be a finite number > 0, got 0\\.0"),
                row("setting a negative learning rate", () -> twoParams().setLearningRate(-0.1),
                        "learningRate must be a finite number >= 0, got -0\\.1"),
                row("too many threads", () -> Optimizer.builder(SgdConfig.builder().build()).size(1).threads(100_000).build(),
                        "threads must be in 1\\.\\.256, got 100000"),
                row("a NaN in a state buffer", () -> twoParams().loadStateDict(withBuffer(twoParams().stateDict(), "rms/w/square_avg", 3, Double.NaN)),
                        "state buffer 'rms/w/square_avg' at index 3 must be a finite float32 value >= 0, got NaN"),
                row("a negative mean square", () -> twoParams().loadStateDict(withBuffer(twoParams().stateDict(), "rms/b/square_avg", 0, -1)),
                        "state buffer 'rms/b/square_avg' at index 0 must be a finite float32 value >= 0, got -1\\.0"),
                row("a value beyond float range", () -> twoParams().loadStateDict(withBuffer(twoParams().stateDict(), "rms/b/square_avg", 1, 1e300)),
                        "state buffer 'rms/b/square_avg' at index 1 must be a finite float32 value >= 0, got 1\\.0E300"),
                row("unknown group", () -> twoParams().learningRate("head"), "group must be one of \\[default\\], got 'head'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithAMessageNamingArgumentValueAndAcceptedRange(String what, Executable ex, String regex) {
        assertThatThrownBy(ex::execute).isInstanceOf(IllegalArgumentException.class).hasMessageMatching(regex);
    }

    @org.junit.jupiter.api.Test
    void aRefusedLoadLeavesTheOptimizerUnchanged() {
        Optimizer opt = twoParams();
        float[] p = {1, 2, 3, 4, 5, 6, 7, 8, 9}, g = {1, -1, 2, -2, 3, -3, 4, -4, 5};
        opt.step(p, g);
        StateDict before = opt.stateDict();
        Map<String, double[]> bad = new java.util.LinkedHashMap<>(before.buffers());
        bad.put("rms/b/square_avg", new double[2]);
        StateDict broken = new StateDict(StateDict.FORMAT_VERSION, "rmsprop", Dtype.FLOAT32, before.groups(), before.paramLengths(), bad);
        assertThatThrownBy(() -> opt.loadStateDict(broken)).hasMessageContaining("rms/b/square_avg");
        org.assertj.core.api.Assertions.assertThat(opt.stateDict()).isEqualTo(before);
    }
}
