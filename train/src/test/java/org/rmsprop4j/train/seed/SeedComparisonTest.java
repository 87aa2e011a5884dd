package org.rmsprop4j.train.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SeedComparison against tools/reference/seed-demo-reference.json (plain Python, PyTorch's formulas).
 *
 * <p>Bound held: final w and b within 4 ULP of the reference; every reported loss within a relative
 * 1e-12 (or an absolute 1e-28: at the optimum the residuals f − y are rounding noise and a loss of
 * ~1e-32 is the square of that noise). Differences start at the last bit because our kernels fuse
 * with Math.fma where the script rounds twice (gd, which has nothing to fuse, is bit-identical).
 *
 * <p>One exception, measured rather than assumed: for both RMSprop runs the loss after epoch 100 is
 * ill-conditioned. They pass within ~1e-18 of the optimum at epoch 91, where the gradient is rounding
 * noise that the normalised step amplifies; in the reference script itself, nudging w by one ULP at
 * epoch 60 moves the epoch-100 loss of rmsprop-pytorch from 5.77e-4 to 7.13e-4 (our value, to the
 * last digit). There we only require the same order of magnitude (factor 1.5), and
 * {@link #theRmspropEpoch100LossIsIllConditioned()} shows the sensitivity with our own code.
 */
class SeedComparisonTest {
    static final long MAX_ULP = 4;
    static final double REL = 1e-12;
    static final double LOSS_FLOOR = 1e-28;

    static JsonNode ref;
    static SeedComparison.Result result;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = SeedComparisonTest.class.getResourceAsStream("/seed-demo-reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        result = SeedComparison.compute();
    }

    static long ulps(double a, double b) {
        if (a == b) return 0;
        if (Double.isNaN(a) || Double.isNaN(b) || Math.signum(a) != Math.signum(b)) return Long.MAX_VALUE;
        return Math.abs(Double.doubleToLongBits(a) - Double.doubleToLongBits(b));
    }

    static boolean illConditioned(String run, int epoch) { return run.startsWith("rmsprop") && epoch == 100; }

    @Test
    void everyRunMatchesTheIndependentReference() {
        List<String> report = new ArrayList<>();
        int checked = 0;
        for (var e : ref.get("runs").properties()) {
            SeedComparison.Run run = result.run(e.getKey());
            JsonNode r = e.getValue();
            for (var l : r.get("loss_after_epoch").properties()) {
                int k = Integer.parseInt(l.getKey());
                double want = l.getValue().asDouble(), got = run.lossAfter(k);
                double rel = Math.abs(want - got) / Math.abs(want);
                report.add(e.getKey() + " loss@" + k + " rel " + rel);
                if (illConditioned(e.getKey(), k)) {
                    assertThat(got / want).as("%s loss after %d (ill-conditioned): want %s got %s", e.getKey(), k, want, got)
                            .isBetween(1 / 1.5, 1.5);
                } else {
                    assertThat(rel <= REL || Math.abs(want - got) <= LOSS_FLOOR)
                            .as("%s loss after %d: want %s got %s (rel %s)", e.getKey(), k, want, got, rel).isTrue();
                }
                checked++;
            }
            for (String c : new String[] {"w", "b"}) {
                double want = r.get(c).asDouble(), got = c.equals("w") ? run.finalW() : run.finalB();
                report.add(e.getKey() + " " + c + " " + ulps(want, got) + " ulp");
                assertThat(ulps(want, got)).as("%s final %s: want %s got %s", e.getKey(), c, want, got).isLessThanOrEqualTo(MAX_ULP);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(7 * (6 + 2));
        System.out.println("seed reference: " + report);
    }

    @Test
    void theRmspropEpoch100LossIsIllConditioned() {
        var neuron = org.rmsprop4j.train.model.SigmoidNeuron.article();
        var spec = SeedComparison.specs().get("rmsprop-pytorch");
        var opt = org.rmsprop4j.optim.Optimizer.builder(spec).layout(neuron.layout()).dtype(org.rmsprop4j.optim.Dtype.FLOAT64).build();
        double plain = result.run("rmsprop-pytorch").lossAfter(100);
        double maxChange = 0;
        for (int at = 50; at <= 90; at += 5) {
            var o = opt.copy();
            double[] p = {-2, -2}, g = new double[2];
            for (int k = 0; k < 100; k++) {
                neuron.lossAndGradient(p, g);
                o.step(p, g);
                if (k == at) p[0] = Math.nextUp(p[0]);
            }
            maxChange = Math.max(maxChange, Math.abs(neuron.loss(p[0], p[1]) - plain) / plain);
        }
        assertThat(maxChange).as("largest relative change of the epoch-100 loss after a one-ULP nudge of w").isGreaterThan(0.05);
        System.out.println("one-ULP nudge moves rmsprop-pytorch's epoch-100 loss by up to " + maxChange);
    }

    @Test
    void optimumIsTheClosedForm() {
        assertThat(ulps(result.optimumW(), ref.get("optimum").get("w").asDouble())).isLessThanOrEqualTo(2);
        assertThat(ulps(result.optimumB(), ref.get("optimum").get("b").asDouble())).isLessThanOrEqualTo(2);
        assertThat(ulps(result.optimumW(), Math.log(6))).isLessThanOrEqualTo(2);
    }

    @Test
    void everyRunStartsAtTheArticlesStartAndTheConvergentOnesReachTheOptimum() {
        for (SeedComparison.Run run : result.runs()) {
            assertThat(run.w()[0]).isEqualTo(-2.0);
            assertThat(run.b()[0]).isEqualTo(-2.0);
            assertThat(run.epochs()).isEqualTo(1000);
        }
        for (String n : List.of("momentum", "nesterov")) {
            assertThat(result.run(n).finalW()).isCloseTo(result.optimumW(), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(result.run(n).finalB()).isCloseTo(result.optimumB(), org.assertj.core.data.Offset.offset(1e-12));
        }
    }
}
