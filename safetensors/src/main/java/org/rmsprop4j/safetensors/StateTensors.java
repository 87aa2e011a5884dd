package org.rmsprop4j.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.StateDict;

/**
 * Optimizer state as safetensors: one tensor per state buffer, named as the state names it
 * ({@code transform/param/slot}, for example {@code rms/w/square_avg}; format-1 states: {@code w/square_avg}),
 * float32 or float64, and the structure in the header's {@code __metadata__} (all strings):
 *
 * <table>
 * <caption>metadata keys</caption>
 * <tr><th>key</th><th>value</th></tr>
 * <tr><td>{@code rmsprop4j.format_version}</td><td>version of the state structure ({@code "1"})</td></tr>
 * <tr><td>{@code kind}</td><td>optimizer family, e.g. {@code rmsprop}</td></tr>
 * <tr><td>{@code dtype}</td><td>{@code float32} or {@code float64}: the optimizer's element type</td></tr>
 * <tr><td>{@code params}</td><td>JSON object: every parameter's element count, in layout order</td></tr>
 * <tr><td>{@code groups}</td><td>JSON array of the parameter groups' names</td></tr>
 * <tr><td>{@code group.NAME.step}</td><td>steps the group has taken</td></tr>
 * <tr><td>{@code group.NAME.learning_rate}</td><td>the group's base learning rate</td></tr>
 * <tr><td>{@code group.NAME.spec}</td><td>JSON object: the group's hyper-parameters</td></tr>
 * <tr><td>{@code group.NAME.schedule}</td><td>the group's schedule ({@code cosine(period=100, minLr=0.0)}), when the state records one</td></tr>
 * <tr><td>{@code step}</td><td>the optimizer's step count (the largest group's)</td></tr>
 * </table>
 *
 * <p>Callers add their own keys (a checkpoint adds its schedule and clipping). A checkpoint's
 * parameters, when exported, are tensors named by the parameter name alone ({@code w}); parameter names
 * never contain {@code '/'}, so they never collide with state tensors.
 *
 * <p>A file from another tool needs only the tensors: loaded into an {@link Optimizer} (or against a
 * template {@link StateDict}), the structure comes from the optimizer and the metadata, where present,
 * supplies step counts and learning rates ({@code group.NAME.step}, or one {@code step} for every group).
 *
 * <p>8-bit state ({@code StateQuantization.blockwise8}) is refused by {@link #of(StateDict, Dtype, Map, Map)}:
 * safetensors readers expect one plain tensor per buffer. Export {@link StateDict#dequantize()} instead.
 *
 * <p>This is the one class that reads and builds {@link StateDict}s for the module.
 */
public final class StateTensors {

    /** Metadata key of the state structure's version. */
    public static final String FORMAT_VERSION = "rmsprop4j.format_version";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StateTensors() {}

    /**
     * The optimizer's state as a safetensors file in its own dtype.
     *
     * @param optimizer the optimizer whose state to take
     * @return the file
     */
    public static SafeTensors of(Optimizer optimizer) { return of(optimizer.stateDict(), optimizer.dtype(), Map.of(), Map.of()); }

    /**
     * The state, plus optional parameters and extra metadata, as a safetensors file.
     *
     * @param state    the state to write
     * @param dtype    element type of the tensors: the state's own, or float64 for a float32 state (exact);
     *                 float32 for a float64 state is refused (it would round)
     * @param params   parameter values by parameter name (may be empty); each must have its
     *                 parameter's length
     * @param extra    metadata to add (must not reuse the keys this class writes)
     * @return the file
     * @throws IllegalArgumentException naming the offending argument
     */
    public static SafeTensors of(StateDict state, Dtype dtype, Map<String, double[]> params, Map<String, String> extra) {
        if (!state.quantized().isEmpty()) {
            throw new IllegalArgumentException("state must hold float buffers only (safetensors export of 8-bit state is not supported), got 8-bit buffers "
                    + state.quantized().keySet() + "; export state.dequantize() for the float32 values the 8-bit run used");
        }
        if (state.dtype() == Dtype.FLOAT64 && dtype == Dtype.FLOAT32) {
            throw new IllegalArgumentException("dtype must be float64 for a float64 state (float32 would round), got float32");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_VERSION, String.valueOf(state.formatVersion()));
        meta.put("kind", state.kind());
        meta.put("dtype", state.dtype().label());
        ObjectNode lengths = JSON.createObjectNode();
        state.paramLengths().forEach(lengths::put);
        meta.put("params", json(lengths));
        ArrayNode names = JSON.createArrayNode();
        long step = 0;
        for (StateDict.GroupState g : state.groups()) names.add(g.name());
        meta.put("groups", json(names));
        for (StateDict.GroupState g : state.groups()) {
            meta.put("group." + g.name() + ".step", String.valueOf(g.step()));
            meta.put("group." + g.name() + ".learning_rate", String.valueOf(g.learningRate()));
            if (g.schedule() != null) meta.put("group." + g.name() + ".schedule", g.schedule());
            ObjectNode h = JSON.createObjectNode();
            g.hyperParameters().forEach(h::put);
            meta.put("group." + g.name() + ".spec", json(h));
            step = Math.max(step, g.step());
        }
        meta.put("step", String.valueOf(step));
        for (var e : extra.entrySet()) {
            if (meta.containsKey(e.getKey())) throw new IllegalArgumentException("extra metadata key must not be one this class writes, got '" + e.getKey() + "'");
            meta.put(e.getKey(), e.getValue());
        }
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            Integer len = state.paramLengths().get(e.getKey());
            if (len == null) throw new IllegalArgumentException("params must name parameters of the state " + state.paramLengths().keySet() + ", got '" + e.getKey() + "'");
            if (e.getValue().length != len) throw new IllegalArgumentException("length of parameter '" + e.getKey() + "' must be " + len + ", got " + e.getValue().length);
            tensors.put(e.getKey(), tensor(e.getValue(), dtype));
        }
        for (var e : state.buffers().entrySet()) tensors.put(e.getKey(), tensor(e.getValue(), dtype));
        return new SafeTensors(tensors, meta);
    }

    /**
     * Writes the optimizer's state to {@code file} atomically.
     *
     * @param optimizer the optimizer whose state to write
     * @param file      where to write
     * @throws IOException when it cannot be written (the file is then unchanged)
     */
    public static void save(Optimizer optimizer, Path file) throws IOException { of(optimizer).write(file); }

    /**
     * Loads a safetensors file (ours, or another tool's with the same tensor names) into the optimizer.
     * Everything is read and checked first; on any error the optimizer is unchanged.
     *
     * @param optimizer the optimizer to load into
     * @param file      a safetensors file
     * @throws IOException              when the file is unreadable or not valid safetensors
     * @throws IllegalArgumentException when its tensors do not fit the optimizer (names, lengths, dtype, values)
     */
    public static void loadInto(Optimizer optimizer, Path file) throws IOException {
        SafeTensors st = SafeTensors.read(file);
        optimizer.loadStateDict(toStateDict(st, optimizer.stateDict(), file.toString()));
    }

    /**
     * The state held by {@code file}.
     *
     * @param file     the parsed file
     * @param template the structure to fill (kind, dtype, groups, parameters and the buffers expected),
     *                 usually the target optimizer's own {@code stateDict()}; {@code null} to take the
     *                 structure from the file's metadata (files written by us)
     * @param source   names the file in messages
     * @return the state, with every buffer of the structure taken from the file
     * @throws IOException naming the source and the problem (missing or extra tensor, wrong dtype, wrong
     *                     element count, missing or malformed metadata, metadata that contradicts the template)
     */
    public static StateDict toStateDict(SafeTensors file, StateDict template, String source) throws IOException {
        Map<String, String> meta = file.metadata();
        String kind;
        Dtype dtype;
        int version;
        Map<String, Integer> lengths = new LinkedHashMap<>();
        List<StateDict.GroupState> groups = new ArrayList<>();
        Set<String> expectedBuffers = new LinkedHashSet<>();
        if (template != null) {
            kind = template.kind();
            dtype = template.dtype();
            version = template.formatVersion();
            if (meta.containsKey("kind") && !meta.get("kind").equals(kind)) {
                throw bad(source, "holds the state of a '" + meta.get("kind") + "' optimizer, not '" + kind + "'");
            }
            if (meta.containsKey("dtype") && !meta.get("dtype").equals(dtype.label())) {
                throw bad(source, "holds " + meta.get("dtype") + " state, not " + dtype.label());
            }
            lengths.putAll(template.paramLengths());
            for (StateDict.GroupState g : template.groups()) {
                groups.add(new StateDict.GroupState(g.name(), stepOf(meta, g.name(), g.step(), source), lrOf(meta, g.name(), g.learningRate(), source),
                        g.hyperParameters(), meta.getOrDefault("group." + g.name() + ".schedule", g.schedule())));
            }
            expectedBuffers.addAll(template.bufferKeys());
        } else {
            version = (int) longValue(source, FORMAT_VERSION, require(meta, FORMAT_VERSION, source));
            kind = require(meta, "kind", source);
            try {
                dtype = Dtype.parse(require(meta, "dtype", source));
            } catch (IllegalArgumentException e) {
                throw bad(source, "has metadata dtype '" + meta.get("dtype") + "'; expected float32 or float64");
            }
            JsonNode p = parseJson(source, "params", require(meta, "params", source));
            if (!p.isObject()) throw bad(source, "has metadata 'params' that is not a JSON object of lengths");
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber() || e.getValue().intValue() < 0) {
                    throw bad(source, "has metadata 'params' with length " + e.getValue() + " for '" + e.getKey() + "'; expected an integer >= 0");
                }
                lengths.put(e.getKey(), e.getValue().intValue());
            }
            JsonNode gs = parseJson(source, "groups", require(meta, "groups", source));
            if (!gs.isArray()) throw bad(source, "has metadata 'groups' that is not a JSON array of names");
            for (JsonNode g : gs) {
                if (!g.isTextual()) throw bad(source, "has metadata 'groups' with " + g + "; expected names");
                String name = g.textValue();
                String stepKey = "group." + name + ".step", lrKey = "group." + name + ".learning_rate";
                long step = longValue(source, stepKey, require(meta, stepKey, source));
                double lr = doubleValue(source, lrKey, require(meta, lrKey, source));
                Map<String, String> hyper = new LinkedHashMap<>();
                String specKey = "group." + name + ".spec";
                if (meta.containsKey(specKey)) {
                    JsonNode h = parseJson(source, specKey, meta.get(specKey));
                    if (!h.isObject()) throw bad(source, "has metadata '" + specKey + "' that is not a JSON object");
                    h.fields().forEachRemaining(e -> hyper.put(e.getKey(), e.getValue().asText()));
                }
                groups.add(new StateDict.GroupState(name, step, lr, hyper, meta.get("group." + name + ".schedule")));
            }
            for (String name : file.tensors().keySet()) {
                if (name.indexOf('/') >= 0) expectedBuffers.add(name);
            }
        }
        Map<String, double[]> buffers = new LinkedHashMap<>();
        for (String key : expectedBuffers) {
            SafeTensors.Tensor t = file.tensor(key);
            if (t == null) {
                throw bad(source, "has no tensor '" + key + "'; the optimizer keeps " + expectedBuffers + (file.tensors().isEmpty() ? "" : " and the file has " + file.tensors().keySet()));
            }
            String param = paramOf(key);
            Integer len = lengths.get(param);
            if (len == null) throw bad(source, "has tensor '" + key + "' for parameter '" + param + "', which is not one of " + lengths.keySet());
            buffers.put(key, values(source, key, t, dtype, len));
        }
        for (String name : file.tensors().keySet()) {
            if (name.indexOf('/') >= 0 && !expectedBuffers.contains(name)) {
                throw bad(source, "has tensor '" + name + "', which the optimizer does not keep; it keeps " + expectedBuffers);
            }
        }
        try {
            return new StateDict(version, kind, dtype, groups, lengths, buffers);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw bad(source, "does not describe a valid state: " + e.getMessage());
        }
    }

    /** The parameter a buffer key names: the part before the slot ({@code rms/w/square_avg} and {@code w/square_avg}: {@code w}). */
    static String paramOf(String key) {
        int slot = key.lastIndexOf('/');
        return key.substring(key.lastIndexOf('/', slot - 1) + 1, slot);
    }

    /**
     * The parameters held by {@code file} (tensors named by parameter name), concatenated in the order of
     * {@code lengths}.
     *
     * @param file    the parsed file
     * @param lengths parameter names and element counts, in layout order
     * @param dtype   the element type the values must fit
     * @param source  names the file in messages
     * @return the parameters, concatenated
     * @throws IOException naming the missing parameter, or a dtype or length that does not fit
     */
    public static double[] params(SafeTensors file, Map<String, Integer> lengths, Dtype dtype, String source) throws IOException {
        long total = 0;
        for (int n : lengths.values()) total += n;
        double[] out = new double[(int) total];
        int off = 0;
        for (var e : lengths.entrySet()) {
            SafeTensors.Tensor t = file.tensor(e.getKey());
            if (t == null) throw bad(source, "has no tensor for parameter '" + e.getKey() + "'; expected one for each of " + lengths.keySet());
            double[] v = values(source, e.getKey(), t, dtype, e.getValue());
            System.arraycopy(v, 0, out, off, v.length);
            off += v.length;
        }
        return out;
    }

    private static double[] values(String source, String key, SafeTensors.Tensor t, Dtype dtype, int length) throws IOException {
        if (!t.dtype().equals("F32") && !t.dtype().equals("F64")) {
            throw bad(source, "has tensor '" + key + "' of dtype " + t.dtype() + "; expected F32 or F64");
        }
        if (t.elements() != length) {
            throw bad(source, "has tensor '" + key + "' of shape " + java.util.Arrays.toString(t.shape()) + " (" + t.elements()
                    + " elements); the parameter has " + length);
        }
        double[] v = t.toDoubles();
        if (dtype == Dtype.FLOAT32 && t.dtype().equals("F64")) {
            for (int i = 0; i < v.length; i++) {
                if ((double) (float) v[i] != v[i] && !Double.isNaN(v[i])) {
                    throw bad(source, "has tensor '" + key + "' of dtype F64 for a float32 optimizer, with value " + v[i] + " at index " + i
                            + " that float32 would round; expected F32, or F64 values that are float32 values");
                }
            }
        }
        return v;
    }

    private static long stepOf(Map<String, String> meta, String group, long fallback, String source) throws IOException {
        String k = "group." + group + ".step";
        if (meta.containsKey(k)) return longValue(source, k, meta.get(k));
        if (meta.containsKey("step")) return longValue(source, "step", meta.get("step"));
        return fallback;
    }

    private static double lrOf(Map<String, String> meta, String group, double fallback, String source) throws IOException {
        String k = "group." + group + ".learning_rate";
        return meta.containsKey(k) ? doubleValue(source, k, meta.get(k)) : fallback;
    }

    private static String require(Map<String, String> meta, String key, String source) throws IOException {
        String v = meta.get(key);
        if (v == null) {
            throw bad(source, "has no metadata '" + key + "'; a file from another tool carries only tensors: load it into an optimizer"
                    + " (or against a state file) that gives the structure");
        }
        return v;
    }

    private static long longValue(String source, String key, String v) throws IOException {
        try {
            long x = Long.parseLong(v.trim());
            if (x < 0) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw bad(source, "has metadata '" + key + "' = '" + v + "'; expected an integer >= 0");
        }
    }

    private static double doubleValue(String source, String key, String v) throws IOException {
        try {
            double x = Double.parseDouble(v.trim());
            if (!(x >= 0) || Double.isInfinite(x)) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw bad(source, "has metadata '" + key + "' = '" + v + "'; expected a finite number >= 0");
        }
    }

    private static JsonNode parseJson(String source, String key, String v) throws IOException {
        try {
            return JSON.readTree(v);
        } catch (JsonProcessingException e) {
            throw bad(source, "has metadata '" + key + "' that is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static SafeTensors.Tensor tensor(double[] v, Dtype dtype) {
        return dtype == Dtype.FLOAT32 ? SafeTensors.Tensor.f32(v) : SafeTensors.Tensor.f64(v);
    }

    private static String json(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IOException bad(String source, String what) { return new IOException(source + " " + what); }
}
