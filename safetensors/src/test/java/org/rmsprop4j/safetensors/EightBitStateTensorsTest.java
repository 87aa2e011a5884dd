package org.rmsprop4j.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.optim.StateQuantization;

import org.junit.jupiter.api.Test;

/** 8-bit state is refused by the safetensors export with a message naming the way out; its dequantized form exports. */
class EightBitStateTensorsTest {

    @Test
    void eightBitStateIsRefusedAndItsDequantizedFormExports() {
        check(StateQuantization.blockwise8(64));
    }

    /** The same for the float8 maps: refused as 8-bit, and the dequantized values (decoded minifloats times scales) export exactly. */
    @Test
    void float8StateIsRefusedAndItsDequantizedFormExportsExactly() throws java.io.IOException {
        StateQuantization sq = StateQuantization.blockwise8(64).withFloat8Map();
        SafeTensors st = check(sq);
        SafeTensors back = SafeTensors.parse(st.toBytes(), "round trip");
        // the same run again: its mean squares, decoded, are what the file holds, bit for bit
        Optimizer o = Optimizer.builder(RmsPropConfig.builder().momentum(0.9).build()).size(300).stateQuantization(sq).build();
        float[] p = new float[300], g = new float[300];
        for (int i = 0; i < 300; i++) g[i] = (float) Math.sin(i);
        o.step(p, g);
        assertThat(o.stateDict().quantized().values()).allSatisfy(b -> assertThat(b.map()).startsWith("fp8-"));
        assertThat(back.tensor("rms/param/square_avg").toDoubles()).containsExactly(o.state("param", "square_avg"));
    }

    private static SafeTensors check(StateQuantization sq) {
        Optimizer o = Optimizer.builder(RmsPropConfig.builder().momentum(0.9).build()).size(300)
                .stateQuantization(sq).build();
        float[] p = new float[300], g = new float[300];
        for (int i = 0; i < 300; i++) g[i] = (float) Math.sin(i);
        o.step(p, g);
        assertThatThrownBy(() -> StateTensors.of(o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("state must hold float buffers only (safetensors export of 8-bit state is not supported)")
                .hasMessageContaining("state.dequantize()");
        StateDict plain = o.stateDict().dequantize();
        SafeTensors st = StateTensors.of(plain, Dtype.FLOAT32, Map.of(), Map.of());
        assertThat(st.tensors()).containsKeys("rms/param/square_avg", "momentum/param/momentum_buffer");
        return st;
    }
}
