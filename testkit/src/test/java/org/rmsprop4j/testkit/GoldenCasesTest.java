package org.rmsprop4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays every recorded and independently computed case shipped in the test resources. */
class GoldenCasesTest {

    static Path goldenRoot() {
        try {
            return Path.of(GoldenCasesTest.class.getResource("/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Path> cases() throws IOException {
        return CaseLoader.findCaseFiles(List.of(goldenRoot())).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replaysWithinTheStatedBound(Path file) {
        CaseResult r = new CaseRunner(Tolerance.standard()).run(file);
        System.out.println(r.line());
        assertThat(r.error()).as(r.line()).isNull();
        assertThat(r.passed()).as(r.line()).isTrue();
    }
}
