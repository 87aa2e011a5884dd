package org.rmsprop4j.train.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bad {@code -Drmsprop4j.vector.bits} stops the MLP's float32 path with core's one-line error, with and without the
 * Vector API module, every time it is asked (before, training quietly ran the scalar loops).
 */
class BadVectorWidthTest {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theFloat32PathRefusesABadWidth(boolean module) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        if (module) command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of("-Drmsprop4j.vector.bits=384", "-cp", System.getProperty("java.class.path"), Fork.class.getName()));
        Process fork = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(fork.waitFor(60, TimeUnit.SECONDS)).as("the forked JVM ends").isTrue();
        String out = new String(fork.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String refused = "java.lang.IllegalArgumentException: -Drmsprop4j.vector.bits must be 256 or 512, got \"384\"";
        assertThat(out.split("\n")).as(out).containsExactly(refused, refused);
    }

    /** Asks a small MLP for its float32 batch twice, printing what it throws (or that it returned). */
    public static final class Fork {
        public static void main(String[] args) {
            Mlp mlp = new Mlp(5, new int[] {4}, 3, Activation.RELU, 0);
            for (int k = 0; k < 2; k++) {
                try {
                    mlp.newBatch32(8, 4, 2);
                    System.out.println("returned a batch");
                } catch (Throwable t) {
                    System.out.println(t);
                }
            }
        }
    }
}
