package org.rmsprop4j.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.StateDict;
import org.rmsprop4j.optim.StateIO;

/**
 * Everything a {@link Trainer} needs to continue a run to the same bits: parameters, optimizer state,
 * position in the run (epoch, batch, step), the random generator's state at the start of the epoch,
 * the running sums of the epoch and the early-stopping state, plus what must match on resume (model
 * spec, dtype, seed, batch and chunk size, training rows).
 *
 * <h2>File format, version 1</h2> Big-endian: the 8 magic bytes {@code "RMS4JCK\n"}; {@code int}
 * version; {@code UTF} model spec; {@code UTF} dtype; {@code long} seed; {@code int} batch size;
 * {@code int} chunk size; {@code int} training rows; {@code int} epoch (0-based, in progress);
 * {@code int} next batch in it; {@code long} steps; {@code long} random state at the epoch start;
 * {@code double} loss sum and {@code long} rows of the epoch so far; {@code double} best monitored
 * loss; {@code int} epochs without improvement; {@code int} n and n parameters ({@code float} or
 * {@code double}); {@code int} length and the optimizer state in {@link StateIO}'s format; finally the
 * {@code long} CRC-32 of every byte before it. Written with {@link StateIO#writeAtomically}: the
 * file is either the old one or the whole new one.
 *
 * <h2>Version 2</h2> As version 1, with after the {@code int} epochs without improvement: {@code int} count and
 * that many {@code UTF} name, {@code UTF} value pairs: the run's {@link #settings()} that must match on
 * resume but are not in the optimizer state (the schedule, the clipping). Version 1 files are read
 * with no settings.
 */
public record Checkpoint(String modelSpec, Dtype dtype, long seed, int batchSize, int chunkSize, int trainRows,
                         int epoch, int batch, long steps, long rngState, double epochLossSum, long epochRows,
                         double bestLoss, int badEpochs, Map<String, String> settings, double[] params, StateDict optimizerState) {
    /** File name inside a checkpoint folder. */
    public static final String FILE_NAME = "checkpoint.bin";
    /** The format version this release writes and reads. */
    public static final int VERSION = 2;
    /** The oldest format version this release reads. */
    public static final int OLDEST_VERSION = 1;
    private static final byte[] MAGIC = "RMS4JCK\n".getBytes(StandardCharsets.US_ASCII);

    public Checkpoint {
        params = params.clone();
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    @Override public double[] params() { return params.clone(); }

    /**
     * This checkpoint with another optimizer state, for a run that continues with the state converted:
     * float32 to 8-bit ({@link StateDict#quantize}) or back ({@link StateDict#dequantize()}).
     *
     * @throws IllegalArgumentException if {@code state} is of another dtype than the parameters
     */
    public Checkpoint withOptimizerState(StateDict state) {
        if (state == null) throw new IllegalArgumentException("state must not be null");
        if (state.dtype() != dtype) {
            throw new IllegalArgumentException("state dtype must be " + dtype.label() + " (the parameters'), got " + state.dtype().label());
        }
        return new Checkpoint(modelSpec, dtype, seed, batchSize, chunkSize, trainRows, epoch, batch, steps, rngState, epochLossSum, epochRows,
                bestLoss, badEpochs, settings, params, state);
    }

    /** The file form. */
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(modelSpec);
            out.writeUTF(dtype.label());
            out.writeLong(seed);
            out.writeInt(batchSize);
            out.writeInt(chunkSize);
            out.writeInt(trainRows);
            out.writeInt(epoch);
            out.writeInt(batch);
            out.writeLong(steps);
            out.writeLong(rngState);
            out.writeDouble(epochLossSum);
            out.writeLong(epochRows);
            out.writeDouble(bestLoss);
            out.writeInt(badEpochs);
            out.writeInt(settings.size());
            for (Map.Entry<String, String> e : settings.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(params.length);
            for (double v : params) {
                if (dtype == Dtype.FLOAT32) out.writeFloat((float) v);
                else out.writeDouble(v);
            }
            byte[] st = StateIO.toBytes(optimizerState);
            out.writeInt(st.length);
            out.write(st);
            out.flush();
            return StateIO.withChecksum(bos.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes this checkpoint atomically to {@code file}. */
    public void save(Path file) throws IOException { StateIO.writeAtomically(file, toBytes()); }

    /** The largest checkpoint file read: the largest byte array. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /** Reads {@code file} (a checkpoint file, or a folder holding {@value #FILE_NAME}); refuses a damaged one. */
    public static Checkpoint load(Path file) throws IOException { return load(file, MAX_BYTES); }

    /**
     * As {@link #load(Path)}, refusing before reading it a file that is not a regular file (a device
     * such as {@code /dev/zero}, a pipe) or larger than {@code maxBytes}.
     *
     * @param maxBytes the largest size accepted, e.g. {@link #maxBytes(int)} for the parameter count expected
     */
    public static Checkpoint load(Path file, long maxBytes) throws IOException {
        Path f = Files.isDirectory(file) ? file.resolve(FILE_NAME) : file;
        if (!Files.exists(f)) {
            throw new java.nio.file.NoSuchFileException(f.toString(), null, Files.isDirectory(file)
                    ? "the folder holds no " + FILE_NAME + " yet (the run stopped before its first checkpoint)" : "no checkpoint file");
        }
        if (!Files.isRegularFile(f)) throw new IOException(f + " is not a regular file (a device, pipe or folder), so not a checkpoint");
        long size = Files.size(f);
        long cap = Math.min(maxBytes, MAX_BYTES);
        if (size > cap) {
            throw new IOException(f + " has " + size + " bytes, more than the " + cap + " a checkpoint of this run can have; it is not one");
        }
        return fromBytes(Files.readAllBytes(f), f.toString());
    }

    /**
     * A generous upper bound of a checkpoint's size for {@code parameters} parameters: the header and
     * settings (at most 1 MiB) plus, per parameter, 8 bytes of value and 8 bytes for each of up to 7 state slots.
     */
    public static long maxBytes(int parameters) { return (1L << 20) + 64L * parameters; }

    /**
     * Parses the file form; {@code source} names it in messages.
     *
     * @throws IOException naming the source and the problem: not a checkpoint, another version,
     *                     truncated, checksum mismatch, malformed
     */
    public static Checkpoint fromBytes(byte[] b, String source) throws IOException {
        if (b.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(b, MAGIC.length), MAGIC)) {
            throw new IOException(source + " is not an rmsprop4j checkpoint (wrong magic bytes)");
        }
        if (b.length < MAGIC.length + 4 + 8) throw new IOException(source + " is truncated: " + b.length + " bytes");
        int body = StateIO.checkChecksum(b, source);
        int version = ((b[8] & 0xff) << 24) | ((b[9] & 0xff) << 16) | ((b[10] & 0xff) << 8) | (b[11] & 0xff);
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new IOException(source + " has checkpoint version " + version + "; this release reads versions " + OLDEST_VERSION + " to " + VERSION);
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, 0, body));
            in.skipNBytes(MAGIC.length + 4);
            String spec = in.readUTF();
            Dtype dtype = Dtype.parse(in.readUTF());
            long seed = in.readLong();
            int batchSize = in.readInt(), chunkSize = in.readInt(), rows = in.readInt(), epoch = in.readInt(), batch = in.readInt();
            long steps = in.readLong(), rng = in.readLong();
            double lossSum = in.readDouble();
            long epochRows = in.readLong();
            double best = in.readDouble();
            int bad = in.readInt();
            Map<String, String> settings = new LinkedHashMap<>();
            if (version >= 2) {
                int count = in.readInt();
                if (count < 0 || count > in.available()) throw new EOFException("settings count " + count);
                for (int i = 0; i < count; i++) settings.put(in.readUTF(), in.readUTF());
            }
            int n = in.readInt();
            if (n < 0 || (long) n * (dtype == Dtype.FLOAT32 ? 4 : 8) > in.available()) throw new EOFException("parameter count " + n);
            double[] p = new double[n];
            for (int i = 0; i < n; i++) p[i] = dtype == Dtype.FLOAT32 ? in.readFloat() : in.readDouble();
            int len = in.readInt();
            if (len < 0 || len > in.available()) throw new EOFException("optimizer state length " + len);
            StateDict sd = StateIO.fromBytes(in.readNBytes(len), source + " (optimizer state)");
            if (in.available() != 0) throw new IOException(source + " is malformed: " + in.available() + " unexpected bytes before the checksum");
            checkPosition(source, batchSize, chunkSize, rows, epoch, batch, steps, epochRows, bad, sd);
            if (sd.dtype() != dtype) throw new IOException(source + " is malformed: its optimizer state is " + sd.dtype().label() + ", its parameters " + dtype.label());
            return new Checkpoint(spec, dtype, seed, batchSize, chunkSize, rows, epoch, batch, steps, rng, lossSum, epochRows, best, bad, settings, p, sd);
        } catch (java.io.UTFDataFormatException e) {
            throw new IOException(source + " is malformed: a text field is not valid modified UTF-8 (" + e.getMessage() + ")", e);
        } catch (EOFException | IllegalArgumentException e) {
            throw new IOException(source + " is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * Cross-checks the position fields, which a valid checksum does not vouch for (a file may be written
     * by another program): an epoch of {@code ceil(rows / batchSize)} batches, {@code batch} in
     * {@code 0..batches}, {@code steps = epoch · batches + batch}, the epoch's rows so far
     * {@code min(batch · batchSize, rows)}, the epochs without improvement at most the epochs done, and
     * no optimizer group ahead of the steps.
     */
    private static void checkPosition(String source, int batchSize, int chunkSize, int rows, int epoch, int batch, long steps,
                                      long epochRows, int bad, StateDict sd) throws IOException {
        String m = null;
        if (batchSize < 1 || chunkSize < 1 || rows < 1) m = "batch size " + batchSize + ", chunk size " + chunkSize + " and training rows " + rows + " must be >= 1";
        else if (epoch < 0 || batch < 0 || steps < 0 || epochRows < 0 || bad < 0) m = "negative position (epoch " + epoch + ", batch " + batch + ", step " + steps + ")";
        else {
            long batches = (rows + (long) batchSize - 1) / batchSize;
            if (batch > batches) m = "batch " + batch + " is past the " + batches + " batches of an epoch (" + rows + " rows, batch size " + batchSize + ")";
            else if (steps != epoch * batches + batch) m = "step " + steps + " is not epoch " + epoch + " x " + batches + " batches + batch " + batch;
            else if (epochRows != Math.min((long) batch * batchSize, rows)) m = "the epoch's rows so far, " + epochRows + ", do not match batch " + batch + " of size " + batchSize;
            else if (bad > epoch) m = bad + " epochs without improvement after " + epoch + " epochs";
            else {
                for (StateDict.GroupState g : sd.groups()) {
                    if (g.step() > steps) m = "optimizer group '" + g.name() + "' has taken " + g.step() + " steps, the run " + steps;
                }
            }
        }
        if (m != null) throw new IOException(source + " is malformed: " + m);
    }
}
