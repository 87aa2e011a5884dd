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
        Optimizer o = Optimizer.builder(RmsPropConfig.builder().momentum(0.9).build()).size(300)
                .stateQuantization(StateQuantization.blockwise8(64)).build();
        float[] p = new float[300], g = new float[300];
        for (int i = 0; i < 300; i++) g[i] = (float) Math.sin(i);
        o.step(p, g);
        assertThatThrownBy(() -> StateTensors.of(o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("state must hold float buffers only (safetensors export of 8-bit state is not supported)")
                .hasMessageContaining("state.dequantize()");
        StateDict plain = o.stateDict().dequantize();
        SafeTensors st = StateTensors.of(plain, Dtype.FLOAT32, Map.of(), Map.of());
        assertThat(st.tensors()).containsKeys("rms/param/square_avg", "momentum/param/momentum_buffer");
    }
}
