package org.rmsprop4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rmsprop4j.optim.Dtype;

class CaseLoaderTest {

    static final String GOOD = "{\"format\":\"rmsprop4j-conformance/1\",\"name\":\"t\",\"optimizer\":\"rmsprop\",\"flavor\":\"pytorch\","
            + "\"dtype\":\"float32\",\"hyper\":{\"lr\":0.1},"
            + "\"params\":[{\"name\":\"w\",\"shape\":[2],\"value\":[1,2]},{\"name\":\"s\",\"shape\":[],\"value\":[0.5]},"
            + "{\"name\":\"z\",\"shape\":[0],\"value\":[]}],"
            + "\"steps\":[{\"lr\":0.05,\"grads\":{\"w\":[1,\"NaN\"],\"s\":[0.1],\"z\":[]},\"expect\":{\"w\":[1,\"-Infinity\"],\"s\":[0.4],\"z\":[]}}]}";

    @Test
    void readsScalarsEmptyTensorsNonFiniteStringsAndPerStepRates() throws Exception {
        ConformanceCase c = CaseLoader.parse(GOOD, "t.json");
        assertThat(c.dtype()).isEqualTo(Dtype.FLOAT32);
        assertThat(c.params()).hasSize(3);
        assertThat(c.params().get(1).value()).containsExactly(0.5);
        assertThat(c.steps().get(0).lr()).isEqualTo(0.05);
        assertThat(Double.isNaN(c.steps().get(0).grads().get("w")[1])).isTrue();
        assertThat(c.steps().get(0).expect().get("w")[1]).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void float32ValuesAreNarrowedToFloat() throws Exception {
        ConformanceCase c = CaseLoader.parse(GOOD.replace("[1,2]", "[0.1,2]"), "t.json");
        assertThat(c.params().get(0).value()[0]).isEqualTo((double) 0.1f);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of(GOOD.replace("rmsprop4j-conformance/1", "other/2"), "t.json: format must be \"rmsprop4j-conformance/1\", got \"other/2\""),
                Arguments.of(GOOD.replace("\"dtype\":\"float32\"", "\"dtype\":\"half\""), "t.json: dtype must be one of float32, float64, got half"),
                Arguments.of(GOOD.replace("\"optimizer\":\"rmsprop\"", "\"optimizer\":\"lion\""), "t.json: optimizer must be one of .*got \"lion\""),
                Arguments.of(GOOD.replace("\"value\":[1,2]", "\"value\":[1,2,3]"), "t.json: params\\[0\\].value has 3 numbers but shape \\[2\\] needs 2"),
                Arguments.of(GOOD.replace("\"grads\":{\"w\":[1,\"NaN\"],", "\"grads\":{\"w\":[1],"), "t.json: steps\\[0\\].grads.w has 1 numbers, parameter has 2"),
                Arguments.of(GOOD.replace("\"grads\":{\"w\":[1,\"NaN\"],", "\"grads\":{\"w\":[1,\"nan\"],"), "t.json: steps\\[0\\].grads.w\\[1\\] holds the string \"nan\".*"),
                Arguments.of(GOOD.replace("\"expect\":{\"w\":[1,\"-Infinity\"],", "\"expect\":{\"q\":[1,2],"), "t.json: steps\\[0\\].expect.q names no parameter.*"),
                Arguments.of(GOOD.replace(",\"s\":[0.4]", ""), "t.json: steps\\[0\\].expect lacks parameter \"s\""),
                Arguments.of(GOOD.substring(0, 100), "t.json: not valid JSON .*"),
                // a product that wraps to 0 (in int and in long) must not make "value": [] fit
                Arguments.of(GOOD.replace("{\"name\":\"z\",\"shape\":[0]", "{\"name\":\"z\",\"shape\":[65536,65536,65536,65536]"),
                        "t.json: params\\[2\\].shape \\[65536, 65536, 65536, 65536\\] has more than 2147483639 elements.*"),
                Arguments.of(GOOD.replace("\"shape\":[2]", "\"shape\":[2.5]"), "t.json: params\\[0\\].shape dimensions must be whole numbers.*got 2.5"),
                Arguments.of(GOOD.replace("[1,\"NaN\"]", "[1,NaN]"),
                        "t.json: not valid JSON at line 1, column \\d+: a bare NaN is not JSON; write non-finite numbers as the strings \"NaN\", \"Infinity\" and \"-Infinity\""),
                Arguments.of(GOOD.replace("[1,\"-Infinity\"]", "[1,-Infinity]"), "t.json: not valid JSON at line 1, column \\d+: a bare -Infinity is not JSON.*"),
                Arguments.of(GOOD + "x", "t.json: not valid JSON at line 1, column \\d+: .*"),
                Arguments.of(GOOD.replace("}]}", "}],\"final_state\":{\"w\":{\"step\":[1.5]}}}"), "t.json: final_state.w.step must be a whole number >= 0.*"),
                Arguments.of("[1,2]", "t.json: the top level must be a JSON object"));
    }

    @Test
    void jsonErrorsDoNotLeakTheParsersInternals() {
        for (String bad : new String[] {GOOD.substring(0, 100), GOOD.replace("[1,\"NaN\"]", "[1,NaN]"), "{\"a\":" + "[".repeat(1500), "{\"a\":tru}"}) {
            assertThatThrownBy(() -> CaseLoader.parse(bad, "t.json")).isInstanceOf(CaseFormatException.class)
                    .hasMessageNotContaining("Source").hasMessageNotContaining("REDACTED").hasMessageNotContaining("Feature")
                    .hasMessageNotContaining("`").hasMessageNotContaining("StreamReadConstraints");
        }
    }

    @Test
    void pyTorchsStepEntryInTheFinalStateIsReadAsAStepCount() throws Exception {
        String withStep = GOOD.replace("}]}", "}],\"final_state\":{\"w\":{\"step\":1.0},\"s\":{\"step\":[1]}}}");
        ConformanceCase c = CaseLoader.parse(withStep, "t.json");
        assertThat(c.finalState().get("w").get("step")).containsExactly(1.0);
        assertThat(c.finalState().get("s").get("step")).containsExactly(1.0);
    }

    @ParameterizedTest
    @MethodSource("broken")
    void refusesMalformedCasesWithThePathOfTheProblem(String json, String regex) {
        assertThatThrownBy(() -> CaseLoader.parse(json, "t.json")).isInstanceOf(CaseFormatException.class).hasMessageMatching(regex);
    }
}
