package org.rmsprop4j.train.fuzz;

import java.io.IOException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.rmsprop4j.optim.StateIO;
import org.rmsprop4j.train.Checkpoint;

/**
 * {@link Checkpoint#fromBytes} on arbitrary bytes: a checkpoint, or an {@link IOException} naming the
 * source. Half the inputs get a valid CRC trailer, so that the fuzzer reaches the fields behind the
 * checksum (a file another program wrote, or one damaged before its CRC was computed).
 */
class CheckpointFuzzer {

    @FuzzTest(maxDuration = "4s")
    void readsOrRefusesWithAnIOException(FuzzedDataProvider in) {
        boolean fixCrc = in.consumeBoolean();
        check(fixCrc, in.consumeRemainingAsBytes());
    }

    static void check(boolean fixCrc, byte[] b) {
        if (fixCrc) b = StateIO.withChecksum(b);
        Checkpoint c;
        try {
            c = Checkpoint.fromBytes(b, "fuzz.bin");
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("fuzz.bin")) throw new IllegalStateException("message without the source", e);
            return;
        }
        // what was accepted writes back to an equal reading
        try {
            Checkpoint again = Checkpoint.fromBytes(c.toBytes(), "again");
            if (again.steps() != c.steps() || again.params().length != c.params().length) throw new IllegalStateException("round trip");
        } catch (IOException e) {
            throw new IllegalStateException("an accepted checkpoint does not read back", e);
        }
    }
}
