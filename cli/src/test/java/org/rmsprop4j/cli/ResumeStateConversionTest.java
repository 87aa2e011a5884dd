package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.train.Checkpoint;

/** {@code train --resume} from a float32 checkpoint with {@code --state-bits 8}, and back: converted, and said so. */
class ResumeStateConversionTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void float32CheckpointResumesWith8BitStateAndBack(@TempDir Path tmp) throws Exception {
        String ck = tmp.resolve("ck").toString();
        String[] base = {"train", "digits", "-m", "mlp:32", "--lr", "0.003", "--batch-size", "64", "--no-progress", "--threads", "1",
                "--checkpoint-dir", ck};
        run(concat(base, "--epochs", "1"));
        Checkpoint c1 = Checkpoint.load(Path.of(ck));
        assertThat(c1.optimizerState().quantized()).isEmpty();

        String out = run(concat(base, "--epochs", "2", "--resume", ck, "--state-bits", "8", "--state-block", "256"));
        assertThat(out).contains("state  converting the checkpoint's float32 optimizer state to 8-bit, blocks of 256")
                .contains("resumed from " + ck + " at epoch 2");
        Checkpoint c2 = Checkpoint.load(Path.of(ck));
        assertThat(c2.epoch()).isEqualTo(2);
        StateDict s2 = c2.optimizerState();
        assertThat(s2.quantized()).isNotEmpty();
        assertThat(s2.quantized().values()).allSatisfy(q -> assertThat(q.blockSize()).isEqualTo(256));

        out = run(concat(base, "--epochs", "3", "--resume", ck, "--state-bits", "8", "--state-block", "2048"));
        assertThat(out).contains("from blocks of 256 to blocks of 2048");
        assertThat(Checkpoint.load(Path.of(ck)).optimizerState().quantized().values()).allSatisfy(q -> assertThat(q.blockSize()).isEqualTo(2048));

        // the same block size on the float8 map converts too (an optimizer refuses the other map's buffers)
        out = run(concat(base, "--epochs", "4", "--resume", ck, "--state-bits", "8", "--state-block", "2048", "--state-map", "fp8"));
        assertThat(out).contains("state from the dynamic map to the fp8 map (through").doesNotContain("blocks of 2048 to").contains("state fp8-2048");
        assertThat(Checkpoint.load(Path.of(ck)).optimizerState().quantized().values()).allSatisfy(q -> assertThat(q.map()).startsWith("fp8-"));

        // shared-state workers keep float32 state: the 8-bit checkpoint converts back
        String[] shared = {"train", "digits", "-m", "mlp:32", "--lr", "0.003", "--batch-size", "64", "--no-progress", "--shared-threads", "2",
                "--checkpoint-dir", ck};
        out = run(concat(shared, "--epochs", "5", "--resume", ck));
        assertThat(out).contains("state  converting the checkpoint's 8-bit optimizer state (blocks of 2048) to float32: the exact values");
        Checkpoint c4 = Checkpoint.load(Path.of(ck));
        assertThat(c4.epoch()).isEqualTo(5);
        assertThat(c4.optimizerState().quantized()).isEmpty();
        assertThat(out).containsPattern("test accuracy 0\\.9\\d+");

        // same form in and out: no conversion, no line
        out = run(concat(base, "--epochs", "6", "--resume", ck));
        assertThat(out).doesNotContain("converting").contains("resumed from " + ck + " at epoch 6");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
