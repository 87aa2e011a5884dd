package org.rmsprop4j.train.fuzz;

import java.io.IOException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.optim.StateIO;

/**
 * Core's state reader ({@link StateIO#fromBytes}, what {@code StateIO.load} parses) on arbitrary
 * bytes: a state dict, or an {@link IOException}. Lives here because core has no test dependency on
 * Jazzer; half the inputs get a valid CRC trailer to reach the fields behind it.
 */
class StateIOFuzzer {

    @FuzzTest(maxDuration = "4s")
    void readsOrRefusesWithAnIOException(FuzzedDataProvider in) {
        boolean fixCrc = in.consumeBoolean();
        check(fixCrc, in.consumeRemainingAsBytes());
    }

    static void check(boolean fixCrc, byte[] b) {
        if (fixCrc) b = StateIO.withChecksum(b);
        StateDict sd;
        try {
            sd = StateIO.fromBytes(b, "fuzz.state");
        } catch (IOException e) {
            return;
        }
        try {
            StateDict again = StateIO.fromBytes(StateIO.toBytes(sd), "again");
            // bit for bit: StateIO reads every NaN as the canonical one, so no payload can be lost on the way back
            if (!sd.equals(again)) throw new IllegalStateException("round trip changed the state");
        } catch (IOException e) {
            throw new IllegalStateException("an accepted state does not read back", e);
        }
    }
}
