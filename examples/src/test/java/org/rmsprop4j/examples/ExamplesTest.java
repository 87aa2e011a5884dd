package org.rmsprop4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Runs every example, as the README shows them. */
class ExamplesTest {

    @Test
    void customTransformResumesToTheSameBitsAndLearns() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status = CustomTransform.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        assertThat(out).contains("bit-identical").contains("spike=spike_clip(decay=0.9, k=3.0)");
        double[] p = {-2, -2}, g = new double[2];
        double start = CustomTransform.lossAndGradient(p, g);
        double end = CustomTransform.train(CustomTransform.optimizer(), p, 500);
        assertThat(end).as("the neuron learns").isLessThan(start / 10);
    }

    @Test
    void theCustomTransformRefusesBadSettings() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CustomTransform.SpikeClip(1.0, 3))
                .hasMessage("decay must be in [0, 1), got 1.0");
    }
}
