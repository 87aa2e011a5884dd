package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code train --shared-threads K} and {@code bench --shared}: the asynchronous mode from the command line. */
class SharedThreadsOptionTest {

    static Stream<Arguments> refused() {
        return Stream.of(Arguments.of("--shared-threads must be in 1..256, got 0", new String[] {"train", "iris", "--shared-threads", "0"}),
                Arguments.of("--shared-threads must be in 1..256, got 300", new String[] {"train", "iris", "--shared-threads", "300"}),
                Arguments.of("--threads and --shared-threads exclude each other", new String[] {"train", "iris", "--shared-threads", "2", "--threads", "2"}),
                Arguments.of("--shared-threads checkpoints at epoch ends only (while workers run, no exact state exists); leave out --checkpoint-every-steps 5",
                        new String[] {"train", "iris", "--shared-threads", "2", "--checkpoint-dir", "ck", "--checkpoint-every-steps", "5"}),
                Arguments.of("--dynamic-batches deals batches to the workers of --shared-threads K; give --shared-threads too",
                        new String[] {"train", "iris", "--dynamic-batches"}),
                Arguments.of("--shared-threads runs on this machine only", new String[] {"train", "iris", "--shared-threads", "2", "--spark", "local[2]"}),
                Arguments.of("--shared-threads: spec of group 'default'", new String[] {"train", "iris", "--shared-threads", "2", "--optimizer", "adagrad"}),
                Arguments.of("--shared-workers must be in 1..256, got 0", new String[] {"bench", "--shared", "--shared-workers", "0"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void badCombinationsAreRefusedWithExitCode2AndNothingDone(String message, String[] args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains(message).doesNotContain("Exception");
        assertThat(out.toString()).isEmpty();
    }

    /** The README's sample: the lines that do not depend on the race are checked; the result line is "...". */
    @Test
    void readmeSampleTrainsDigitsOnTwoSharedStateWorkers() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String[] args = ReadmeSamplesTest.sample("shared-threads").get(0).strip().substring("./rmsprop4j ".length()).split(" ");
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isZero();
        ReadmeSamplesTest.checkLines("shared-threads", out.toString());
        String last = out.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).matches("test accuracy 0\\.9\\d+ .*\\(8 epochs, 360 steps = 184 \\+ 176 by worker, .*");
    }

    /**
     * --checkpoint-dir with --shared-threads writes checkpoints at epoch ends; --resume goes on from the next epoch
     * (with --dynamic-batches too); a finished run and a synchronous run's options are refused as in synchronous mode.
     */
    @Test
    void checkpointsAndResumeWithSharedThreads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String ck = tmp.resolve("ck").toString();
        String[] base = {"train", "digits", "-m", "mlp:32", "--lr", "0.003", "--batch-size", "32", "--shared-threads", "2", "--no-progress",
                "--checkpoint-dir", ck};
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), concat(base, "--epochs", "2"));
        assertThat(code).as(err.toString()).isZero();
        org.rmsprop4j.train.Checkpoint c = org.rmsprop4j.train.Checkpoint.load(java.nio.file.Path.of(ck));
        assertThat(c.epoch()).isEqualTo(2);
        assertThat(c.steps()).isEqualTo(2 * 45);
        out = new StringWriter();
        err = new StringWriter();
        code = Main.run(new PrintWriter(out), new PrintWriter(err), concat(base, "--epochs", "3", "--resume", ck, "--dynamic-batches"));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("batches dealt on demand")
                .contains("resumed from " + ck + " at epoch 3, step 90 (exact state; the run from here is racy)")
                .containsPattern("\\(3 epochs, 135 steps, 45 in this run = \\d+ \\+ \\d+ by worker, ");
        assertThat(org.rmsprop4j.train.Checkpoint.load(java.nio.file.Path.of(ck)).epoch()).isEqualTo(3);
        err = new StringWriter();
        code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), concat(base, "--epochs", "3", "--resume", ck));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("the checkpoint has finished 3 epochs and --epochs is 3").doesNotContain("Exception");
        err = new StringWriter();
        code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), concat(base, "--epochs", "4", "--resume", ck, "--seed", "1"));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("cannot resume: the seed is 42 in the checkpoint, 1 now");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void benchSharedAddsItsOwnJsonListAndKeepsRows() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--json", "--quick", "--shared", "--shared-workers", "1",
                "--no-c", "--no-torch", "--sizes", "1e3", "--threads", "1", "--min-time-ms", "1");
        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("rows").size()).isEqualTo(3);
        assertThat(root.has("mlp")).isFalse();
        JsonNode shared = root.get("shared");
        assertThat(shared).hasSize(2);
        assertThat(shared.get(0).get("mode").asText()).isEqualTo("sync");
        assertThat(shared.get(1).get("mode").asText()).isEqualTo("shared");
        assertThat(shared.get(1).get("threads").asInt()).isEqualTo(1);
        // one shared-state worker is the synchronous run bit for bit: the same accuracy
        assertThat(shared.get(1).get("test_accuracy").get(0).asDouble()).isEqualTo(shared.get(0).get("test_accuracy").get(0).asDouble());
        for (JsonNode r : shared) {
            assertThat(r.get("seconds_per_epoch").asDouble()).isPositive();
            assertThat(r.get("samples_per_second").asDouble()).isCloseTo(8000 / r.get("seconds_per_epoch").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(r.get("steps").asLong()).isEqualTo(2 * 125);
            assertThat(r.get("test_accuracy").get(0).asDouble()).isGreaterThan(0.85);
        }
        assertThat(shared.get(0).get("speedup_vs_sync_1_thread").asDouble()).isEqualTo(1.0);
    }
}
