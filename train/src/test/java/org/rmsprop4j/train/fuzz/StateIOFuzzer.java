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
            if (!sameUpToNaNPayloads(sd, again)) throw new IllegalStateException("round trip changed the state");
        } catch (IOException e) {
            throw new IllegalStateException("an accepted state does not read back", e);
        }
    }

    /**
     * Equal state, where two NaNs count as equal whatever their payload bits. Known (reported, in
     * core): StateIO reads a float32 buffer holding a NaN with a payload (seed
     * {@code nan-payload-in-float32-buffer}) and writes it back as another NaN, so the round trip
     * is not bit for bit; {@code Optimizer.loadStateDict} refuses non-finite state anyway.
     */
    static boolean sameUpToNaNPayloads(StateDict a, StateDict b) {
        if (a.equals(b)) return true;
        if (!a.groups().equals(b.groups()) || a.dtype() != b.dtype() || !a.kind().equals(b.kind())) return false;
        for (String k : a.buffers().keySet()) {
            double[] x = a.buffer(k), y = b.buffer(k);
            if (y == null || x.length != y.length) return false;
            for (int i = 0; i < x.length; i++) if (Double.compare(x[i], y[i]) != 0) return false;
        }
        return a.buffers().keySet().equals(b.buffers().keySet());
    }
}
