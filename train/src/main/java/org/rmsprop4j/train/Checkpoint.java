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

    /** Reads {@code file} (a checkpoint file, or a folder holding {@value #FILE_NAME}); refuses a damaged one. */
    public static Checkpoint load(Path file) throws IOException {
        Path f = Files.isDirectory(file) ? file.resolve(FILE_NAME) : file;
        if (!Files.exists(f)) throw new java.nio.file.NoSuchFileException(f.toString(), null, "no checkpoint file");
        return fromBytes(Files.readAllBytes(f), f.toString());
    }

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
            if (epoch < 0 || batch < 0 || steps < 0) throw new IOException(source + " is malformed: negative position");
            return new Checkpoint(spec, dtype, seed, batchSize, chunkSize, rows, epoch, batch, steps, rng, lossSum, epochRows, best, bad, settings, p, sd);
        } catch (EOFException | IllegalArgumentException e) {
            throw new IOException(source + " is malformed: " + e.getMessage(), e);
        }
    }
}
