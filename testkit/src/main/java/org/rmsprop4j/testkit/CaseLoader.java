package org.rmsprop4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.rmsprop4j.optim.Dtype;

/**
 * Reads conformance cases (the format in {@code shared/golden/FORMAT.md}, summarised in the README):
 * checks every field it uses and reports the first problem with the file and the JSON path.
 */
public final class CaseLoader {
    /** The only format this loader reads. */
    public static final String FORMAT = "rmsprop4j-conformance/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Most numbers one parameter may hold (the largest Java array). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Largest case file read (256 MiB). */
    public static final long MAX_BYTES = 256L << 20;

    private CaseLoader() {}

    /** Every {@code *.json} file under the given files and folders (folders recursively), sorted by path. */
    public static List<Path> findCaseFiles(List<Path> roots) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")).sorted().forEach(out::add);
                }
            } else {
                out.add(root);
            }
        }
        return out;
    }

    public static ConformanceCase load(Path file) throws CaseFormatException {
        if (!Files.exists(file)) throw new CaseFormatException(file + ": no such file");
        if (!Files.isReadable(file) || !Files.isRegularFile(file)) throw new CaseFormatException(file + ": not a readable regular file");
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new CaseFormatException(file + ": " + Files.size(file) + " bytes is more than the " + MAX_BYTES + " a case may have");
            }
        } catch (IOException e) {
            throw new CaseFormatException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new CaseFormatException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    public static ConformanceCase parse(String json, String source) throws CaseFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CaseFormatException(source + ": not valid JSON" + where(e) + ": " + jsonProblem(e), e);
        }
        if (root == null || !root.isObject()) throw new CaseFormatException(source + ": the top level must be a JSON object");
        Ctx c = new Ctx(source);
        String format = c.text(root, "format");
        if (!FORMAT.equals(format)) throw c.err("format", "must be \"" + FORMAT + "\", got \"" + format + "\"");
        String name = c.text(root, "name");
        String src = root.hasNonNull("source") ? c.text(root, "source") : "";
        String optimizer = c.text(root, "optimizer");
        if (!List.of("rmsprop", "sgd", "adagrad", "adadelta", "adam", "adamw").contains(optimizer)) {
            throw c.err("optimizer", "must be one of rmsprop, sgd, adagrad, adadelta, adam, adamw, got \"" + optimizer + "\"");
        }
        String flavor = root.hasNonNull("flavor") ? c.text(root, "flavor") : "pytorch";
        Dtype dtype;
        try {
            dtype = Dtype.parse(c.text(root, "dtype"));
        } catch (IllegalArgumentException e) {
            throw new CaseFormatException(source + ": " + e.getMessage());
        }
        JsonNode hyperNode = root.get("hyper");
        if (hyperNode == null || !hyperNode.isObject()) throw c.err("hyper", "must be an object");
        Map<String, Object> hyper = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = hyperNode.fields(); it.hasNext(); ) {
            var e = it.next();
            hyper.put(e.getKey(), c.scalar(e.getValue(), "hyper." + e.getKey()));
        }
        JsonNode paramsNode = root.get("params");
        if (paramsNode == null || !paramsNode.isArray()) throw c.err("params", "must be an array");
        List<ConformanceCase.Param> params = new ArrayList<>();
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (int i = 0; i < paramsNode.size(); i++) {
            JsonNode p = paramsNode.get(i);
            String at = "params[" + i + "]";
            String pname = c.text(p, "name", at);
            JsonNode shapeNode = p.get("shape");
            if (shapeNode == null || !shapeNode.isArray()) throw c.err(at + ".shape", "must be an array of dimensions");
            int[] shape = new int[shapeNode.size()];
            long n = 1;
            for (int d = 0; d < shape.length; d++) {
                JsonNode dim = shapeNode.get(d);
                if (!dim.isIntegralNumber() || !dim.canConvertToInt() || dim.asInt() < 0) {
                    throw c.err(at + ".shape", "dimensions must be whole numbers in 0.." + Integer.MAX_VALUE + ", got " + dim);
                }
                shape[d] = dim.asInt();
            }
            // the product in exact arithmetic: [65536,65536,65536,65536] wraps a long to 0
            for (int d : shape) if (d == 0) n = 0;
            if (n != 0) {
                for (int d : shape) {
                    n *= d;
                    if (n > MAX_ELEMENTS) {
                        throw c.err(at + ".shape", java.util.Arrays.toString(shape) + " has more than " + MAX_ELEMENTS
                                + " elements, the most one parameter may hold");
                    }
                }
            }
            double[] value = c.numbers(p.get("value"), at + ".value", dtype);
            if (value.length != n) throw c.err(at + ".value", "has " + value.length + " numbers but shape " + java.util.Arrays.toString(shape) + " needs " + n);
            if (lengths.put(pname, value.length) != null) throw c.err(at + ".name", "duplicate parameter name \"" + pname + "\"");
            params.add(new ConformanceCase.Param(pname, shape, value));
        }
        JsonNode stepsNode = root.get("steps");
        if (stepsNode == null || !stepsNode.isArray() || stepsNode.isEmpty()) throw c.err("steps", "must be a non-empty array");
        List<ConformanceCase.Step> steps = new ArrayList<>();
        for (int i = 0; i < stepsNode.size(); i++) {
            JsonNode s = stepsNode.get(i);
            String at = "steps[" + i + "]";
            if (!s.isObject()) throw c.err(at, "must be an object");
            Double lr = null;
            if (s.hasNonNull("lr")) {
                if (!s.get("lr").isNumber()) throw c.err(at + ".lr", "must be a number");
                lr = s.get("lr").doubleValue();
            }
            steps.add(new ConformanceCase.Step(lr, c.tensors(s.get("grads"), at + ".grads", lengths, dtype),
                    c.tensors(s.get("expect"), at + ".expect", lengths, dtype)));
        }
        Map<String, Map<String, double[]>> finalState = new LinkedHashMap<>();
        JsonNode fs = root.get("final_state");
        if (fs != null && !fs.isNull()) {
            if (!fs.isObject()) throw c.err("final_state", "must be an object");
            for (Iterator<Map.Entry<String, JsonNode>> it = fs.fields(); it.hasNext(); ) {
                var e = it.next();
                Integer len = lengths.get(e.getKey());
                if (len == null) throw c.err("final_state." + e.getKey(), "names no parameter of the case");
                if (!e.getValue().isObject()) throw c.err("final_state." + e.getKey(), "must be an object of slot -> numbers");
                Map<String, double[]> slots = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> jt = e.getValue().fields(); jt.hasNext(); ) {
                    var s = jt.next();
                    String at = "final_state." + e.getKey() + "." + s.getKey();
                    if (s.getKey().equals(STEP)) { // PyTorch's per-parameter step counter: a scalar, checked against the steps
                        slots.put(STEP, new double[] {c.stepCount(s.getValue(), at)});
                        continue;
                    }
                    double[] v = c.numbers(s.getValue(), at, dtype);
                    if (v.length != len) throw c.err(at, "has " + v.length + " numbers, parameter has " + len);
                    slots.put(s.getKey(), v);
                }
                finalState.put(e.getKey(), slots);
            }
        }
        return new ConformanceCase(name, src, optimizer, flavor, dtype, hyper, params, steps, finalState);
    }

    /**
     * The slot name of PyTorch's per-parameter step counter in {@code final_state}: a number (or an
     * array of one number), compared with the number of steps of the case instead of a state slot.
     */
    public static final String STEP = "step";

    private static String where(JsonProcessingException e) {
        var l = e.getLocation();
        return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    /** Jackson's reason, without its internals (source descriptions, feature names to enable). */
    static String jsonProblem(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        var bare = java.util.regex.Pattern.compile("Non-standard token '(-?Infinity|\\+?Infinity|NaN)'").matcher(m);
        if (bare.find()) {
            return "a bare " + bare.group(1) + " is not JSON; write non-finite numbers as the strings \"NaN\", \"Infinity\" and \"-Infinity\"";
        }
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        m = m.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\][^)]*\\)", "")
                .replaceAll("\\[Source:[^\\]]*\\]", "")
                .replaceAll(",? from `[^`]*`", "")
                .replaceAll(":? ?(enable|disable) `[^`]*`[^;]*", "")
                .replaceAll("`", "'");
        return m.strip();
    }

    /** Field access with error messages that name the file and the path. */
    private record Ctx(String source) {
        CaseFormatException err(String path, String what) { return new CaseFormatException(source + ": " + path + " " + what); }

        String text(JsonNode n, String field) throws CaseFormatException { return text(n, field, null); }

        String text(JsonNode n, String field, String at) throws CaseFormatException {
            String path = at == null ? field : at + "." + field;
            JsonNode v = n == null ? null : n.get(field);
            if (v == null || v.isNull()) throw err(path, "is missing");
            if (!v.isTextual()) throw err(path, "must be a string");
            return v.asText();
        }

        double stepCount(JsonNode v, String path) throws CaseFormatException {
            JsonNode x = v != null && v.isArray() && v.size() == 1 ? v.get(0) : v;
            if (x == null || !x.isNumber() || !(x.doubleValue() >= 0) || x.doubleValue() != Math.rint(x.doubleValue())) {
                throw err(path, "must be a whole number >= 0 (or an array of one), got " + v);
            }
            return x.doubleValue();
        }

        Object scalar(JsonNode v, String path) throws CaseFormatException {
            if (v == null || v.isNull()) return null;
            if (v.isBoolean()) return v.booleanValue();
            if (v.isNumber()) return v.doubleValue();
            if (v.isTextual()) return v.asText();
            if (v.isArray()) {
                List<Object> out = new ArrayList<>();
                for (JsonNode x : v) out.add(scalar(x, path));
                return out;
            }
            throw err(path, "must be a number, boolean, string, list or null");
        }

        double number(JsonNode v, String path, Dtype dtype) throws CaseFormatException {
            double d;
            if (v != null && v.isNumber()) d = v.doubleValue();
            else if (v != null && v.isTextual()) {
                switch (v.asText()) {
                    case "NaN": d = Double.NaN; break;
                    case "Infinity": d = Double.POSITIVE_INFINITY; break;
                    case "-Infinity": d = Double.NEGATIVE_INFINITY; break;
                    default: throw err(path, "holds the string \"" + v.asText() + "\"; only numbers, \"NaN\", \"Infinity\" and \"-Infinity\" are accepted");
                }
            } else throw err(path, "must hold numbers");
            return dtype == Dtype.FLOAT32 ? (double) (float) d : d;
        }

        double[] numbers(JsonNode v, String path, Dtype dtype) throws CaseFormatException {
            if (v == null || !v.isArray()) throw err(path, "must be an array of numbers");
            double[] out = new double[v.size()];
            for (int i = 0; i < out.length; i++) out[i] = number(v.get(i), path + "[" + i + "]", dtype);
            return out;
        }

        Map<String, double[]> tensors(JsonNode v, String path, Map<String, Integer> lengths, Dtype dtype) throws CaseFormatException {
            if (v == null || !v.isObject()) throw err(path, "must be an object of parameter name -> numbers");
            Map<String, double[]> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                var e = it.next();
                Integer len = lengths.get(e.getKey());
                if (len == null) throw err(path + "." + e.getKey(), "names no parameter of the case (parameters: " + lengths.keySet() + ")");
                double[] x = numbers(e.getValue(), path + "." + e.getKey(), dtype);
                if (x.length != len) throw err(path + "." + e.getKey(), "has " + x.length + " numbers, parameter has " + len);
                out.put(e.getKey(), x);
            }
            for (String n : lengths.keySet()) if (!out.containsKey(n)) throw err(path, "lacks parameter \"" + n + "\"");
            return out;
        }
    }
}
