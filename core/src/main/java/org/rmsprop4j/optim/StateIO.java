package org.rmsprop4j.optim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Saves and loads a {@link StateDict} as a binary file.
 *
 * <h2>File format, version 2</h2> Big-endian, in this order: the 8 magic bytes {@code "RMS4JSD\n"};
 * {@code int} format version; {@code UTF} kind; {@code UTF} dtype; {@code int} group count, then per
 * group {@code UTF} name, {@code long} step, {@code double} learning rate, {@code int} n and n pairs
 * of {@code UTF} hyper-parameter name and value, and (version 2) a {@code boolean} and, if true, the
 * {@code UTF} schedule description; {@code int} parameter count, then per parameter
 * {@code UTF} name and {@code int} length; {@code int} buffer count, then per buffer {@code UTF} key,
 * {@code int} length and the values as {@code float} (float32) or {@code double} (float64); finally
 * the {@code long} CRC-32 of every byte before it. ({@code UTF} is Java's modified UTF-8 with a
 * 2-byte length.) Version 3 (written only for a state with 8-bit buffers, {@link StateQuantization}) adds,
 * after the buffers and before the checksum, {@code int} count of 8-bit buffers, then per buffer {@code UTF}
 * key, {@code UTF} map name, {@code int} block size, {@code int} length n, the n code bytes and the
 * {@code ceil(n / blockSize)} block scales as {@code float}. Version 1 is version 2 without the schedule, with buffer keys {@code param/slot}
 * instead of {@code transform/param/slot}; it is still read (see {@link Optimizer#loadStateDict}).
 *
 * <h2>Guarantees</h2> {@link #save} writes a temporary file in the target's folder, forces it to
 * disk and renames it over the target, so the target is either the old file or the whole new one.
 * {@link #load} reads the whole file, checks the magic, the checksum and then the version before parsing, and
 * refuses truncated, corrupted or trailing bytes with a message that says which; {@link #loadInto}
 * then applies it with {@link Optimizer#loadStateDict}, which changes nothing unless everything fits.
 */
public final class StateIO {
    private static final byte[] MAGIC = "RMS4JSD\n".getBytes(StandardCharsets.US_ASCII);

    private StateIO() {}

    /** The state of {@code optimizer}, written atomically to {@code file}. */
    public static void save(Optimizer optimizer, Path file) throws IOException {
        save(optimizer.stateDict(), file);
    }

    /** Writes {@code state} atomically to {@code file}. */
    public static void save(StateDict state, Path file) throws IOException {
        writeAtomically(file, toBytes(state));
    }

    /** Writes {@code bytes} to a temporary file beside {@code file}, syncs it and renames it over {@code file}. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the platform's default
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Largest state file {@link #load} reads: 2 GiB less a little, the most a Java array holds. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Reads a state file; refuses a damaged one, and anything that is not a regular file or is too
     * large to be one (a device such as {@code /dev/zero}, a folder) before reading it. Does not
     * touch any optimizer.
     */
    public static StateDict load(Path file) throws IOException {
        return fromBytes(readRegularFile(file, MAX_FILE_BYTES, "state file"), file.toString());
    }

    /**
     * The bytes of {@code file}, after checking that it is a regular file of at most {@code maxBytes}:
     * a device, pipe or folder is refused before a byte is read, so that {@code /dev/zero} cannot
     * run the reader out of memory.
     *
     * @param what what the file should be, for the message ({@code "state file"})
     */
    public static byte[] readRegularFile(Path file, long maxBytes, String what) throws IOException {
        if (!Files.exists(file)) throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such " + what);
        if (!Files.isRegularFile(file)) throw new IOException(file + " is not a regular file (a " + what + " is expected)");
        long size = Files.size(file);
        if (size > maxBytes) throw new IOException(file + " is " + size + " bytes, larger than any " + what + " (at most " + maxBytes + ")");
        return Files.readAllBytes(file);
    }

    /** Reads {@code file} and loads it into {@code optimizer}; on any error the optimizer is unchanged. */
    public static void loadInto(Optimizer optimizer, Path file) throws IOException {
        optimizer.loadStateDict(load(file));
    }

    /** The file form of {@code state}. */
    public static byte[] toBytes(StateDict state) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.write(MAGIC);
            out.writeInt(state.formatVersion());
            out.writeUTF(state.kind());
            out.writeUTF(state.dtype().label());
            out.writeInt(state.groups().size());
            for (StateDict.GroupState g : state.groups()) {
                out.writeUTF(g.name());
                out.writeLong(g.step());
                out.writeDouble(g.learningRate());
                out.writeInt(g.hyperParameters().size());
                for (var e : g.hyperParameters().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue());
                }
                if (state.formatVersion() >= 2) {
                    out.writeBoolean(g.schedule() != null);
                    if (g.schedule() != null) out.writeUTF(g.schedule());
                }
            }
            out.writeInt(state.paramLengths().size());
            for (var e : state.paramLengths().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue());
            }
            out.writeInt(state.buffers().size());
            boolean f32 = state.dtype() == Dtype.FLOAT32;
            for (var e : state.buffers().entrySet()) {
                out.writeUTF(e.getKey());
                double[] v = e.getValue();
                out.writeInt(v.length);
                for (double x : v) {
                    if (f32) out.writeFloat((float) x);
                    else out.writeDouble(x);
                }
            }
            if (state.formatVersion() >= 3) {
                out.writeInt(state.quantized().size());
                for (var e : state.quantized().entrySet()) {
                    StateDict.Quantized q = e.getValue();
                    out.writeUTF(e.getKey());
                    out.writeUTF(q.map());
                    out.writeInt(q.blockSize());
                    out.writeInt(q.length());
                    out.write(q.codesView());
                    for (float a : q.absmaxView()) out.writeFloat(a);
                }
            } else if (!state.quantized().isEmpty()) {
                throw new IllegalStateException("quantized buffers need format 3");
            }
            out.flush();
            return withChecksum(bos.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code body} followed by its CRC-32 as a big-endian {@code long}: the trailer of every rmsprop4j file. */
    public static byte[] withChecksum(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] out = Arrays.copyOf(body, body.length + 8);
        java.nio.ByteBuffer.wrap(out, body.length, 8).putLong(crc.getValue());
        return out;
    }

    /**
     * Checks the trailer written by {@link #withChecksum}; returns the length of the body before it.
     *
     * @throws IOException "{@code source} is truncated or corrupted: checksum mismatch"
     */
    public static int checkChecksum(byte[] bytes, String source) throws IOException {
        int body = bytes.length - 8;
        if (body < 0) throw new IOException(source + " is truncated: " + bytes.length + " bytes");
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, body);
        if (crc.getValue() != java.nio.ByteBuffer.wrap(bytes, body, 8).getLong()) {
            throw new IOException(source + " is truncated or corrupted: checksum mismatch");
        }
        return body;
    }

    /**
     * Parses the file form; {@code source} names it in error messages.
     *
     * @throws IOException with a message saying what is wrong (not a state file, newer version,
     *                     truncated, checksum mismatch, malformed)
     */
    public static StateDict fromBytes(byte[] bytes, String source) throws IOException {
        if (bytes.length < MAGIC.length + 4 + 8 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            if (bytes.length >= MAGIC.length && !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
                throw new IOException(source + " is not an rmsprop4j state file (wrong magic bytes)");
            }
            throw new IOException(source + " is truncated: " + bytes.length + " bytes is shorter than any state file");
        }
        int body = checkChecksum(bytes, source);
        int version = ((bytes[8] & 0xff) << 24) | ((bytes[9] & 0xff) << 16) | ((bytes[10] & 0xff) << 8) | (bytes[11] & 0xff);
        if (version > StateDict.FORMAT_VERSION || version < 1) {
            throw new IOException(source + " has state format version " + version + "; this release reads versions 1.."
                    + StateDict.FORMAT_VERSION);
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, body));
            in.skipNBytes(MAGIC.length + 4);
            String kind = in.readUTF();
            Dtype dtype = Dtype.parse(in.readUTF());
            int ng = count(in.readInt(), "groups", source);
            List<StateDict.GroupState> groups = new ArrayList<>();
            for (int g = 0; g < ng; g++) {
                String name = in.readUTF();
                long step = in.readLong();
                double lr = in.readDouble();
                int nh = count(in.readInt(), "hyper-parameters", source);
                Map<String, String> hyper = new LinkedHashMap<>();
                for (int h = 0; h < nh; h++) hyper.put(in.readUTF(), in.readUTF());
                String schedule = version >= 2 && in.readBoolean() ? in.readUTF() : null;
                groups.add(new StateDict.GroupState(name, step, lr, hyper, schedule));
            }
            int np = count(in.readInt(), "parameters", source);
            Map<String, Integer> lengths = new LinkedHashMap<>();
            for (int p = 0; p < np; p++) lengths.put(in.readUTF(), count(in.readInt(), "parameter length", source));
            int nb = count(in.readInt(), "buffers", source);
            Map<String, double[]> buffers = new LinkedHashMap<>();
            for (int b = 0; b < nb; b++) {
                String key = in.readUTF();
                int n = count(in.readInt(), "length of buffer " + key, source);
                if ((long) n * (dtype == Dtype.FLOAT32 ? 4 : 8) > in.available()) throw new EOFException();
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    double x = dtype == Dtype.FLOAT32 ? in.readFloat() : in.readDouble();
                    v[i] = Double.isNaN(x) ? Double.NaN : x;   // one NaN: a payload would not survive float -> double -> float
                }
                buffers.put(key, v);
            }
            Map<String, StateDict.Quantized> quantized = new LinkedHashMap<>();
            if (version >= 3) {
                int nq = count(in.readInt(), "8-bit buffers", source);
                for (int b = 0; b < nq; b++) {
                    String key = in.readUTF();
                    String map = in.readUTF();
                    int block = in.readInt();
                    int n = count(in.readInt(), "length of 8-bit buffer " + key, source);
                    if (block <= 0) throw new IOException(source + " is corrupted: block size " + block + " of 8-bit buffer " + key);
                    int blocks = StateDict.Quantized.blocks(n, block);
                    if (n + 4L * blocks > in.available()) throw new EOFException();
                    byte[] codes = in.readNBytes(n);
                    float[] absmax = new float[blocks];
                    for (int i = 0; i < blocks; i++) absmax[i] = in.readFloat();
                    if (quantized.put(key, new StateDict.Quantized(map, block, codes, absmax)) != null) {
                        throw new IOException(source + " is corrupted: 8-bit buffer " + key + " appears twice");
                    }
                }
            }
            if (in.available() != 0) {
                throw new IOException(source + " is corrupted: " + in.available() + " unexpected bytes before the checksum");
            }
            return new StateDict(version, kind, dtype, groups, lengths, buffers, quantized);
        } catch (EOFException | IllegalArgumentException | java.io.UTFDataFormatException e) {
            throw new IOException(source + " is malformed: " + e.getMessage(), e);
        }
    }

    private static int count(int n, String what, String source) throws IOException {
        if (n < 0) throw new IOException(source + " is corrupted: negative count of " + what + " (" + n + ")");
        return n;
    }
}
