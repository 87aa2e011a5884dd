package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainAndDemoCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(code, o.toString(), e.toString());
    }

    @Test
    void demoJsonHasEveryRunTheOptimumAndTheRealDataResult() throws Exception {
        Run r = run("demo", "--json", "--no-figures");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        List<String> names = new ArrayList<>();
        doc.get("runs").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("gd", "momentum", "nesterov", "adagrad", "rmsprop-seed", "rmsprop-pytorch", "adam");
        for (String n : names) {
            JsonNode run = doc.get("runs").get(n);
            assertThat(run.get("settings").get("optimizer").asText()).isNotEmpty();
            for (String k : new String[] {"1", "10", "50", "100", "1000"}) assertThat(run.get("loss_after_epoch").get(k).isNumber()).isTrue();
            assertThat(run.get("w").isNumber()).isTrue();
        }
        assertThat(doc.get("runs").get("rmsprop-seed").get("settings").get("epsPlacement").asText()).isEqualTo("inside");
        assertThat(doc.get("optimum").get("w").asDouble()).isEqualTo(Math.log(6), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(doc.get("real_data").get("dataset").asText()).isEqualTo("digits");
        assertThat(doc.get("real_data").get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void demoTablePrintsEveryRunAndTheRealDataAccuracy() {
        Run r = run("demo", "--threads", "2", "--no-figures");
        assertThat(r.code()).isZero();
        for (String n : new String[] {"gd ", "momentum ", "nesterov ", "adagrad ", "rmsprop-seed ", "rmsprop-pytorch ", "adam ", "exact optimum"}) {
            assertThat(r.out()).contains(n);
        }
        assertThat(r.out()).containsPattern("test accuracy 0\\.9\\d{3}");
    }

    static void assertOneLineError(Run r, String message) {
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rmsprop4j train: " + message);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void badInputGivesOneClearLineAndExitCode2(@TempDir Path dir) throws Exception {
        assertOneLineError(run("train", "-d", "digitz"),
                "data set must be one of digits, breast-cancer, iris, wine, mnist10k or an existing file or folder, got 'digitz'");
        assertOneLineError(run("train", "-d", "iris", "-m", "mlp:0"), "hidden layer width in model 'mlp:0' must be in 1..65536, got 0");
        assertOneLineError(run("train", "-d", "iris", "-m", "mlp:abc"),
                "hidden layer width in model 'mlp:abc' must be a whole number in 1..65536, got 'abc'");
        Path bad = Files.writeString(dir.resolve("rows.csv"), "1,2,0\n3,4,1\n5,6\n");
        assertOneLineError(run("train", "-d", bad.toString()), bad + " line 3: expected 3 fields (2 features and the label), got 2");
        Path labels = Files.writeString(dir.resolve("labels.csv"), "3,2,a,b\n1,2,0\n3,4,1\n5,6,7\n");
        assertOneLineError(run("train", "-d", labels.toString()), labels + " line 4: label must be in 0..1 (the header names 2 classes), got 7");
        assertOneLineError(run("train", "-d", "iris", "--optimizer", "sgd", "--preset", "keras"), "--preset does not apply to --optimizer sgd");
        Run diverged = run("train", "-d", "digits", "-m", "mlp:64", "--optimizer", "sgd", "--lr", "1e6", "--epochs", "1", "--no-progress",
                "--non-finite", "stop");
        assertThat(diverged.code()).isEqualTo(2);
        assertThat(diverged.err()).startsWith("rmsprop4j train: training stopped at step ").contains("is not finite").doesNotContain("\tat ");
        assertOneLineError(run("train", "-d", dir.resolve("missing.csv").toString()),
                "data set must be one of digits, breast-cancer, iris, wine, mnist10k or an existing file or folder, got '"
                        + dir.resolve("missing.csv") + "'");
    }

    @Test
    void resumingWithOtherPreprocessingIsRefusedBeforeAnythingIsReported(@TempDir Path dir) {
        String ck = dir.resolve("ck").toString();
        assertThat(run("train", "iris", "--epochs", "1", "--no-progress", "--checkpoint-dir", ck).code()).isZero();
        Run r = run("train", "iris", "--epochs", "2", "--no-progress", "--checkpoint-dir", ck, "--resume", ck, "--preprocess", "none");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("rmsprop4j train: cannot resume: the training data (after preprocessing) is 120 rows x 4 features");
        assertThat(r.out()).doesNotContain("resumed from").doesNotContain("epoch 2/2");
    }

    @Test
    void withEpsZeroTheNonFiniteWarningPointsAtEps(@TempDir Path dir) throws Exception {
        // a feature that is always 0: its weight's mean square stays 0, and 0/0 is NaN without eps
        Path csv = Files.writeString(dir.resolve("const.csv"), "a,b,label\n" + "0,1,0\n0,2,1\n".repeat(5));
        // float64: the float32 path skips terms whose input is exactly 0, so a NaN weight on this feature would not show
        Run r = run("train", csv.toString(), "--eps", "0", "--preprocess", "none", "--epochs", "2", "--no-progress", "--dtype", "float64");
        assertThat(r.out()).contains(", eps 0").contains("warning: the training loss is not finite; with --eps 0")
                .doesNotContain("lower --lr");
    }

    @Test
    void unwritableCheckpointFolderOrMetricsFileIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        // a path under a regular file can never be created, whoever runs the test
        Path ck = file.resolve("ck");
        Run r = run("train", "-d", "iris", "--epochs", "1", "--no-progress", "--checkpoint-dir", ck.toString());
        assertThat(r.out()).doesNotContain("epoch");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("rmsprop4j train: cannot write checkpoints to " + ck + ": ").doesNotContain("Exception");
        Path m = file.resolve("m.csv");
        r = run("train", "-d", "iris", "--epochs", "1", "--no-progress", "--metrics", m.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("rmsprop4j train: cannot write metrics to " + m + ": ").doesNotContain("Exception");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertOneLineError(run("train", "-d", "iris", "--epochs", "1", "--no-progress", "--checkpoint-dir", "/proc/x"),
                    "cannot write checkpoints to /proc/x: no such file or directory");
            assertOneLineError(run("train", "-d", "iris", "--epochs", "1", "--no-progress", "--metrics", "/proc/x.csv"),
                    "cannot write metrics to /proc/x.csv: no such file or directory");
        }
    }

    @Test
    void fractionsAreCheckedNamingTheirOption() {
        assertOneLineError(run("train", "-d", "iris", "--val-fraction", "1"), "--val-fraction must be in (0, 1), got 1.0");
        assertOneLineError(run("train", "-d", "iris", "--val-fraction", "-0.5"), "--val-fraction must be in (0, 1), got -0.5");
        assertOneLineError(run("train", "-d", "iris", "--test-fraction", "1"), "--test-fraction must be in (0, 1), got 1.0");
        assertOneLineError(run("train", "-d", "iris", "--test-fraction", "0"), "--test-fraction must be in (0, 1), got 0.0");
        Run tiny = run("train", "-d", "iris", "--val-fraction", "0.001");
        assertThat(tiny.code()).isEqualTo(2);
        assertThat(tiny.err()).startsWith("rmsprop4j train: --val-fraction must be a fraction that leaves at least one row");
    }

    @Test
    void builderErrorsNameTheOptionNotTheJavaField() {
        assertOneLineError(run("train", "-d", "iris", "--batch-size", "0"), "--batch-size must be >= 1, got 0");
        assertOneLineError(run("train", "-d", "iris", "--chunk-size", "0"), "--chunk-size must be >= 1, got 0");
        assertOneLineError(run("train", "-d", "iris", "--epochs", "0"), "--epochs must be >= 1, got 0");
        assertOneLineError(run("train", "-d", "iris", "--threads", "0"), "--threads must be >= 1, got 0");
        assertOneLineError(run("train", "-d", "iris", "--checkpoint-every-epochs", "0"), "--checkpoint-every-epochs must be >= 1, got 0");
        assertOneLineError(run("train", "-d", "iris", "--clip-norm", "0"), "--clip-norm must be a finite number > 0, got 0.0");
        assertOneLineError(run("train", "-d", "iris", "--schedule", "warmup:0"), "--schedule STEPS must be >= 1, got 0 (in 'warmup:0')");
        assertOneLineError(run("train", "-d", "iris", "--schedule", "exponential:-1"),
                "--schedule GAMMA must be a finite number >= 0, got -1.0 (in 'exponential:-1')");
    }

    @Test
    void resumingARunThatStoppedEarlyTrainsNoFurther(@TempDir Path dir) {
        String[] args = {"train", "-d", "iris", "--optimizer", "sgd", "--lr", "0", "--epochs", "6", "--patience", "1", "--no-progress",
                "--checkpoint-dir", dir.toString()};
        Run first = run(args);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("(2 epochs, stopped early");
        Run again = run(concat(args, "--resume", dir.toString()));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("the run had stopped early after epoch 2").contains("(2 epochs, stopped early")
                .doesNotContain("epoch 3");
    }

    @Test
    void resumingWithOtherOptimizerOptionsIsRefused(@TempDir Path dir) {
        String[] common = {"train", "-d", "iris", "--no-progress", "--lr", "0.01", "--checkpoint-dir", dir.toString()};
        Run first = run(concat(common, "--epochs", "2"));
        assertThat(first.code()).as(first.err()).isZero();
        String[] resume = {"train", "-d", "iris", "--no-progress", "--epochs", "3", "--resume", dir.toString()};
        assertOneLineError(run(concat(resume, "--lr", "0.5")),
                "cannot resume: learningRate is 0.01 in the checkpoint, 0.5 now; repeat the options the run was started with");
        assertOneLineError(run(concat(resume, "--lr", "0.01", "--decay", "0.9")),
                "cannot resume: decay is 0.99 in the checkpoint, 0.9 now; repeat the options the run was started with");
        assertThat(run(concat(resume, "--lr", "0.01", "--preset", "keras")).err()).startsWith("rmsprop4j train: cannot resume: ");
        assertThat(run(concat(resume, "--lr", "0.01", "--schedule", "warmup:5")).err())
                .startsWith("rmsprop4j train: cannot resume: schedule is constant in the checkpoint, warmup(5, constant) now");
        Run same = run(concat(resume, "--lr", "0.01"));
        assertThat(same.code()).as(same.err()).isZero();
        assertThat(same.out()).contains("resumed from");

        Path cos = dir.resolve("cos");
        String[] cosine = {"train", "-d", "iris", "--no-progress", "--schedule", "cosine", "--checkpoint-dir", cos.toString()};
        assertThat(run(concat(cosine, "--epochs", "2")).code()).isZero();
        // a cosine schedule spans the whole run: another --epochs is another schedule
        assertThat(run(concat(cosine, "--epochs", "4", "--resume", cos.toString())).err())
                .startsWith("rmsprop4j train: cannot resume: schedule is cosine(4, 0.0) in the checkpoint, cosine(8, 0.0) now");
    }

    static String result(Run r) {
        Matcher m = Pattern.compile("test accuracy \\S+  test loss \\S+").matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        return m.group();
    }

    @Test
    void breastCancerLogisticAndCheckpointResumeThroughTheCommandLine(@TempDir Path dir) throws Exception {
        String[] common = {"train", "-d", "breast-cancer", "-m", "logistic", "--batch-size", "32", "--no-progress"};
        Run straight = run(concat(common, "--epochs", "4", "--threads", "2"));
        assertThat(straight.code()).as(straight.err()).isZero();
        assertThat(Double.parseDouble(result(straight).split("\\s+")[2])).isGreaterThanOrEqualTo(0.95);

        Path ck = dir.resolve("ck");
        Path metrics = dir.resolve("m.csv");
        Run first = run(concat(common, "--epochs", "2", "--threads", "2", "--checkpoint-dir", ck.toString(), "--metrics", metrics.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        Run resumed = run(concat(common, "--epochs", "4", "--resume", ck.toString(), "--threads", "1", "--metrics", metrics.toString()));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resumed from");
        assertThat(result(resumed)).isEqualTo(result(straight));
        assertThat(Files.readAllLines(metrics)).hasSize(5).first().asString().startsWith("epoch,step,");

        Run wrong = run("train", "-d", "breast-cancer", "-m", "logistic", "--batch-size", "16", "--no-progress", "--epochs", "4", "--resume",
                ck.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("cannot resume: the batch size is 32 in the checkpoint, 16 now");
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
