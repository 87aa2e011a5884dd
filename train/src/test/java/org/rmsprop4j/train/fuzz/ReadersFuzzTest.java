package org.rmsprop4j.train.fuzz;

import java.io.IOException;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The short fuzz run of every {@code mvn verify} for the readers of this module and core's state
 * reader, in one JVM (Jazzer fuzzes one target per JVM, and each JVM costs ~20 s to start here):
 * the first byte picks the reader, the second sets flags, the rest is the file. The per-reader
 * targets ({@link CsvLoaderFuzzer}, {@link IdxLoaderFuzzer}, {@link CheckpointFuzzer},
 * {@link StateIOFuzzer}) are for long runs (README, "Fuzzing").
 */
class ReadersFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void everyReaderReadsOrRefusesWithItsDocumentedException(byte[] data) throws IOException {
        if (data.length < 2) return;
        byte[] file = Arrays.copyOfRange(data, 2, data.length);
        boolean flag = (data[1] & 1) != 0;
        switch (Math.floorMod(data[0], 4)) {
            case 0: CsvLoaderFuzzer.check(file); break;
            case 1: {
                int cut = Math.min(file.length, (data[1] & 0xff) * 2);
                IdxLoaderFuzzer.check(Arrays.copyOfRange(file, 0, cut), Arrays.copyOfRange(file, cut, file.length));
                break;
            }
            case 2: CheckpointFuzzer.check(flag, file); break;
            default: StateIOFuzzer.check(flag, file); break;
        }
    }
}
