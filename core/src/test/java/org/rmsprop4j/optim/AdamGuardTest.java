package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Adam's first-moment guard on 8-bit state ({@code QuantizedState.ADAM_GUARD_PROPERTY}): wherever the second moment (and
 * AMSGrad's maximum) is stored as 0, the first moment is stored as 0, so a weight whose second moment fell under its
 * block's smallest map entry cannot step by {@code lr·m̂/eps}. Checked on both maps, vector and scalar loops, the fused
 * float8 pass and the unfused one, blocks of 256 and 2,048, with and without AMSGrad; and, with the guard turned off,
 * that the situation it guards against does happen (so the checks can fail).
 */
class AdamGuardTest {

    static final int N = 4096;
    static final double LR = 1e-3;

    /** Parameters after two steps: step 1 gives value 0 of each block a gradient of 1 and the rest 1e-4; step 2 gives the rest 0. */
    record Run(float[] afterFirst, float[] afterSecond, StateDict state) {}

    static Run run(OptimizerSpec spec, StateQuantization q, Map<String, String> props) {
        Optimizer o = build(spec, q, props);
        float[] p = new float[N], g = new float[N];
        int bs = q.quantized() ? q.blockSize() : 2048;
        for (int i = 0; i < N; i++) g[i] = i % bs == 0 ? 1f : 1e-4f;
        o.step(p, g);
        float[] first = p.clone();
        for (int i = 0; i < N; i++) g[i] = i % bs == 0 ? 1f : 0f;
        o.step(p, g);
        return new Run(first, p, o.stateDict());
    }

    static List<StateQuantization> quantizations() {
        List<StateQuantization> qs = new ArrayList<>();
        for (int block : new int[] {256, 2048}) {
            qs.add(StateQuantization.blockwise8(block));
            qs.add(StateQuantization.blockwise8(block).withFloat8Map());
            qs.add(StateQuantization.blockwise8(block).withFloat8Map().withUnbiasedRounding());
        }
        return qs;
    }

    static List<OptimizerSpec> specs() {
        return List.of(AdamConfig.builder().learningRate(LR).build(), AdamConfig.adamW().learningRate(LR).build(),
                AdamConfig.builder().learningRate(LR).amsgrad(true).build());
    }

    static List<Map<String, String>> loops(boolean guard) {
        String g = String.valueOf(guard);
        List<Map<String, String>> out = new ArrayList<>();
        out.add(Map.of(QuantizedState.ADAM_GUARD_PROPERTY, g, QuantizedState.VECTOR_PROPERTY, "false"));
        if (org.rmsprop4j.kernel.Blockwise8.vectorAvailable()) {
            out.add(Map.of(QuantizedState.ADAM_GUARD_PROPERTY, g, QuantizedState.VECTOR_PROPERTY, "true", QuantizedState.FUSED_ADAM_PROPERTY, "true"));
            out.add(Map.of(QuantizedState.ADAM_GUARD_PROPERTY, g, QuantizedState.VECTOR_PROPERTY, "true", QuantizedState.FUSED_ADAM_PROPERTY, "false"));
        }
        return out;
    }

    /**
     * The weights with the tiny gradient: float32 state moves them by about {@code 0.67·lr} in step 2 (the first moment
     * decays, the second moment keeps it bounded). With the guard, the 8-bit state stores their second moment as 0 and so
     * their first moment as 0: step 2 does not move them (AdamW's decay aside). Without it, they move by {@code lr·m̂/eps},
     * thousands of times more.
     */
    @Test
    void aSecondMomentStoredAsZeroDoesNotLetTheFirstMomentStepAlone() {
        for (OptimizerSpec spec : specs()) {
            Run f32 = run(spec, StateQuantization.none(), Map.of());
            double reference = Math.abs(f32.afterSecond()[1] - f32.afterFirst()[1]);
            assertThat(reference).as("float32 step 2, " + spec).isBetween(0.3 * LR, LR);
            for (StateQuantization q : quantizations()) {
                for (Map<String, String> props : loops(true)) {
                    Run r = run(spec, q, props);
                    String what = spec + " " + q.label() + " " + props;
                    for (int i = 0; i < N; i++) {
                        if (i % q.blockSize() == 0) continue;
                        assertThat((double) Math.abs(r.afterSecond()[i] - r.afterFirst()[i])).as("step 2 of value %d, %s", i, what).isLessThanOrEqualTo(LR);
                    }
                    assertGuarded(r.state(), true, what);
                }
                for (Map<String, String> props : loops(false)) {
                    Run r = run(spec, q, props);
                    String what = "guard off, " + spec + " " + q.label() + " " + props;
                    double moved = Math.abs(r.afterSecond()[1] - r.afterFirst()[1]);
                    System.out.printf("step 2 of value 1: %.5f (float32 state %.5f), %s%n", moved, reference, what);
                    assertThat(moved).as("step 2 of value 1, %s", what).isGreaterThan(100 * LR);
                    assertGuarded(r.state(), false, what);
                }
            }
        }
    }

    /**
     * Over the random run of {@link Float8AdamTest} (gradients over 28 decades, zeros, subnormals, NaN, huge values), on
     * both maps: every first-moment code whose second moment (and maximum) codes to 0 is 0; with the guard off, some are not.
     */
    @Test
    void theStoredStateKeepsNoFirstMomentWithoutASecond() {
        for (OptimizerSpec spec : specs()) {
            for (StateQuantization q : List.of(StateQuantization.blockwise8(256), StateQuantization.blockwise8(256).withFloat8Map())) {
                for (boolean guard : new boolean[] {true, false}) {
                    String was = System.setProperty(QuantizedState.ADAM_GUARD_PROPERTY, String.valueOf(guard));
                    try {
                        for (int threads = 1; threads <= 2; threads++) {
                            Float8AdamTest.Run r = Float8AdamTest.run(spec, q, threads, org.rmsprop4j.kernel.Blockwise8.vectorAvailable(), true);
                            assertGuarded(r.state(), guard, spec + " " + q.label() + " guard " + guard + " threads " + threads);
                        }
                    } finally {
                        if (was == null) System.clearProperty(QuantizedState.ADAM_GUARD_PROPERTY);
                        else System.setProperty(QuantizedState.ADAM_GUARD_PROPERTY, was);
                    }
                }
            }
        }
    }

    /**
     * With {@code guarded}: no value's first moment is stored non-zero where its second moment (and maximum) is stored as
     * 0. Without: at least one is (the situation exists, so the check above can fail).
     */
    static void assertGuarded(StateDict state, boolean guarded, String what) {
        int unguarded = 0, checked = 0;
        for (String key : state.quantized().keySet()) {
            if (!key.endsWith(AdamConfig.EXP_AVG)) continue;
            String base = key.substring(0, key.length() - AdamConfig.EXP_AVG.length());
            StateDict.Quantized m = state.quantized().get(key), v = state.quantized().get(base + AdamConfig.EXP_AVG_SQ);
            StateDict.Quantized w = state.quantized().getOrDefault(base + AdamConfig.MAX_EXP_AVG_SQ, v);
            QuantMap mm = QuantMap.named(m.map()), vm = QuantMap.named(v.map()), wm = QuantMap.named(w.map());
            byte[] mc = m.codesView(), vc = v.codesView(), wc = w.codesView();
            float[] ms = m.absmaxView();
            for (int i = 0; i < mc.length; i++) {
                float scale = ms[i / m.blockSize()];
                if (Float.isNaN(scale) || scale == 0f) continue;
                checked++;
                if ((vc[i] & 0xff) == vm.zero && (wc[i] & 0xff) == wm.zero && (mc[i] & 0xff) != mm.zero) unguarded++;
            }
        }
        assertThat(checked).as("first-moment values checked, " + what).isPositive();
        if (guarded) assertThat(unguarded).as("first moments kept without a second moment, " + what).isZero();
        else assertThat(unguarded).as("first moments kept without a second moment, " + what).isPositive();
    }

    /**
     * The guard's byte loop (eight codes per {@code long}) equals the plain per-byte rule on every zero code a map has
     * (0, 127) and some it has not (0x80, 0xff: a byte's sign bit; 1), at offsets and lengths around the eight-byte steps,
     * on codes that are often zero and often one off.
     */
    @Test
    void theGuardLoopEqualsThePlainRule() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        int[] zeros = {0, 127, 0x80, 0xff, 1};
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + r.nextInt(300), off = r.nextInt(70), len = r.nextInt(n + 1);
            if (off + len > n + 70) len = n + 70 - off;
            byte mz = (byte) zeros[r.nextInt(zeros.length)], vz = (byte) zeros[r.nextInt(zeros.length)], wz = (byte) zeros[r.nextInt(zeros.length)];
            byte[] m = new byte[n + 70], v = new byte[n + 70], w = new byte[n + 70];
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) r.nextInt(256);
                v[i] = r.nextInt(3) == 0 ? vz : (byte) (vz + r.nextInt(-2, 3));
                w[i] = r.nextInt(3) == 0 ? wz : (byte) (wz + r.nextInt(-2, 3));
            }
            byte[] got = m.clone(), want = m.clone();
            for (int i = off; i < off + len; i++) if (v[i] == vz && w[i] == wz) want[i] = mz;
            org.rmsprop4j.kernel.Blockwise8.zeroWhereBothZero(got, mz, v, vz, w, wz, off, len);
            assertThat(got).as("trial " + trial + ", off " + off + ", len " + len).containsExactly(want);
        }
    }

    /**
     * State saved without the guard (an older file, or the property off) is guarded when it is loaded: the first step after
     * the load does not move the weights with the tiny gradient, and the loaded state keeps no first moment without a second.
     * An optimizer built with the guard off loads it as it is.
     */
    @Test
    void stateSavedWithoutTheGuardIsGuardedWhenLoaded() {
        for (StateQuantization q : List.of(StateQuantization.blockwise8(256), StateQuantization.blockwise8(256).withFloat8Map())) {
            OptimizerSpec spec = AdamConfig.builder().learningRate(LR).build();
            Map<String, String> off = Map.of(QuantizedState.ADAM_GUARD_PROPERTY, "false");
            Optimizer unguarded = build(spec, q, off);
            float[] p = new float[N], g = new float[N];
            for (int i = 0; i < N; i++) g[i] = i % 256 == 0 ? 1f : 1e-4f;
            unguarded.step(p, g);
            StateDict saved = unguarded.stateDict();
            assertGuarded(saved, false, "saved without the guard, " + q.label());
            Optimizer guarded = build(spec, q, Map.of());
            guarded.loadStateDict(saved);
            assertGuarded(guarded.stateDict(), true, "loaded with the guard, " + q.label());
            Optimizer stillOff = build(spec, q, off);
            stillOff.loadStateDict(saved);
            assertThat(stillOff.stateDict()).as("loaded with the guard off").isEqualTo(saved);
            for (int i = 0; i < N; i++) g[i] = i % 256 == 0 ? 1f : 0f;
            float[] before = p.clone();
            guarded.step(p, g);
            for (int i = 1; i < N; i++) {
                if (i % 256 != 0) assertThat((double) Math.abs(p[i] - before[i])).as("first step after the load, value %d, %s", i, q.label()).isLessThanOrEqualTo(LR);
            }
        }
    }

    static Optimizer build(OptimizerSpec spec, StateQuantization q, Map<String, String> props) {
        Map<String, String> old = new HashMap<>();
        props.forEach((k, v) -> old.put(k, System.setProperty(k, v)));
        try {
            return Optimizer.builder(spec).size(N).stateQuantization(q).build();
        } finally {
            old.forEach((k, v) -> { if (v == null) System.clearProperty(k); else System.setProperty(k, v); });
        }
    }
}
