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
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--json", "--quick", "--mlp", "--no-c", "--no-torch",
                "--sizes", "1e3", "--threads", "1", "--min-time-ms", "1");
        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        JsonNode mlp = root.get("mlp");
        assertThat(mlp).hasSize(1);
        assertThat(mlp.get(0).get("workload").asText()).isEqualTo("mlp-epoch");
        assertThat(mlp.get(0).get("ours_seconds_per_epoch").asDouble()).isPositive();
        assertThat(mlp.get(0).get("torch_seconds_per_epoch").isNull()).isTrue();
        assertThat(mlp.get(0).get("ours_vs_torch").isNull()).isTrue();
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
