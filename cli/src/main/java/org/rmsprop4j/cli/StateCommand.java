package org.rmsprop4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.optim.StateIO;
import org.rmsprop4j.safetensors.SafeTensors;
import org.rmsprop4j.safetensors.StateTensors;
import org.rmsprop4j.train.Checkpoint;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rmsprop4j state export|import|show}: optimizer state and checkpoints as safetensors files. */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Converts optimizer state files and training checkpoints to and from safetensors, which other tools read "
                + "(Python's safetensors, PyTorch, NumPy, ...): one tensor per param/slot (w/square_avg), a checkpoint's parameters "
                + "as tensors named by the parameter (w), the optimizer's spec, step counts, schedule and clipping in __metadata__."},
        subcommands = {StateCommand.Export.class, StateCommand.Import.class, StateCommand.Show.class})
final class StateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static final byte[] CHECKPOINT_MAGIC = "RMS4JCK\n".getBytes(StandardCharsets.US_ASCII);

    /** A checkpoint (file or folder) or a state file, told apart by the first bytes. */
    static boolean isCheckpoint(Path p) throws IOException {
        if (Files.isDirectory(p)) return true;
        try (InputStream in = Files.newInputStream(p)) {
            return Arrays.equals(in.readNBytes(CHECKPOINT_MAGIC.length), CHECKPOINT_MAGIC);
        }
    }

    static void requireExists(Path p, String what) {
        if (!Files.exists(p)) throw new CliException("no such " + what + ": " + p);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes a state file (saved by StateIO or 'train') or a checkpoint (file or folder) as safetensors.",
                    "Example: rmsprop4j state export runs/ck --out ck.safetensors"})
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "A state file, or a checkpoint file or folder.")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The safetensors file to write (replaced atomically).")
        Path out;

        @Option(names = "--dtype", paramLabel = "DTYPE",
                description = "float32 or float64 (default: the state's own; float64 widens float32 state exactly, float32 cannot hold float64 state).")
        String dtype;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override public Integer call() throws IOException {
            requireExists(in, "state file or checkpoint");
            StateDict state;
            Map<String, double[]> params = new LinkedHashMap<>();
            Map<String, String> extra = new LinkedHashMap<>();
            if (isCheckpoint(in)) {
                Checkpoint ck = Checkpoint.load(in);
                state = ck.optimizerState();
                double[] p = ck.params();
                int off = 0;
                for (var e : state.paramLengths().entrySet()) {
                    params.put(e.getKey(), Arrays.copyOfRange(p, off, off + e.getValue()));
                    off += e.getValue();
                }
                if (off != p.length) throw new CliException(in + " holds " + p.length + " parameters but its optimizer state describes " + off);
                extra.put("model", ck.modelSpec());
                extra.put("epoch", String.valueOf(ck.epoch()));
                extra.put("seed", String.valueOf(ck.seed()));
                ck.settings().forEach((k, v) -> extra.put(k, v));
            } else {
                state = StateIO.load(in);
            }
            Dtype d = state.dtype();
            if (dtype != null) {
                try {
                    d = Dtype.parse(dtype);
                } catch (IllegalArgumentException e) {
                    throw new CliException("--dtype must be float32 or float64, got '" + dtype + "'");
                }
                if (state.dtype() == Dtype.FLOAT64 && d == Dtype.FLOAT32) {
                    throw new CliException("--dtype float32 cannot hold the float64 state of " + in + " without rounding; use float64");
                }
            }
            SafeTensors st = StateTensors.of(state, d, params, extra);
            st.write(out);
            spec.commandLine().getOut().println("wrote " + out + ": " + st.tensors().size() + " tensors (" + (params.isEmpty() ? "" : params.size() + " parameters, ")
                    + state.buffers().size() + " state buffers), " + d.label());
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Reads a safetensors file back into an rmsprop4j state file, or into a copy of a checkpoint. "
                    + "Without --like the file must carry our metadata (files written by 'state export'). "
                    + "With --like, the structure (optimizer, groups, parameters, buffers) comes from that state file or checkpoint "
                    + "and the safetensors file needs only the tensors: one per param/slot (and, for a checkpoint, one per parameter). "
                    + "Step counts come from the metadata 'group.NAME.step' or 'step' when present, else from --like "
                    + "(into a checkpoint they must equal the checkpoint's).",
                    "Example: rmsprop4j state import edited.safetensors --like runs/ck --out runs/ck2/checkpoint.bin"})
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The safetensors file to read.")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The state file (or, with a checkpoint as --like, checkpoint file) to write; replaced atomically.")
        Path out;

        @Option(names = "--like", paramLabel = "FILE", description = "A state file or checkpoint that gives the structure to fill.")
        Path like;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override public Integer call() throws IOException {
            requireExists(in, "safetensors file");
            if (like != null) requireExists(like, "state file or checkpoint (--like)");
            SafeTensors st = SafeTensors.read(in);
            PrintWriter o = spec.commandLine().getOut();
            if (like != null && isCheckpoint(like)) {
                Checkpoint ck = Checkpoint.load(like);
                StateDict sd = StateTensors.toStateDict(st, ck.optimizerState(), in.toString());
                for (int i = 0; i < sd.groups().size(); i++) {
                    long had = ck.optimizerState().groups().get(i).step(), got = sd.groups().get(i).step();
                    if (had != got) {
                        throw new CliException(in + " gives group '" + sd.groups().get(i).name() + "' " + got + " steps, but the checkpoint " + like
                                + " is at " + had + "; a checkpoint's optimizer steps must match its position in the run");
                    }
                }
                double[] p = StateTensors.params(st, sd.paramLengths(), ck.dtype(), in.toString());
                Checkpoint next = new Checkpoint(ck.modelSpec(), ck.dtype(), ck.seed(), ck.batchSize(), ck.chunkSize(), ck.trainRows(), ck.epoch(),
                        ck.batch(), ck.steps(), ck.rngState(), ck.epochLossSum(), ck.epochRows(), ck.bestLoss(), ck.badEpochs(), ck.settings(), p, sd);
                Checkpoint.fromBytes(next.toBytes(), out.toString());    // round trip checks the whole before writing
                next.save(out);
                o.println("wrote checkpoint " + out + ": " + p.length + " parameters, " + sd.buffers().size() + " state buffers");
            } else {
                StateDict sd = StateTensors.toStateDict(st, like == null ? null : StateIO.load(like), in.toString());
                StateIO.save(sd, out);
                o.println("wrote state " + out + ": " + sd.kind() + ", " + sd.dtype().label() + ", " + sd.buffers().size() + " state buffers");
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Checks a safetensors file and prints its metadata and tensors (name, dtype, shape, smallest and largest value).",
                    "Exits 2 with the reason when the file is not valid safetensors."})
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The safetensors file.")
        Path in;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override public Integer call() throws IOException {
            requireExists(in, "safetensors file");
            SafeTensors st = SafeTensors.read(in);
            PrintWriter o = spec.commandLine().getOut();
            o.println(in + ": " + st.tensors().size() + " tensors, " + st.metadata().size() + " metadata entries");
            st.metadata().forEach((k, v) -> o.println("  " + k + " = " + v));
            for (var e : st.tensors().entrySet()) {
                SafeTensors.Tensor t = e.getValue();
                String range = "";
                if ((t.dtype().equals("F32") || t.dtype().equals("F64")) && t.elements() > 0) {
                    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                    for (double v : t.toDoubles()) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                    range = String.format(Locale.ROOT, "  min %.6g  max %.6g", lo, hi);
                }
                o.println(String.format(Locale.ROOT, "%-28s %-4s %-14s", e.getKey(), t.dtype(), Arrays.toString(t.shape())) + range);
            }
            return 0;
        }
    }
}
