package org.rmsprop4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the bounds mean, case by case: a pure ULP bound, the floor, and which one decided. */
class CaseRunnerTest {

    static ConformanceCase recorded() throws Exception {
        return CaseLoader.load(GoldenCasesTest.golden("pytorch").resolve("rmsprop-default-f32.json"));
    }

    /** The case with one expected value of the last step moved by {@code ulps} float32 ULPs. */
    static ConformanceCase moved(ConformanceCase c, String param, int index, int ulps) {
        List<ConformanceCase.Step> steps = new ArrayList<>(c.steps());
        ConformanceCase.Step last = steps.get(steps.size() - 1);
        Map<String, double[]> expect = new LinkedHashMap<>(last.expect());
        double[] v = expect.get(param).clone();
        float f = (float) v[index];
        for (int i = 0; i < Math.abs(ulps); i++) f = ulps > 0 ? Math.nextUp(f) : Math.nextDown(f);
        v[index] = f;
        expect.put(param, v);
        steps.set(steps.size() - 1, new ConformanceCase.Step(last.lr(), last.grads(), expect));
        return new ConformanceCase(c.name(), c.source(), c.optimizer(), c.flavor(), c.dtype(), c.hyper(), c.params(), steps, c.finalState());
    }

    @Test
    void oneUlpOffFailsUnderMaxUlp0AndPassesUnderMaxUlp1() throws Exception {
        ConformanceCase c = moved(recorded(), "w", 3, 1);
        CaseResult zero = new CaseRunner(Tolerance.ulp(0)).run(c);
        assertThat(zero.passed()).as(zero.line()).isFalse();
        assertThat(zero.worstUlp()).isEqualTo(1);
        CaseResult one = new CaseRunner(Tolerance.ulp(1)).run(c);
        assertThat(one.passed()).as(one.line()).isTrue();
        assertThat(one.line()).contains("; within 1 ulp;");
    }

    @Test
    void aPureUlpBoundHasNoFloorAndTheStandardBoundSaysWhenItsFloorDecided() throws Exception {
        ConformanceCase r = recorded();
        // the value of smallest magnitude: there 64 ULP are below the 1e-6 floor
        double[] last = r.steps().get(r.steps().size() - 1).expect().get("b");
        int at = 0;
        for (int i = 1; i < last.length; i++) if (Math.abs(last[i]) < Math.abs(last[at])) at = i;
        ConformanceCase c = moved(r, "b", at, 64);
        assertThat(Math.abs(c.steps().get(39).expect().get("b")[at] - last[at])).isLessThan(1e-6);
        CaseResult two = new CaseRunner(Tolerance.ulp(2)).run(c);
        assertThat(two.passed()).as(two.line()).isFalse();
        CaseResult floored = new CaseRunner(Tolerance.ulp(2).withFloor(1e-6)).run(c);
        assertThat(floored.passed()).as(floored.line()).isTrue();
        assertThat(floored.line()).contains("; 1 value only within the absolute floor 1e-06;");
        assertThat(new CaseRunner(Tolerance.exact()).run(recorded()).line()).contains("; bit for bit)");
    }

    @Test
    void aParameterNameTheLayoutRefusesFailsThatCaseOnly() throws Exception {
        ConformanceCase c = recorded();
        List<ConformanceCase.Param> ps = new ArrayList<>(c.params());
        ps.set(0, new ConformanceCase.Param("enc/w", ps.get(0).shape(), ps.get(0).value()));
        ConformanceCase slash = new ConformanceCase(c.name(), c.source(), c.optimizer(), c.flavor(), c.dtype(), c.hyper(), ps, c.steps(),
                c.finalState());
        CaseResult r = new CaseRunner(Tolerance.exact()).run(slash);
        assertThat(r.passed()).isFalse();
        assertThat(r.line()).startsWith("FAIL rmsprop-default-f32  cannot set up the parameters: ").contains("enc/w");
    }

    @Test
    void theStepEntryIsCheckedAgainstTheNumberOfSteps() throws Exception {
        Path golden = GoldenCasesTest.golden("pytorch").resolve("rmsprop-default-f32.json");
        String json = Files.readString(golden);
        String right = json.replace("\"final_state\":{\"w\":{", "\"final_state\":{\"w\":{\"step\":[40.0],");
        assertThat(right).isNotEqualTo(json);
        CaseResult ok = new CaseRunner(Tolerance.exact()).run(CaseLoader.parse(right, "t.json"));
        assertThat(ok.passed()).as(ok.line()).isTrue();
        CaseResult wrong = new CaseRunner(Tolerance.exact()).run(CaseLoader.parse(json.replace("\"final_state\":{\"w\":{",
                "\"final_state\":{\"w\":{\"step\":39,"), "t.json"));
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.line()).contains("final_state.w.step is 39 but the case has 40 steps");
    }

    @Test
    void toleranceDescriptionsNameBothBounds() {
        assertThat(Tolerance.standard().describe()).isEqualTo("within 1024 ulp, or |ours - reference| <= 1e-06 (float32) / 1e-13 (float64) (the absolute floor)");
        assertThat(Tolerance.ulp(3).describe()).isEqualTo("within 3 ulp, no absolute floor");
        assertThat(Tolerance.exact().describe()).startsWith("bit for bit");
    }
}
