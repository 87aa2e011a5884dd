package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Schedules are data, state snapshots are really immutable, records cannot be built invalid, one parser. */
class ScheduleAndStateContractTest {

    /** A schedule of the user's own, named with its parameters. */
    record Halving(long every) implements Schedule.Custom {
        @Override public String name() { return "halving"; }

        @Override public Map<String, Object> parameters() { return Map.of("every", every); }

        @Override public double learningRate(double baseLr, long step) { return baseLr * Math.pow(0.5, step / every); }
    }

    @Test
    void schedulesDescribeThemselvesAndAreSavedWithTheState() {
        assertThat(Schedules.linearWarmup(10, Schedules.cosine(100, 0.0)).describe())
                .isEqualTo("warmup(steps=10, then=cosine(period=100, minLr=0.0))");
        Optimizer opt = Optimizer.builder(RmsPropPreset.KERAS.config()).size(2).schedule(new Halving(3)).build();
        assertThat(opt.stateDict().groups().get(0).schedule()).isEqualTo("halving(every=3)");
        assertThat(Optimizer.of(RmsPropPreset.TRIBUO.config().toBuilder().lrDecay(0.1).build(), 1).stateDict().groups().get(0).schedule())
                .isEqualTo("inverseTime(decay=0.1)");
    }

    @Test
    void aLambdaScheduleRunsButIsRefusedWhenTheStateIsSaved() {
        Optimizer opt = Optimizer.builder(RmsPropPreset.KERAS.config()).size(2).schedule((lr, t) -> lr / (t + 1)).build();
        opt.step(new float[2], new float[] {1, 1});
        assertThatThrownBy(opt::stateDict).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the schedule of group 'default'").hasMessageContaining("cannot be saved")
                .hasMessageContaining("Schedule.Custom");
    }

    @Test
    void aStateSavedUnderOneScheduleIsRefusedByAnOptimizerWithAnother() {
        Optimizer a = Optimizer.builder(RmsPropPreset.KERAS.config()).size(2).schedule(Schedules.cosine(100, 0)).build();
        Optimizer b = Optimizer.builder(RmsPropPreset.KERAS.config()).size(2).schedule(Schedules.cosine(200, 0)).build();
        a.step(new float[2], new float[] {1, 1});
        StateDict before = b.stateDict();
        assertThatThrownBy(() -> b.loadStateDict(a.stateDict()))
                .hasMessage("schedule of group 'default' in state must be 'cosine(period=200, minLr=0.0)' (this optimizer's schedule), "
                        + "got 'cosine(period=100, minLr=0.0)'");
        assertThat(b.stateDict()).isEqualTo(before);
        Optimizer c = Optimizer.builder(RmsPropPreset.KERAS.config()).size(2).schedule(Schedules.cosine(100, 0)).build();
        c.loadStateDict(a.stateDict());
        assertThat(c.steps()).isEqualTo(1);
    }

    @Test
    void aStateDictHandsOutCopiesOnly() {
        Optimizer opt = Optimizer.of(RmsPropPreset.PYTORCH.config(), 3);
        opt.step(new float[3], new float[] {1, 2, 3});
        StateDict sd = opt.stateDict();
        double[] first = sd.buffers().get("rms/param/square_avg");
        first[0] = 42;
        sd.buffer("rms/param/square_avg")[1] = 42;
        Map<String, double[]> in = new LinkedHashMap<>(sd.buffers());
        StateDict copy = new StateDict(sd.formatVersion(), sd.kind(), sd.dtype(), sd.groups(), sd.paramLengths(), in);
        in.get("rms/param/square_avg")[2] = 42;
        assertThat(sd.buffer("rms/param/square_avg")).doesNotContain(42.0);
        assertThat(copy).isEqualTo(sd);
        assertThatThrownBy(() -> sd.buffers().put("x", new double[0])).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recordsCannotBeBuiltInvalidThroughTheirConstructors() {
        assertThatThrownBy(() -> new Clipping.ByValue(-1.0)).hasMessage("limit must be a finite number > 0, got -1.0");
        assertThatThrownBy(() -> new Clipping.ByGlobalNorm(Double.NaN)).hasMessage("maxNorm must be a finite number > 0, got NaN");
        assertThatThrownBy(() -> new ParamLayout.Param("x", new int[] {2}, -7, 99)).hasMessage("offset of 'x' must be >= 0, got -7");
        assertThatThrownBy(() -> new ParamLayout.Param("x", new int[] {2}, 0, 99))
                .hasMessage("length of 'x' must be the product of its shape [2], 2, got 99");
        assertThatThrownBy(() -> ParamLayout.builder().add("w", 65536, 65536, 65536, 65536))
                .hasMessageContaining("shape of 'w' must be at most 2147483639 elements in all, got [65536, 65536, 65536, 65536]");
        assertThat(ParamLayout.builder().add("w", 65536, 65536, 65536, 0).build().size()).isZero();
        assertThatThrownBy(() -> new Schedule.Cosine(0, 0)).hasMessage("period must be >= 1, got 0");
        assertThatThrownBy(() -> new StateDict.GroupState("g", -1, 0.1, Map.of())).hasMessage("step of group 'g' must be >= 0, got -1");
    }

    @Test
    void theOneParserNamesTheSettingAndKeepsPresetDefaults() {
        assertThat(OptimizerSpecs.fromSettings("rmsprop", Map.of("preset", "keras", "lr", "0.01")))
                .isEqualTo(RmsPropPreset.KERAS.config().withLearningRate(0.01));
        assertThat(OptimizerSpecs.fromSettings("adadelta", Map.of("rho", "0.5"))).isEqualTo(AdadeltaConfig.builder().rho(0.5).build());
        assertThat(OptimizerSpecs.parse("rmsprop:preset=graves").label()).isEqualTo("rmsprop-graves");
        SettingException e = org.junit.jupiter.api.Assertions.assertThrows(SettingException.class,
                () -> OptimizerSpecs.fromSettings("rmsprop", Map.of("lr", "-0.01")));
        assertThat(e.key()).isEqualTo("lr");
        assertThat(e.getMessage()).isEqualTo("lr must be a finite number >= 0, got -0.01");
        assertThatThrownBy(() -> OptimizerSpecs.fromSettings("sgd", Map.of("foo", "1")))
                .hasMessage("foo is not a setting of sgd; accepted: lr, momentum, dampening, nesterov, weight_decay, maximize, arithmetic");
        assertThatThrownBy(() -> OptimizerSpecs.fromSettings("rmsprop", Map.of("decay", "1f")))
                .hasMessage("decay must be a finite decimal number, got '1f'");
        assertThat(Flavors.spec("rmsprop", "dl4j", Map.of("epsilon", 1e-6)))
                .isEqualTo(RmsPropPreset.DL4J.config().toBuilder().eps(1e-6).initialMeanSquare(1e-6).build());
        assertThatThrownBy(() -> Flavors.spec("rmsprop", "keras", Map.of("rho", 2.0)))
                .hasMessageStartingWith("hyper.rho must be in [0.0, 1.0), got 2.0");
    }
}
