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

    /** Each tagged region of the example appears in the README verbatim (dedented), so the README cannot drift. */
    @Test
    void theReadmeQuotesTheExampleAsItIs() throws Exception {
        String src = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/java/org/rmsprop4j/examples/CustomTransform.java"));
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        var m = java.util.regex.Pattern.compile("// tag::(\\w+)\\[\\]\n(.*?)\n\\s*// end::\\1\\[\\]", java.util.regex.Pattern.DOTALL).matcher(src);
        int regions = 0;
        while (m.find()) {
            String[] lines = m.group(2).split("\n");
            int indent = Integer.MAX_VALUE;
            for (String l : lines) if (!l.isBlank()) indent = Math.min(indent, l.length() - l.stripLeading().length());
            StringBuilder b = new StringBuilder();
            for (String l : lines) b.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
            assertThat(readme).as("README quotes region " + m.group(1)).contains("```java\n" + b + "```");
            regions++;
        }
        assertThat(regions).isEqualTo(3);
    }

    @Test
    void theCustomTransformRefusesBadSettings() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CustomTransform.SpikeClip(1.0, 3))
                .hasMessage("decay must be in [0, 1), got 1.0");
    }
}
