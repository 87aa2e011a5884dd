package org.rmsprop4j.testkit;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The conformance reader on arbitrary text: a case, or a {@link CaseFormatException} naming the
 * source; a case that was read replays to a result (a pass or a FAIL line), never an exception.
 */
class CaseLoaderFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void readsOrRefusesAndReplaysWithoutThrowing(byte[] data) {
        ConformanceCase c;
        try {
            c = CaseLoader.parse(new String(data, StandardCharsets.UTF_8), "fuzz.json");
        } catch (CaseFormatException e) {
            if (!e.getMessage().startsWith("fuzz.json: ")) throw new IllegalStateException("message without the source", e);
            return;
        }
        CaseResult r = new CaseRunner(Tolerance.standard()).run(c);
        if (r.line() == null || r.line().isEmpty()) throw new IllegalStateException("no result line");
    }
}
