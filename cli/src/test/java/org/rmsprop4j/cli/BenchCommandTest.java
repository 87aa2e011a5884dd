package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void stateRowsCompareFp32And8BitStateInTheSameRun() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--json", "--no-c", "--no-torch",
                "--sizes", "5000", "--threads", "1", "--min-time-ms", "3", "--state", "8bit-256,8");
        assertThat(code).as(err.toString()).isZero();
        JsonNode rows = new ObjectMapper().readTree(out.toString()).get("rows");
        assertThat(rows.get(0).get("state").asText()).isEqualTo("fp32");
        List<JsonNode> state = new java.util.ArrayList<>();
        rows.forEach(r -> { if (r.get("workload").asText().equals("state")) state.add(r); });
        assertThat(state).extracting(r -> r.get("state").asText()).containsExactly("fp32", "8bit-256", "8bit-2048");
        assertThat(state.get(0).get("state_bytes_per_element").asDouble()).isEqualTo(4.0);
        assertThat(state.get(1).get("state_bytes_per_element").asDouble()).isBetween(1.0, 1.02);
        assertThat(state.get(2).get("state_bytes_per_element").asDouble()).isBetween(1.0, 1.02);
        for (JsonNode r : state) {
            assertThat(r.get("ours_ns_per_element").asDouble()).isPositive();
            assertThat(r.get("c_fp32_ns_per_element").isNull()).isTrue();
            assertThat(r.get("c_8bit_ns_per_element").isNull()).as("--no-c").isTrue();
            assertThat(r.get("elements").asInt()).isEqualTo(5000);
        }
    }

    @Test
    void jsonHasTheDocumentedShapeAndMissingBaselinesAreNull() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--json", "--no-c", "--no-torch",
                "--sizes", "1e3", "--threads", "1", "--min-time-ms", "1");
        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.size()).isEqualTo(1);
        JsonNode rows = root.get("rows");
        assertThat(rows).hasSize(3);
        List<String> workloads = List.of("single", "many-small", "seed-neuron");
        for (int i = 0; i < 3; i++) {
            JsonNode r = rows.get(i);
            assertThat(r.get("workload").asText()).isEqualTo(workloads.get(i));
            assertThat(r.get("kernel").asText()).isEqualTo("rmsprop");
            assertThat(r.get("dtype").asText()).isEqualTo("fp32");
            assertThat(r.get("ours_ns_per_element").isNumber()).isTrue();
            assertThat(r.get("ours_ns_per_element").asDouble()).isPositive();
            for (String f : List.of("c_ns_per_element", "torch_ns_per_element", "ours_vs_c", "ours_vs_torch")) {
                assertThat(r.get(f).isNull()).as(f).isTrue();
            }
        }
        assertThat(rows.get(0).get("elements").asInt()).isEqualTo(1000);
        assertThat(rows.get(1).get("tensors").asInt()).isEqualTo(1000);
        assertThat(rows.get(2).get("elements").asInt()).isEqualTo(1);
        assertThat(rows.get(2).get("tensors").asInt()).isEqualTo(2);
    }

    @Test
    void mlpEpochRowsAppearOnlyWithMlpAndMissingTorchIsNull() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--json", "--quick", "--mlp", "--no-c", "--no-torch", "--no-dl4j",
                "--sizes", "1e3", "--threads", "1", "--min-time-ms", "1");
        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        JsonNode mlp = root.get("mlp");
        assertThat(mlp).hasSize(1);
        assertThat(mlp.get(0).get("workload").asText()).isEqualTo("mlp-epoch");
        assertThat(mlp.get(0).get("ours_seconds_per_epoch").asDouble()).isPositive();
        assertThat(mlp.get(0).get("torch_seconds_per_epoch").isNull()).isTrue();
        assertThat(mlp.get(0).get("ours_vs_torch").isNull()).isTrue();
        for (String f : java.util.List.of("dl4j_seconds_per_epoch", "ours_vs_dl4j", "sgemm_limit_seconds_per_epoch", "ours_over_sgemm_limit")) {
            assertThat(mlp.get(0).get(f).isNull()).as(f).isTrue();
        }
    }

    /**
     * {@code --python} chooses the interpreter of the PyTorch baselines. A stand-in interpreter (a
     * shell script answering as torch 9.9-fake would) checks the wiring: the MLP row carries what it
     * printed, and the ratios are computed from it.
     */
    @Test
    void pythonOptionIsUsedForTheMlpBaselinesAndTheSgemmLimit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path fake = dir.resolve("python");
        java.nio.file.Files.writeString(fake, String.join("\n",
                "#!/bin/sh",
                "case \"$1\" in",
                "  -c) echo 9.9-fake ;;",
                "  *torch_mlp_epoch.py) echo '{\"seconds_per_epoch\": 0.5, \"torch_version\": \"9.9-fake\"}' ;;",
                "  *sgemm_limit.py) echo '{\"torch_version\": \"9.9-fake\", \"square_gflops\": 100.0, \"epoch_gflop\": 3.6352, \"epoch_seconds_at_square_rate\": 0.036352}' ;;",
                "  *) exit 9 ;;",
                "esac", ""));
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--json", "--quick", "--mlp", "--no-c", "--no-dl4j", "--python", fake.toString(),
                "--sizes", "1e3", "--threads", "1", "--min-time-ms", "1");
        assertThat(code).as(err.toString()).isZero();
        JsonNode m = new ObjectMapper().readTree(out.toString()).get("mlp").get(0);
        assertThat(m.get("python").asText()).isEqualTo(fake.toString());
        assertThat(m.get("torch_version").asText()).isEqualTo("9.9-fake");
        assertThat(m.get("torch_seconds_per_epoch").asDouble()).isEqualTo(0.5);
        double ours = m.get("ours_seconds_per_epoch").asDouble();
        assertThat(m.get("ours_vs_torch").asDouble()).isCloseTo(0.5 / ours, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.get("sgemm_gflops").asDouble()).isEqualTo(100.0);
        assertThat(m.get("sgemm_limit_seconds_per_epoch").asDouble()).isEqualTo(0.036352);
        assertThat(m.get("ours_over_sgemm_limit").asDouble()).isCloseTo(ours / 0.036352, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.get("sgemm_impl").asText()).isEqualTo("torch.mm 9.9-fake");
    }

    @Test
    void pythonThatIsNotAnExecutableIsRejectedWithTheOptionName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String missing = dir.resolve("no-such-python").toString();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--no-c", "--python", missing, "--sizes", "1e3");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--python").contains(missing);
    }

    @Test
    void badSizesAreRejectedWithTheOptionName() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--no-c", "--no-torch", "--sizes", "1.5");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--sizes").contains("1.5");
    }

    @Test
    void initialValuesFollowTheBaselinesGenerator() {
        // SplitMix64's published first output for seed 0 (key 0): 0xE220A8397B1DCDAF
        assertThat(StepTimer.splitmix(0)).isEqualTo(0xE220A8397B1DCDAFL);
        float[] a = new float[4];
        StepTimer.fill(a, 0, 4, 0, 0);
        for (float x : a) assertThat(x).isBetween(-1f, 1f);
        assertThat(a[0]).isEqualTo((float) ((double) (0xE220A8397B1DCDAFL >>> 40) * 0x1p-23 - 1.0));
    }
}
