package org.rmsprop4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StateDict#quantize}: float32 state converted to block-wise 8-bit is what the 8-bit optimizer
 * stores for that float state, bit for bit; 8-bit → float → 8-bit is the identity; bad inputs are refused.
 */
class StateConversionTest {

    private static Optimizer build(OptimizerSpec spec, StateQuantization q) {
        return Optimizer.builder(spec).layout(Blockwise8StateTest.layout()).stateQuantization(q).build();
    }

    /**
     * A float32 optimizer and an 8-bit one step on the same gradients from the same state (the float one loads
     * the 8-bit one's dequantized state before every step, so both start each step from the same values). One
     * 8-bit step is the float32 step followed by the coding, so converting the float optimizer's new state must
     * give exactly the 8-bit optimizer's codes and scales, for every family's signed and unsigned slots.
     */
    @ParameterizedTest
    @ValueSource(ints = {256, 2048})
    void convertedFloatStateIsWhatTheEightBitOptimizerStores(int blockSize) {
        for (OptimizerSpec spec : Blockwise8StateTest.specs()) {
            Optimizer f = build(spec, StateQuantization.none()), q = build(spec, StateQuantization.blockwise8(blockSize));
            int n = Blockwise8StateTest.layout().size();
            SplittableRandom r = new SplittableRandom(11);
            float[] pf = Blockwise8StateTest.randomGrads(r, n), pq = pf.clone();
            for (int step = 0; step < 4; step++) {
                f.loadStateDict(q.stateDict().dequantize());
                float[] g = Blockwise8StateTest.randomGrads(r, n);
                System.arraycopy(pq, 0, pf, 0, n);
                f.step(pf, g.clone());
                q.step(pq, g.clone());
                StateDict want = q.stateDict(), got = f.stateDict().quantize(want);
                assertThat(got.quantized().keySet()).as(spec.kind()).isEqualTo(want.quantized().keySet()).isNotEmpty();
                for (String k : want.quantized().keySet()) {
                    assertThat(got.quantized().get(k)).as(spec + " " + k + " step " + step).isEqualTo(want.quantized().get(k));
                }
                assertThat(got).as(spec.toString()).isEqualTo(want);
            }
            // what was converted loads into the 8-bit optimizer and steps on
            Optimizer q2 = build(spec, StateQuantization.blockwise8(blockSize));
            q2.loadStateDict(f.stateDict().quantize(q2.stateDict()));
            assertThat(q2.stateDict()).isEqualTo(q.stateDict());
        }
    }

    /**
     * 8-bit → float → 8-bit gives back the same codes and scales in every block whose largest value is
     * +scale (every unsigned block); a signed block whose largest magnitude is negative dequantizes to
     * less than its scale (the signed map's lowest entry is above −1, as bitsandbytes'), so it is coded
     * again with that smaller scale.
     */
    @Test
    void eightBitToFloatAndBackIsTheIdentityWhereTheScaleIsAValue() {
        Optimizer q = build(RmsPropConfig.builder().momentum(0.9).build(), StateQuantization.blockwise8(256));
        int n = Blockwise8StateTest.layout().size();
        SplittableRandom r = new SplittableRandom(3);
        float[] p = Blockwise8StateTest.randomGrads(r, n);
        for (int i = 0; i < 3; i++) q.step(p, Blockwise8StateTest.randomGrads(r, n));
        StateDict s8 = q.stateDict();
        StateDict back = s8.dequantize().quantize(s8);
        assertThat(back.formatVersion()).isEqualTo(StateDict.FORMAT_VERSION);
        assertThat(back.groups()).isEqualTo(s8.groups());
        int same = 0, rescaled = 0;
        for (String k : s8.quantized().keySet()) {
            StateDict.Quantized a = s8.quantized().get(k), b = back.quantized().get(k);
            if (a.map().equals(StateDict.Quantized.MAP_UNSIGNED)) assertThat(b).as(k).isEqualTo(a);
            double[] v = a.dequantize();
            byte[] ca = a.codes(), cb = b.codes();
            for (int blk = 0; blk < a.absmax().length; blk++) {
                int from = blk * 256, to = Math.min(v.length, from + 256);
                double max = 0;
                for (int i = from; i < to; i++) max = Math.max(max, v[i]);
                if (max == a.absmax()[blk]) {
                    assertThat(b.absmax()[blk]).isEqualTo(a.absmax()[blk]);
                    for (int i = from; i < to; i++) if (cb[i] != ca[i]) assertThat(cb[i]).as(k + "[" + i + "]").isEqualTo(ca[i]);
                    same++;
                } else {
                    assertThat(b.absmax()[blk]).as(k + " block " + blk).isLessThan(a.absmax()[blk]);
                    rescaled++;
                }
            }
        }
        assertThat(same).isGreaterThan(10);
        assertThat(rescaled).as("signed blocks led by a negative value").isPositive();
    }

    /**
     * An independent oracle: scale = largest magnitude (plain loop), code = the binary search over midpoints, and Adam's
     * first moment coded as 0 where its second moment's code is 0 (the guard, {@code QuantizedState.ADAM_GUARD_PROPERTY}).
     */
    @Test
    void codingFollowsTheMapsReferenceSearch() {
        Optimizer f = build(AdamConfig.builder().build(), StateQuantization.none());
        Optimizer q = build(AdamConfig.builder().build(), StateQuantization.blockwise8(64));
        int n = Blockwise8StateTest.layout().size();
        SplittableRandom r = new SplittableRandom(5);
        float[] p = Blockwise8StateTest.randomGrads(r, n);
        for (int i = 0; i < 2; i++) f.step(p, Blockwise8StateTest.randomGrads(r, n));
        StateDict fs = f.stateDict(), qs = fs.quantize(q.stateDict());
        Map<String, int[]> wanted = new java.util.HashMap<>();
        for (Map.Entry<String, StateDict.Quantized> e : qs.quantized().entrySet()) {
            double[] v = fs.buffer(e.getKey());
            StateDict.Quantized b = e.getValue();
            QuantMap map = QuantMap.named(b.map());
            assertThat(map).isSameAs(e.getKey().endsWith("exp_avg") ? QuantMap.SIGNED : QuantMap.UNSIGNED);
            float[] absmax = b.absmax();
            int[] want = new int[v.length];
            for (int k = 0; k < absmax.length; k++) {
                float a = 0f;
                for (int i = k * 64; i < Math.min(v.length, (k + 1) * 64); i++) a = Math.max(a, Math.abs((float) v[i]));
                assertThat(absmax[k]).isEqualTo(a);
                for (int i = k * 64; i < Math.min(v.length, (k + 1) * 64); i++) want[i] = a == 0f ? map.zero : map.codeBySearch((float) v[i] * (1f / a));
            }
            wanted.put(e.getKey(), want);
        }
        int checked = 0, guarded = 0;
        for (Map.Entry<String, StateDict.Quantized> e : qs.quantized().entrySet()) {
            int[] want = wanted.get(e.getKey());
            if (e.getKey().endsWith("/exp_avg")) {
                int[] second = wanted.get(e.getKey() + "_sq");
                for (int i = 0; i < want.length; i++) {
                    if (second[i] == QuantMap.UNSIGNED.zero && want[i] != QuantMap.SIGNED.zero) {
                        want[i] = QuantMap.SIGNED.zero;
                        guarded++;
                    }
                }
            }
            byte[] codes = e.getValue().codes();
            for (int i = 0; i < want.length; i++) {
                if ((codes[i] & 0xff) != want[i]) assertThat(codes[i] & 0xff).as(e.getKey() + "[" + i + "]").isEqualTo(want[i]);
                checked++;
            }
        }
        assertThat(guarded).as("first moments the guard stores as 0").isPositive();
        assertThat(checked).isGreaterThan(2 * n - 1);
    }

    @Test
    void refusalsNameTheProblem() {
        StateDict like = build(RmsPropPreset.PYTORCH.config(), StateQuantization.blockwise8(256)).stateDict();
        StateDict floatState = build(RmsPropPreset.PYTORCH.config(), StateQuantization.none()).stateDict();
        // float64: 8-bit state is float32 only
        StateDict f64 = Optimizer.builder(RmsPropPreset.PYTORCH.config()).layout(Blockwise8StateTest.layout()).dtype(Dtype.FLOAT64).build().stateDict();
        assertThatThrownBy(() -> f64.quantize(like)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state dtype").hasMessageContaining("float64").hasMessageContaining("float32");
        // centered RMSprop: its grad_avg has no 8-bit counterpart (8-bit optimizers refuse centered)
        StateDict centered = build(RmsPropConfig.builder().centered(true).build(), StateQuantization.none()).stateDict();
        assertThatThrownBy(() -> centered.quantize(like)).hasMessageContaining("grad_avg").hasMessageContaining("centered");
        assertThatThrownBy(() -> build(RmsPropConfig.builder().centered(true).build(), StateQuantization.blockwise8(256)))
                .hasMessageContaining("centered");
        // like must be 8-bit, of the same family; this must be float
        assertThatThrownBy(() -> floatState.quantize(floatState)).hasMessageContaining("like").hasMessageContaining("without 8-bit buffers");
        assertThatThrownBy(() -> like.quantize(like)).hasMessageContaining("8-bit already");
        StateDict adam = build(AdamConfig.builder().build(), StateQuantization.blockwise8(256)).stateDict();
        assertThatThrownBy(() -> floatState.quantize(adam)).hasMessageContaining("like kind");
        // a momentum buffer the target does not keep
        StateDict withMomentum = build(RmsPropConfig.builder().momentum(0.9).build(), StateQuantization.none()).stateDict();
        assertThatThrownBy(() -> withMomentum.quantize(like)).hasMessageContaining("momentum_buffer");
        StateDict likeMomentum = build(RmsPropConfig.builder().momentum(0.9).build(), StateQuantization.blockwise8(256)).stateDict();
        assertThatThrownBy(() -> floatState.quantize(likeMomentum)).hasMessageContaining("no buffer").hasMessageContaining("momentum_buffer");
        // values: non-finite anywhere, negative in a mean square
        String key = floatState.bufferKeys().iterator().next();
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1e-3}) {
            Map<String, double[]> b = new LinkedHashMap<>(floatState.buffers());
            b.get(key)[5] = bad;
            StateDict s = new StateDict(floatState.formatVersion(), floatState.kind(), floatState.dtype(), floatState.groups(),
                    floatState.paramLengths(), b);
            assertThatThrownBy(() -> s.quantize(like)).hasMessageContaining("value 5 of state buffer '" + key + "'")
                    .hasMessageContaining(String.valueOf(bad));
        }
    }
}
