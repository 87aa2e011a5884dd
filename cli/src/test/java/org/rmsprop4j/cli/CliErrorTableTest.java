package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table per command: each bad flag or file gives exit code 2, a first stderr line
 * {@code rmsprop4j COMMAND: ...} that names the flag or the file, at most a "did you mean" line and
 * a line on how to get help after it, no stack trace, and nothing done (no output on stdout).
 * ({@code {dir}} in an argument is a temporary folder holding {@code plain} (a file), {@code empty/}
 * and {@code ok.csv}.)
 */
class CliErrorTableTest {

    @TempDir static Path dir;

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(dir.resolve("plain"), "x");
        Files.createDirectory(dir.resolve("empty"));
        Files.writeString(dir.resolve("ok.csv"), "1,2,0\n3,4,1\n");
    }

    static Arguments bad(String names, String... args) { return Arguments.of(String.join(" ", args), names, args); }

    static Stream<Arguments> table() {
        return Stream.of(
                bad("--max-ulp", "conformance", "--max-ulp", "-1", "x"),
                bad("--max-ulp", "conformance", "--max-ulp", "x", "x"),
                bad("--abs-floor", "conformance", "--abs-floor", "-1", "x"),
                bad("--abs-floor", "conformance", "--abs-floor", "NaN", "x"),
                bad("--exact", "conformance", "--exact", "--max-ulp", "5", "x"),
                bad("nope.json", "conformance", "nope.json"),
                bad("--bogus", "conformance", "--bogus", "x"),
                bad("digitz", "train", "-d", "digitz"),
                bad("/dev/null", "train", "/dev/null"),
                bad("--epochs", "train", "iris", "--epochs", "0"),
                bad("--epochs", "train", "iris", "--epochs", "x"),
                bad("--batch-size", "train", "iris", "--batch-size", "0"),
                bad("--threads", "train", "iris", "--threads", "0"),
                bad("--threads", "train", "iris", "--threads", "999"),
                bad("--chunk-size", "train", "iris", "--chunk-size", "0"),
                bad("--patience", "train", "iris", "--patience", "-1"),
                bad("--dtype", "train", "iris", "--dtype", "half"),
                bad("--test-fraction", "train", "iris", "--test-fraction", "2"),
                bad("--val-fraction", "train", "iris", "--val-fraction", "1"),
                bad("--preprocess", "train", "iris", "--preprocess", "foo"),
                bad("--non-finite", "train", "iris", "--non-finite", "foo"),
                bad("--checkpoint-every-steps", "train", "iris", "--checkpoint-every-steps", "0"),
                bad("--checkpoint-every-epochs", "train", "iris", "--checkpoint-every-epochs", "0"),
                bad("--resume", "train", "iris", "--resume", "{dir}/missing"),
                bad("--resume", "train", "iris", "--resume", "/dev/zero"),
                bad("--resume", "train", "iris", "--resume", "{dir}/empty"),
                bad("--label-column", "train", "iris", "--label-column", "2"),
                bad("ok.csv", "train", "{dir}/ok.csv", "--label-column", "9"),
                bad("{dir}/plain/m.csv", "train", "iris", "--metrics", "{dir}/plain/m.csv"),
                bad("{dir}/plain/ck", "train", "iris", "--checkpoint-dir", "{dir}/plain/ck"),
                bad("--model", "train", "iris", "-m", "foo"),
                bad("mlp:0", "train", "iris", "-m", "mlp:0"),
                bad("--clip-norm", "train", "iris", "--clip-norm", "-1"),
                bad("--epochz", "train", "iris", "--epochz", "3"),
                bad("--state-bits", "train", "iris", "--state-bits", "4"),
                bad("--state-block", "train", "iris", "--state-bits", "8", "--state-block", "100"),
                bad("--state-rounding", "train", "iris", "--state-bits", "8", "--state-rounding", "up"),
                bad("--state-rounding", "train", "iris", "--state-rounding", "unbiased"),
                bad("--state-map", "train", "iris", "--state-bits", "8", "--state-map", "e5m2"),
                bad("--state-map", "train", "iris", "--state-map", "fp8"),
                bad("--state", "bench", "--state", "fp8-100"),
                bad("--state-bits", "train", "iris", "--state-bits", "8", "--centered"),
                bad("--state-bits", "train", "iris", "--state-bits", "8", "--dtype", "float64"),
                bad("--state", "bench", "--state", "8bit-100"),
                bad("--dtype", "bench", "--dtype", "half"),
                bad("--threads", "bench", "--threads", "0"),
                bad("--sizes", "bench", "--sizes", "x"),
                bad("--min-time-ms", "bench", "--min-time-ms", "0"),
                bad("--repo", "bench", "--repo", "{dir}/plain"),
                bad("--threads", "demo", "--threads", "0"),
                bad("--out", "demo", "--out", "{dir}/plain/x"),
                bad("--out", "plot", "--out", "x.bmp", "--opt", "rmsprop"),
                bad("--out", "plot", "--opt", "rmsprop"),
                bad("{dir}/plain/x.png", "plot", "--out", "{dir}/plain/x.png", "--opt", "rmsprop"),
                bad("--steps", "plot", "--out", "x.png", "--opt", "rmsprop", "--steps", "0"),
                bad("--surface", "plot", "--out", "x.png", "--opt", "rmsprop", "--surface", "nope"),
                bad("--size", "plot", "--out", "x.png", "--opt", "rmsprop", "--size", "0x0"),
                bad("--frames", "plot", "--out", "x.gif", "--opt", "rmsprop", "--frames", "1"),
                bad("--start", "plot", "--out", "x.png", "--opt", "rmsprop", "--start", "x"),
                bad("--surface", "sweep", "--out", "x.png", "--surface", "nope"),
                bad("--lr", "sweep", "--out", "x.png", "--lr", "0:1:3"),
                bad("--decay", "sweep", "--out", "x.png", "--decay", "1:2:3"),
                bad("--steps", "sweep", "--out", "x.png", "--steps", "0"),
                bad("{dir}/plain/x.png", "sweep", "--out", "{dir}/plain/x.png"),
                bad("frobnicate", "frobnicate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void aBadFlagOrFileIsOneLineNamingItAndExitCode2(String label, String names, String[] args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) a[i] = args[i].replace("{dir}", dir.toString());
        String named = names.replace("{dir}", dir.toString());
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), a);
        String e = err.toString();
        assertThat(code).as(e).isEqualTo(2);
        String[] lines = e.strip().split("\n");
        assertThat(lines[0]).as(e).startsWith("rmsprop4j").contains(named);
        assertThat(lines.length).as(e).isLessThanOrEqualTo(3);
        if (lines.length > 1) assertThat(lines[lines.length - 1]).as(e).matches("Run 'rmsprop4j.* --help' for the options\\.");
        assertThat(e).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Usage:");
        assertThat(out.toString()).as("nothing is done").isEmpty();
    }
}
