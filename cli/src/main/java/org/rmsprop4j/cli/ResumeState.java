package org.rmsprop4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.optim.StateQuantization;
import org.rmsprop4j.train.Checkpoint;

/**
 * {@code train --resume} with another {@code --state-bits} than the checkpoint's: loads the checkpoint and
 * converts its optimizer state to what this run's optimizer keeps, saying so on {@code out}. float32 → 8-bit is
 * {@link StateDict#quantize} (lossy: what the 8-bit optimizer would store for that state); 8-bit → float32 is
 * {@link StateDict#dequantize()} (exact: the values the 8-bit run used); 8-bit with another block size goes
 * through float32. Anything else (another family, dtype, model) is left for the trainer's resume to refuse.
 */
final class ResumeState {
    private ResumeState() {}

    static Checkpoint load(PrintWriter out, Path resume, Optimizer optimizer) throws IOException {
        Checkpoint c = Checkpoint.load(resume, Checkpoint.maxBytes(optimizer.layout().size()));
        StateDict saved = c.optimizerState();
        StateQuantization want = optimizer.stateQuantization();
        if (!saved.kind().equals(optimizer.spec().kind()) || saved.dtype() != optimizer.dtype()) return c; // refused by resume, naming it
        boolean savedQ = !saved.quantized().isEmpty();
        if (!savedQ && !want.quantized()) return c;
        if (savedQ && !want.quantized()) {
            out.printf(Locale.ROOT, "state  converting the checkpoint's 8-bit optimizer state (blocks of %d) to %s: the exact values the 8-bit run used%n",
                    saved.quantized().values().iterator().next().blockSize(), optimizer.dtype().label());
            return c.withOptimizerState(saved.dequantize());
        }
        StateDict like = optimizer.stateDict();
        if (savedQ) {
            StateDict.Quantized first = saved.quantized().values().iterator().next();
            int had = first.blockSize();
            // a buffer's map name (StateDict.Quantized.MAP_*) as StateQuantization names its map
            String hadMap = first.map().equals(StateDict.Quantized.MAP_FP8_SIGNED) || first.map().equals(StateDict.Quantized.MAP_FP8_UNSIGNED)
                    ? StateQuantization.MAP_FP8 : StateQuantization.MAP_DYNAMIC;
            if (had == want.blockSize() && hadMap.equals(want.map())) return c;
            String blocks = had == want.blockSize() ? "" : "from blocks of " + had + " to blocks of " + want.blockSize();
            String maps = hadMap.equals(want.map()) ? "" : "from the " + hadMap + " map to the " + want.map() + " map";
            out.printf(Locale.ROOT, "state  converting the checkpoint's 8-bit optimizer state %s (through float32; lossy)%n",
                    blocks.isEmpty() ? maps : maps.isEmpty() ? blocks : blocks + ", " + maps);
            saved = saved.dequantize();
        } else {
            out.printf(Locale.ROOT, "state  converting the checkpoint's %s optimizer state to 8-bit, blocks of %d: what the 8-bit optimizer "
                    + "stores for it (lossy: 1 byte per value and one scale per block)%n", saved.dtype().label(), want.blockSize());
        }
        try {
            return c.withOptimizerState(saved.quantize(like));
        } catch (IllegalArgumentException e) {
            throw new CliException("--resume " + resume + " with --state-bits 8: cannot convert the checkpoint's optimizer state: " + e.getMessage());
        }
    }
}
