package org.rmsprop4j.train.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.rmsprop4j.train.data.CsvLoader;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.MalformedDataException;

/**
 * {@link CsvLoader} on arbitrary bytes (plain or gzip): a data set whose shape is consistent, or a
 * {@link MalformedDataException}; anything else (another exception, running out of memory, a hang)
 * is a finding. Short run in every {@code mvn verify} through {@link ReadersFuzzTest}; long run: README, "Fuzzing".
 */
class CsvLoaderFuzzer {

    @FuzzTest(maxDuration = "4s")
    void readsOrRefusesWithAMalformedDataException(byte[] data) throws IOException { check(data); }

    static void check(byte[] data) throws IOException {
        Dataset d;
        try {
            d = CsvLoader.load(new ByteArrayInputStream(data), "fuzz.csv");
        } catch (MalformedDataException expected) {
            return;
        }
        Invariants.check(d);
    }
}
