package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fused kernels against their chains (PyTorch's for-loop vs foreach test): every preset and family,
 * float32 and float64, with a constant rate and with a schedule. The fused path is the one proven
 * against recorded framework runs (testkit); the chain runs the same operations member by member,
 * in another order ({@code lr·(g/d)} instead of {@code (lr·g)/d}, decoupled decay added to the update
 * instead of applied to θ first), so the two agree to rounding, not to the bit. The bound: over 100
 * steps of random gradients on 64 parameters of unit scale, no parameter or state value may differ by
 * more than {@value #MAX_EPS} machine epsilons of its dtype, relative to the value or to 1, whichever
 * is larger (ULP counts mean little here: parameters cross zero, where one ULP is tiny). Measured worst:
 * 38 (AdamW float32, decoupled decay); 83 of 91 cases 0–5.
 */
class ChainParityTest {
    static final double MAX_EPS = 64;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<OptimizerSpec> specs = new ArrayList<>();
        for (RmsPropPreset p : RmsPropPreset.values()) specs.add(p.config());
        specs.add(RmsPropConfig.builder().centered(true).momentum(0.9).nesterov(true).weightDecay(0.01).maximize(true).build());
        specs.add(RmsPropPreset.KERAS.config().toBuilder().momentum(0.5).weightDecay(0.01).build());
        specs.add(RmsPropPreset.OPTAX.config().toBuilder().biasCorrection(true).momentum(0.9).nesterov(true).build());
        specs.add(RmsPropPreset.MXNET.config().toBuilder().gradientScale(0.5).clipGradient(0.3).weightDecay(0.1).build());
        specs.add(SgdConfig.builder().learningRate(0.05).momentum(0.9).dampening(0.1).weightDecay(0.01).build());
        specs.add(SgdConfig.builder().learningRate(0.05).momentum(0.9).nesterov(true).maximize(true).build());
        specs.add(AdagradConfig.builder().lrDecay(0.01).initialAccumulator(0.1).build());
        specs.add(AdadeltaConfig.builder().weightDecay(0.01).build());
        specs.add(AdamConfig.builder().amsgrad(true).weightDecay(0.01).build());
        specs.add(AdamConfig.adamW().build());
        for (OptimizerSpec s : specs) {
            for (Dtype d : Dtype.values()) {
                // Keras and TF1 narrow the learning rate (TF1: every hyper-parameter) through float32, also in float64
                if (d == Dtype.FLOAT64 && s instanceof RmsPropConfig c && EnumSet.of(Arithmetic.KERAS_3, Arithmetic.KERAS_3_GRAPH,
                        Arithmetic.KERAS_3_XLA, Arithmetic.TF1).contains(c.arithmetic())) continue;
                out.add(Arguments.of(s.describe(), s, d, false));
                if (s.impliedSchedule() == null) out.add(Arguments.of(s.describe(), s, d, true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2} schedule={3}")
    @MethodSource("cases")
    void theFusedKernelAndTheChainAgreeToRounding(String name, OptimizerSpec spec, Dtype dtype, boolean schedule) {
        ParamLayout layout = ParamLayout.builder().add("w", 8, 7).add("b", 8).build();
        // a preset with another framework's arithmetic runs its profile on the chain path; it is held to the
        // same bound against the fused kernel of the same knobs in PyTorch 1.13's order
        boolean profile = spec instanceof RmsPropConfig rc && rc.arithmetic() != Arithmetic.PYTORCH_1_13;
        OptimizerSpec fusedSpec = profile ? ((RmsPropConfig) spec).toBuilder().arithmetic(Arithmetic.PYTORCH_1_13).build() : spec;
        Optimizer.Builder fb = Optimizer.builder(fusedSpec).layout(layout).dtype(dtype);
        Optimizer.Builder cb = Optimizer.builder(spec).layout(layout).dtype(dtype).fused(false);
        if (schedule) {
            fb.schedule(Schedules.linearWarmup(10, Schedules.cosine(90, 1e-4)));
            cb.schedule(Schedules.linearWarmup(10, Schedules.cosine(90, 1e-4)));
        }
        Optimizer fused = fb.build(), chain = cb.build();
        assertThat(fused.isFused("default")).as("the lowering covers %s", name).isTrue();
        assertThat(chain.isFused("default")).isFalse();
        Random r = new Random(7);
        int n = layout.size();
        double[] pf = new double[n], pc = new double[n];
        float[] ff = new float[n], fc = new float[n];
        for (int i = 0; i < n; i++) {
            pf[i] = pc[i] = r.nextGaussian();
            ff[i] = fc[i] = (float) pf[i];
        }
        long worst = 0;
        for (int t = 0; t < 100; t++) {
            double[] g = new double[n];
            float[] gf = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = r.nextGaussian() * (i % 5 == 0 ? 1e-3 : 1);
                gf[i] = (float) g[i];
            }
            if (dtype == Dtype.FLOAT32) {
                fused.step(ff, gf.clone());
                chain.step(fc, gf.clone());
                for (int i = 0; i < n; i++) worst = Math.max(worst, check(ff[i], fc[i], "param " + i + " after step " + (t + 1)));
            } else {
                fused.step(pf, g.clone());
                chain.step(pc, g.clone());
                for (int i = 0; i < n; i++) worst = Math.max(worst, check(pf[i], pc[i], "param " + i + " after step " + (t + 1)));
            }
        }
        StateDict a = fused.stateDict(), b = chain.stateDict();
        // a profile is one transform ("rms/<param>/<slot>" for every slot); TF1, TF.js and Tribuo keep more slots
        java.util.function.UnaryOperator<String> local = k -> profile ? k.substring(k.indexOf('/') + 1) : k;
        java.util.Map<String, String> chainKeys = new java.util.LinkedHashMap<>();
        for (String k : b.bufferKeys()) chainKeys.put(local.apply(k), k);
        if (profile) assertThat(chainKeys.keySet()).containsAll(a.bufferKeys().stream().map(local).toList());
        else assertThat(b.bufferKeys()).containsExactlyElementsOf(a.bufferKeys());
        for (String k : a.bufferKeys()) {
            double[] x = a.buffer(k), y = b.buffer(chainKeys.get(local.apply(k)));
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, dtype == Dtype.FLOAT32 ? check((float) x[i], (float) y[i], k + "[" + i + "]") : check(x[i], y[i], k + "[" + i + "]"));
            }
        }
        System.out.printf("chain vs fused: %-70s %s schedule=%s worst %d eps%n", name, dtype.label(), schedule, worst);
    }

    /** The difference in units of ε_mach relative to max(|a|, 1); fails above {@link #MAX_EPS}. */
    private static long check(float a, float b, String where) {
        double units = Math.abs((double) a - b) / Math.max(1, Math.abs(a)) / Math.ulp(1f);
        assertThat(units).as("%s: fused %s, chain %s", where, a, b).isLessThanOrEqualTo(MAX_EPS);
        return (long) Math.ceil(units);
    }

    private static long check(double a, double b, String where) {
        double units = Math.abs(a - b) / Math.max(1, Math.abs(a)) / Math.ulp(1.0);
        assertThat(units).as("%s: fused %s, chain %s", where, a, b).isLessThanOrEqualTo(MAX_EPS);
        return (long) Math.ceil(units);
    }

}
