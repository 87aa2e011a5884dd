package org.rmsprop4j.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.rmsprop4j.optim.StateIO;

/**
 * A safetensors file in memory: named tensors (dtype, shape, raw little-endian bytes) in file order,
 * and the header's {@code __metadata__} map of strings.
 *
 * <p>The format: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8
 * JSON, an object mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * plus an optional {@code "__metadata__"} object of strings; then the data, each tensor's bytes at
 * {@code [begin, end)} relative to the end of the header.
 *
 * <p>{@link #parse} checks everything a lying file could get wrong and refuses it with an
 * {@link IOException} naming the source and the problem: a header length past the end of the file or
 * above {@value #MAX_HEADER_BYTES} bytes, a header that is not a JSON object, an unknown dtype, a
 * negative or non-integer dimension, offsets out of range or reversed, a byte count that does not
 * match the dtype and shape, tensors that overlap or leave gaps (the data must be covered exactly,
 * as the reference implementation requires), duplicate names, metadata that is not a map of strings.
 * Nothing is returned unless the whole file is valid.
 */
public final class SafeTensors {

    /** The largest header accepted (the reference implementation's limit). */
    public static final int MAX_HEADER_BYTES = 100_000_000;
    /** The name of the header entry that holds the metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Element types of the format and their sizes in bytes. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1), Map.entry("F8_E4M3", 1),
            Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8));

    /**
     * One tensor: its dtype name as the format spells it ({@code "F32"}, {@code "F64"}, ...), its
     * shape and its raw little-endian bytes (the array is not copied: treat it as read-only).
     *
     * @param dtype the format's dtype name
     * @param shape dimensions, each {@code >= 0}; {@code []} is a scalar
     * @param data  the tensor's bytes, exactly {@code elements() * itemSize} of them
     */
    public record Tensor(String dtype, long[] shape, byte[] data) {
        /**
         * Validates the dtype and that the byte count matches dtype and shape.
         *
         * @param dtype the format's dtype name
         * @param shape dimensions, each {@code >= 0}
         * @param data  the tensor's bytes
         */
        public Tensor {
            Objects.requireNonNull(dtype, "dtype");
            Integer size = DTYPE_BYTES.get(dtype);
            if (size == null) throw new IllegalArgumentException("tensor dtype must be one of " + new java.util.TreeSet<>(DTYPE_BYTES.keySet()) + ", got '" + dtype + "'");
            shape = shape.clone();
            long n = elementsOf(shape);
            if (n < 0 || n > data.length || n * size != data.length) {
                throw new IllegalArgumentException("tensor of dtype " + dtype + " and shape " + Arrays.toString(shape) + " needs "
                        + (n < 0 ? "an impossible number of" : String.valueOf(n * size)) + " bytes, got " + data.length);
            }
        }

        /**
         * A float32 tensor holding {@code values} rounded to float (exact for values that came from floats).
         *
         * @param values the elements, in row-major order
         * @param shape  dimensions; none for a vector of {@code values.length}
         * @return the tensor
         */
        public static Tensor f32(double[] values, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) b.putFloat((float) v);
            return new Tensor("F32", shape.length == 0 ? new long[] {values.length} : shape, b.array());
        }

        /**
         * A float64 tensor holding {@code values} bit for bit.
         *
         * @param values the elements, in row-major order
         * @param shape  dimensions; none for a vector of {@code values.length}
         * @return the tensor
         */
        public static Tensor f64(double[] values, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) b.putDouble(v);
            return new Tensor("F64", shape.length == 0 ? new long[] {values.length} : shape, b.array());
        }

        /** {@return a copy of the dimensions} */
        @Override public long[] shape() { return shape.clone(); }

        /** {@return the number of elements (the product of the shape)} */
        public long elements() { return elementsOf(shape); }

        /**
         * The values as doubles; only for {@code F32} and {@code F64} (both exact).
         *
         * @return the elements in row-major order
         * @throws IllegalArgumentException for any other dtype
         */
        public double[] toDoubles() {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            double[] out = new double[(int) elements()];
            switch (dtype) {
                case "F32" -> { for (int i = 0; i < out.length; i++) out[i] = b.getFloat(); }
                case "F64" -> { for (int i = 0; i < out.length; i++) out[i] = b.getDouble(); }
                default -> throw new IllegalArgumentException("tensor dtype must be F32 or F64 to read as numbers, got " + dtype);
            }
            return out;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Tensor t && t.dtype.equals(dtype) && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
        }

        @Override public int hashCode() { return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data); }

        @Override public String toString() { return dtype + Arrays.toString(shape); }
    }

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    /**
     * A file with these tensors (in this order) and metadata.
     *
     * @param tensors  tensors by non-empty name, not {@value #METADATA_KEY}
     * @param metadata string pairs for the header's {@value #METADATA_KEY} (may be empty)
     */
    public SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
        for (var e : tensors.entrySet()) {
            String k = e.getKey();
            if (k == null || k.isEmpty() || k.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name must be non-empty and not " + METADATA_KEY + ", got " + (k == null ? null : "'" + k + "'"));
            }
            Objects.requireNonNull(e.getValue(), "tensor " + k);
        }
        for (var e : metadata.entrySet()) {
            Objects.requireNonNull(e.getKey(), "metadata key");
            Objects.requireNonNull(e.getValue(), "metadata value of " + e.getKey());
        }
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** {@return the tensors by name, in file order} */
    public Map<String, Tensor> tensors() { return tensors; }

    /** {@return the header's metadata (empty when the file has none)} */
    public Map<String, String> metadata() { return metadata; }

    /**
     * The tensor named {@code name}.
     *
     * @param name a tensor name
     * @return the tensor, or {@code null} when the file has none of that name
     */
    public Tensor tensor(String name) { return tensors.get(name); }

    /** {@return the file form: header padded with spaces to a multiple of 8 bytes, tensors in order, back to back} */
    public byte[] toBytes() {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject(METADATA_KEY);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            ObjectNode o = header.putObject(e.getKey());
            o.put("dtype", t.dtype());
            ArrayNode s = o.putArray("shape");
            for (long d : t.shape) s.add(d);
            ArrayNode off = o.putArray("data_offsets");
            off.add(offset);
            offset += t.data.length;
            off.add(offset);
        }
        byte[] h;
        try {
            h = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (h.length + 7) / 8 * 8;
        long total = 8L + padded + offset;
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("safetensors file would be " + total + " bytes; at most 2 GiB can be written");
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded);
        b.put(h);
        for (int i = h.length; i < padded; i++) b.put((byte) ' ');
        for (Tensor t : tensors.values()) b.put(t.data);
        return b.array();
    }

    /**
     * Writes the file atomically: {@code file} is afterwards either as it was or the whole new file.
     *
     * @param file where to write
     * @throws IOException when it cannot be written (the file is then unchanged)
     */
    public void write(Path file) throws IOException { StateIO.writeAtomically(file, toBytes()); }

    /**
     * Reads and checks {@code file} (see {@link #parse}).
     *
     * @param file a safetensors file
     * @return its tensors and metadata
     * @throws IOException when it cannot be read or is not valid safetensors, naming the file and the problem
     */
    public static SafeTensors read(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no safetensors file");
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) throw new IOException(file + " is " + size + " bytes; this reader takes files up to 2 GiB");
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses and checks the file form; {@code source} names it in messages.
     *
     * @param b      the whole file
     * @param source names the file in messages
     * @return its tensors and metadata
     * @throws IOException naming the source and the first problem found
     */
    public static SafeTensors parse(byte[] b, String source) throws IOException {
        if (b.length < 8) throw bad(source, "is " + b.length + " bytes long; a safetensors file starts with an 8-byte header length");
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw bad(source, "declares a header of " + Long.toUnsignedString(n) + " bytes; at most " + MAX_HEADER_BYTES + " are accepted");
        }
        if (n > b.length - 8L) throw bad(source, "declares a header of " + n + " bytes, but only " + (b.length - 8) + " bytes follow the length");
        if (n < 2 || b[8] != '{') throw bad(source, "has a header that is not a JSON object (it must start with '{')");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw bad(source, "has a header that is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad(source, "has a header that is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw bad(source, "has a header that is not a JSON object");
        int dataStart = 8 + (int) n;
        long dataLength = b.length - (long) dataStart;
        Map<String, String> meta = new LinkedHashMap<>();
        record Entry(String name, String dtype, long[] shape, long begin, long end) {}
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!v.isObject()) throw bad(source, "has " + METADATA_KEY + " that is not a JSON object of strings");
                for (Iterator<Map.Entry<String, JsonNode>> mi = v.fields(); mi.hasNext(); ) {
                    var m = mi.next();
                    if (!m.getValue().isTextual()) {
                        throw bad(source, "has " + METADATA_KEY + " value for '" + m.getKey() + "' that is " + m.getValue().getNodeType()
                                + "; metadata values must be strings");
                    }
                    meta.put(m.getKey(), m.getValue().textValue());
                }
                continue;
            }
            String where = "tensor '" + name + "'";
            if (name.isEmpty()) throw bad(source, "has a tensor with an empty name");
            if (!v.isObject()) throw bad(source, "has " + where + " whose entry is not a JSON object");
            for (Iterator<String> ki = v.fieldNames(); ki.hasNext(); ) {
                String k = ki.next();
                if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                    throw bad(source, "has " + where + " with unknown field '" + k + "'; accepted: dtype, shape, data_offsets");
                }
            }
            JsonNode dt = v.get("dtype");
            if (dt == null || !dt.isTextual()) throw bad(source, "has " + where + " without a string dtype");
            Integer size = DTYPE_BYTES.get(dt.textValue());
            if (size == null) {
                throw bad(source, "has " + where + " of dtype '" + dt.textValue() + "'; known dtypes are " + new java.util.TreeSet<>(DTYPE_BYTES.keySet()));
            }
            long[] shape = longs(source, where, "shape", v.get("shape"), -1);
            long[] off = longs(source, where, "data_offsets", v.get("data_offsets"), 2);
            long begin = off[0], end = off[1];
            if (begin > end) throw bad(source, "has " + where + " with data_offsets [" + begin + ", " + end + "] that end before they begin");
            if (end > dataLength) {
                throw bad(source, "has " + where + " with data_offsets [" + begin + ", " + end + "] past the end of the data ("
                        + dataLength + " bytes)");
            }
            long elements = elementsOf(shape);
            if (elements < 0 || elements > (end - begin) / size || elements * size != end - begin) {
                throw bad(source, "has " + where + " of dtype " + dt.textValue() + " and shape " + Arrays.toString(shape) + " but "
                        + (end - begin) + " bytes of data (the shape needs " + (elements < 0 ? "more than 2^63" : String.valueOf(elements * size)) + ")");
            }
            entries.add(new Entry(name, dt.textValue(), shape, begin, end));
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((x, y) -> x.begin != y.begin ? Long.compare(x.begin, y.begin) : Long.compare(x.end, y.end));
        long expected = 0;
        for (Entry e : sorted) {
            if (e.begin < expected) {
                throw bad(source, "has tensor '" + e.name + "' at [" + e.begin + ", " + e.end + ") overlapping the tensor before it (which ends at " + expected + ")");
            }
            if (e.begin > expected) throw bad(source, "has " + (e.begin - expected) + " bytes at " + expected + " that belong to no tensor");
            expected = e.end;
        }
        if (expected != dataLength) throw bad(source, "has " + (dataLength - expected) + " bytes after the last tensor that belong to no tensor");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            byte[] data = Arrays.copyOfRange(b, dataStart + (int) e.begin, dataStart + (int) e.end);
            tensors.put(e.name, new Tensor(e.dtype, e.shape, data));
        }
        return new SafeTensors(tensors, meta);
    }

    private static long[] longs(String source, String where, String field, JsonNode node, int wantLength) throws IOException {
        if (node == null || !node.isArray()) throw bad(source, "has " + where + " without a " + field + " array");
        if (wantLength >= 0 && node.size() != wantLength) {
            throw bad(source, "has " + where + " with " + field + " of " + node.size() + " numbers; expected " + wantLength);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToLong() || x.longValue() < 0) {
                throw bad(source, "has " + where + " with " + field + " " + node + "; expected integers >= 0");
            }
            out[i] = x.longValue();
        }
        return out;
    }

    /** Product of the dimensions, or -1 when it overflows a long. */
    static long elementsOf(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) return -1;
            if (d != 0 && n > Long.MAX_VALUE / d) return -1;
            n *= d;
        }
        return n;
    }

    private static IOException bad(String source, String what) {
        return new IOException(source + " is not a valid safetensors file: it " + what);
    }

    @Override public String toString() { return "SafeTensors" + tensors + (metadata.isEmpty() ? "" : " metadata=" + metadata.keySet()); }
}
