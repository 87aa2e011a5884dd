package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceCommandTest {

    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static final Path PYTORCH = Path.of("../testkit/src/test/resources/golden/pytorch");
    static final Path INDEPENDENT = Path.of("../testkit/src/test/resources/golden/independent");

    @Test
    void everyRecordedCasePassesAndTheSummaryCountsThem() throws Exception {
        Run r = run("conformance", PYTORCH.toString(), INDEPENDENT.toString());
        long files;
        try (var s = Files.list(PYTORCH)) {
            files = s.count();
        }
        try (var s = Files.list(INDEPENDENT)) {
            files += s.count();
        }
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize((int) files + 2);
        assertThat(lines[0]).isEqualTo("bound: within 1024 ulp, or |ours - reference| <= 1e-06 (float32) / 1e-13 (float64) (the absolute floor)");
        for (int i = 1; i < lines.length - 1; i++) {
            assertThat(lines[i]).matches("PASS \\S+  worst \\d+ ulp, rel \\S+ \\(\\d+ values; (bit for bit|within 1024 ulp|\\d+ values? only within the absolute floor 1e-06).*");
        }
        assertThat(lines[lines.length - 1]).isEqualTo(files + " passed, 0 failed");
        assertThat(r.out()).contains("PASS rmsprop-default-f32  worst 0 ulp, rel 0.000e+00 (697 values; bit for bit)");
    }

    @Test
    void aMalformedOrMismatchingCaseFailsWithAReasonAndExitsNonZero() throws Exception {
        String good = Files.readString(PYTORCH.resolve("rmsprop-default-f32.json"));
        Files.writeString(dir.resolve("a-good.json"), good);
        Files.writeString(dir.resolve("b-broken.json"), good.substring(0, good.length() / 2));
        Files.writeString(dir.resolve("c-wrong-alpha.json"), good.replace("\"alpha\":0.99", "\"alpha\":0.9"));
        Files.writeString(dir.resolve("d-unknown-arg.json"), good.replace("\"alpha\":0.99", "\"alfa\":0.99"));
        Files.writeString(dir.resolve("e-no-steps.json"), good.replaceFirst("\"steps\":\\[.*\\],\"final_state\"", "\"steps\":[],\"final_state\""));
        Run r = run("conformance", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("PASS rmsprop-default-f32");
        assertThat(r.out()).containsPattern("FAIL b-broken.json  .*b-broken.json: not valid JSON");
        assertThat(r.out()).containsPattern("FAIL rmsprop-default-f32  worst \\d+ ulp");
        assertThat(r.out()).contains("hyper.alfa is not an argument of rmsprop/pytorch");
        assertThat(r.out()).contains("steps must be a non-empty array");
        assertThat(r.out().strip()).endsWith("1 passed, 4 failed");
    }

    @Test
    void aMissingPathIsAClearErrorNotAStackTrace() {
        Run r = run("conformance", dir.resolve("nope.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no such file or folder").doesNotContain("Exception");
    }

    @Test
    void contradictoryOrInvalidBoundsAreRefused() {
        for (String[] args : new String[][] {{"--exact", "--max-ulp", "5000"}, {"--exact", "--abs-floor", "1e-6"}, {"--max-ulp", "-1"},
                {"--abs-floor", "-1"}, {"--abs-floor", "NaN"}}) {
            String[] full = new String[args.length + 2];
            full[0] = "conformance";
            System.arraycopy(args, 0, full, 1, args.length);
            full[full.length - 1] = PYTORCH.toString();
            Run r = run(full);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains(args[args.length - 2]).doesNotContain("Exception");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void theBoundInUseIsPrintedAndAPureUlpBoundHasNoFloor() {
        Run r = run("conformance", "--max-ulp", "2", INDEPENDENT.resolve("lasagne-default-f32.json").toString());
        assertThat(r.out()).startsWith("bound: within 2 ulp, no absolute floor\n").contains("FAIL lasagne-default-f32");
        Run f = run("conformance", "--max-ulp", "2", "--abs-floor", "1e-6", INDEPENDENT.resolve("lasagne-default-f32.json").toString());
        assertThat(f.out()).startsWith("bound: within 2 ulp, or |ours - reference| <= 1e-06 (the absolute floor)\n");
    }

    @Test
    void aCaseOurLayoutRefusesFailsAloneAndTheOthersAreStillReported() throws Exception {
        String good = Files.readString(PYTORCH.resolve("rmsprop-default-f32.json"));
        Files.writeString(dir.resolve("a-slash.json"), good.replace("\"name\":\"w\"", "\"name\":\"enc/w\"")
                .replace("\"w\":[", "\"enc/w\":[").replace("\"w\":{", "\"enc/w\":{"));
        Files.writeString(dir.resolve("b-good.json"), good);
        Run r = run("conformance", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL rmsprop-default-f32  cannot set up the parameters").contains("PASS rmsprop-default-f32")
                .contains("1 passed, 1 failed");
    }

    @Test
    void exactModeHoldsForPyTorchCases() {
        Run r = run("conformance", "--exact", PYTORCH.toString());
        assertThat(r.code()).as(r.out()).isZero();
    }
}
