package org.rmsprop4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case shipped in the test resources: the recorded PyTorch runs must be reproduced
 * bit for bit (parameters after every step and the final state); the independently computed
 * cases of the other flavours within {@link Tolerance#standard()}.
 */
class GoldenCasesTest {

    static Path golden(String sub) {
        try {
            return Path.of(GoldenCasesTest.class.getResource("/golden/" + sub).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Path> pytorchCases() throws IOException {
        return CaseLoader.findCaseFiles(List.of(golden("pytorch"))).stream();
    }

    static Stream<Path> independentCases() throws IOException {
        return CaseLoader.findCaseFiles(List.of(golden("independent"))).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorchCases")
    void pytorchRecordedRunsAreReproducedBitForBit(Path file) {
        CaseResult r = new CaseRunner(Tolerance.exact()).run(file);
        System.out.println(r.line());
        assertThat(r.error()).as(r.line()).isNull();
        assertThat(r.compared()).isGreaterThan(100);
        assertThat(r.worstUlp()).as(r.line()).isZero();
        assertThat(r.passed()).as(r.line()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("independentCases")
    void independentFlavourCasesAgreeWithinTheStandardBound(Path file) {
        CaseResult r = new CaseRunner(Tolerance.standard()).run(file);
        System.out.println(r.line());
        assertThat(r.error()).as(r.line()).isNull();
        assertThat(r.compared()).isGreaterThan(100);
        assertThat(r.passed()).as(r.line()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void everyFlavourHasAtLeastOneIndependentCase() throws IOException {
        List<String> flavors = independentCases().map(p -> {
            try {
                return CaseLoader.load(p).flavor();
            } catch (CaseFormatException e) {
                throw new IllegalStateException(e);
            }
        }).distinct().toList();
        // tfjs and timm are checked against recorded runs only (RecordedCasesExactTest), not transcriptions
        assertThat(flavors).containsAll(Flavors.RMSPROP_FLAVORS.stream().filter(f -> !List.of("pytorch", "tfjs", "timm").contains(f)).toList());
    }
}
