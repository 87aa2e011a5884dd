package org.rmsprop4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Ours and the C loop in alternating rounds ({@code bench --rounds}). */
class BenchRoundsTest {

    @Test
    void roundsAlternateWhoGoesFirstAndRatiosPairAdjacentRounds() throws Exception {
        double[] baseNs = {100, 300, 200, 400, 500}, oursNs = {50, 150, 400, 100, 1000};
        int[] calls = {0, 0};
        List<String> seen = new ArrayList<>();
        StepTimer.Interleaved il2 = StepTimer.interleave(ms -> {
            seen.add("ours");
            double v = oursNs[calls[1]++];
            return new StepTimer.Round(v, v, v, v, v, 5);
        }, ms -> {
            seen.add("C");
            double v = baseNs[calls[0]++];
            return new StepTimer.Round(v, v, v, v, v, 5);
        }, 5, 1);
        assertThat(seen).containsExactly("ours", "C", "C", "ours", "ours", "C", "C", "ours", "ours", "C");
        assertThat(il2.ratios()).containsExactly(2.0, 2.0, 0.5, 4.0, 0.5);
        assertThat(il2.oursNsPerStep()).isEqualTo(150);
        assertThat(il2.baseNsPerStep()).isEqualTo(300);
    }

    @Test
    void roundsOutsideOneToAHundredAreRejectedWithTheOptionName() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--no-torch", "--rounds", "0", "--sizes", "1e3");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--rounds").contains("1..100").contains("0");
    }

    @Test
    void interleavedRowsCarryEveryRoundAndTheMediansOfRounds() throws Exception {
        Assumptions.assumeTrue(gccRuns(), "gcc is not installed");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "bench", "--json", "--quick", "--no-torch", "--rounds", "3",
                "--sizes", "1e5", "--threads", "2", "--min-time-ms", "30");
        assertThat(code).as(err.toString()).isZero();
        JsonNode rows = new ObjectMapper().readTree(out.toString()).get("rows");
        for (JsonNode r : rows) {
            assertThat(r.get("rounds").asInt()).as(r.toString()).isEqualTo(3);
            JsonNode o = r.get("ours_round_ns_per_element"), c = r.get("c_round_ns_per_element"), ratio = r.get("ours_vs_c_round");
            assertThat(o).hasSize(3);
            assertThat(c).hasSize(3);
            double[] os = new double[3], cs = new double[3];
            for (int i = 0; i < 3; i++) {
                os[i] = o.get(i).asDouble();
                cs[i] = c.get(i).asDouble();
                assertThat(os[i]).isPositive();
                assertThat(cs[i]).isPositive();
                assertThat(ratio.get(i).asDouble()).isCloseTo(cs[i] / os[i], within(0.001));
            }
            java.util.Arrays.sort(os);
            java.util.Arrays.sort(cs);
            assertThat(r.get("ours_ns_per_element").asDouble()).isCloseTo(os[1], within(os[1] * 1e-9));
            assertThat(r.get("c_ns_per_element").asDouble()).isCloseTo(cs[1], within(cs[1] * 1e-9));
            assertThat(r.get("ours_vs_c").asDouble()).isCloseTo(cs[1] / os[1], within(1e-9));
            assertThat(r.get("ours_vs_c_min").asDouble()).isLessThanOrEqualTo(r.get("ours_vs_c_max").asDouble());
            assertThat(r.get("c_p90_ns_per_element").asDouble()).isGreaterThanOrEqualTo(cs[0] * 0.999);
        }
        JsonNode single = rows.get(0);
        assertThat(single.get("threads").asInt()).isEqualTo(2);
        assertThat(single.get("ours_parallel_steps").asLong()).isPositive();
        assertThat(single.get("ours_worker_block_share").asDouble()).isBetween(0.0, 1.0);
    }

    private static boolean gccRuns() {
        try {
            return new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void gapTakesARegionOfItsOwnUnderG1AndOver4MiBOtherwise() {
        long region = StepTimer.g1RegionBytes();
        boolean g1 = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(b -> b.getName().startsWith("G1"));
        assertThat(region > 0).isEqualTo(g1);
        if (g1) {
            assertThat(Long.bitCount(region)).isEqualTo(1);
            // G1 gives an array of more than half a region a region of its own: that is what shifts the next large array.
            assertThat((long) StepTimer.gap()).isGreaterThan(region / 2).isLessThan(region);
        } else {
            assertThat(StepTimer.gap()).isGreaterThan(4 << 20);
        }
        Runnable step = StepTimer.stepper("fp32", 1000, 2, 1, true);
        step.run();
        assertThat(StepTimer.lastGap).hasSize(StepTimer.gap());
    }
}
