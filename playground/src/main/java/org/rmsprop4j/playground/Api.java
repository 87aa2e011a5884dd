package org.rmsprop4j.playground;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.rmsprop4j.sim.Contender;
import org.rmsprop4j.sim.Race;
import org.rmsprop4j.sim.Simulator;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Surfaces;
import org.rmsprop4j.sim.Sweep;
import org.rmsprop4j.sim.Trajectory;
import org.rmsprop4j.viz.AnimatedGif;
import org.rmsprop4j.viz.LossMap;
import org.rmsprop4j.viz.RaceFigure;
import org.rmsprop4j.viz.RaceMarks;
import org.rmsprop4j.viz.Render;
import org.rmsprop4j.viz.SweepFigure;
import org.rmsprop4j.viz.Text;

/**
 * The playground's HTTP API as a pure function from (method, path, query, body) to a
 * {@link Response}; {@link PlaygroundServer} only moves bytes. The contract is documented in the
 * README ("The playground"). Every refusal is a 4xx with {@code {"error": "..."}} naming the problem;
 * nothing a client sends produces a 500 or a stack trace.
 */
final class Api {

    /** Largest accepted request body. */
    static final int MAX_BODY = 64 * 1024;
    /** Sweep bounds: values per axis and simulated steps in all. */
    static final int MAX_SWEEP_AXIS = 40;
    static final long MAX_SWEEP_WORK = 2_000_000L;
    /** Export bounds. */
    static final int MAX_EXPORT_WIDTH = 1920, MAX_EXPORT_HEIGHT = 1280, MAX_GIF_FRAMES = 120;

    /** An HTTP answer. */
    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response json(int status, byte[] body) { return new Response(status, "application/json; charset=utf-8", body, Map.of()); }

        static Response error(int status, String message) {
            try {
                return json(status, MAPPER.writeValueAsBytes(Map.of("error", message)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final ObjectMapper MAPPER;

    static {
        JsonFactory f = JsonFactory.builder()
                .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // a race answer is mostly doubles
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(100).build()).build();
        MAPPER = new ObjectMapper(f);
    }

    /** GIF exports render many frames: at most two at a time, the rest are told to retry. */
    private final Semaphore heavy = new Semaphore(2);
    private final Assets assets = new Assets();

    Response handle(String method, String path, String query, byte[] body) {
        try {
            return route(method, path, query == null ? "" : query, body);
        } catch (ApiException e) {
            return Response.error(e.status, e.getMessage());
        }
    }

    private Response route(String method, String path, String query, byte[] body) {
        if (path.startsWith("/api/")) {
            switch (path) {
                case "/api/surfaces": get(method); return Response.json(200, surfaces());
                case "/api/optimizers": get(method); return Response.json(200, optimizers());
                case "/api/map": get(method); return Response.json(200, map(query));
                case "/api/race": post(method); return Response.json(200, raceJson(RaceRequest.parse(read(body), RaceRequest.RACE_FIELDS)));
                case "/api/sweep": post(method); return Response.json(200, sweep(read(body)));
                case "/api/export": post(method); return export(query, read(body));
                default: throw new ApiException(404, "no such API path: " + path + " (see GET /api/surfaces, /api/optimizers, /api/map, "
                        + "POST /api/race, /api/sweep, /api/export)");
            }
        }
        Assets.Asset a = assets.get(path);
        if (a == null) throw new ApiException(404, "no such page: " + path);
        get(method);
        return new Response(200, a.contentType(), a.bytes(), Map.of("Cache-Control", a.cacheControl()));
    }

    private static void get(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) throw new ApiException(405, "method must be GET here, got " + method);
    }

    private static void post(String method) {
        if (!method.equals("POST")) throw new ApiException(405, "method must be POST here, got " + method);
    }

    static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) throw ApiException.badRequest("request body must be a JSON object, got an empty body");
        if (body.length > MAX_BODY) throw new ApiException(413, "request body must be at most " + MAX_BODY + " bytes, got " + body.length);
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int nl = m.indexOf('\n');
            throw ApiException.badRequest("request body must be valid JSON: " + (nl > 0 ? m.substring(0, nl) : m));
        }
    }

    // ---- GET /api/surfaces, /api/optimizers, /api/map

    private static byte[] surfaces() {
        return json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("surfaces");
            for (Surface s : Surfaces.all()) {
                g.writeStartObject();
                g.writeStringField("name", s.name());
                g.writeStringField("title", s.title());
                g.writeStringField("formula", s.formula());
                g.writeStringField("xLabel", s.xLabel());
                g.writeStringField("yLabel", s.yLabel());
                Surface.Domain d = s.domain();
                g.writeObjectFieldStart("domain");
                g.writeNumberField("xMin", d.xMin());
                g.writeNumberField("xMax", d.xMax());
                g.writeNumberField("yMin", d.yMin());
                g.writeNumberField("yMax", d.yMax());
                g.writeEndObject();
                g.writeArrayFieldStart("start");
                g.writeNumber(s.start().x());
                g.writeNumber(s.start().y());
                g.writeEndArray();
                g.writeArrayFieldStart("minima");
                for (Surface.Point m : s.minima()) {
                    g.writeStartArray();
                    g.writeNumber(m.x());
                    g.writeNumber(m.y());
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeNumberField("minValue", s.minValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static byte[] optimizers() {
        return json(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("keys");
            for (Map.Entry<String, List<String>> e : Optimizers.keys().entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (String k : e.getValue()) g.writeString(k);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("presets");
            for (String p : Optimizers.presets()) g.writeString(p);
            g.writeEndArray();
            g.writeNumberField("maxSteps", RaceRequest.MAX_STEPS);
            g.writeNumberField("maxOptimizers", RaceRequest.MAX_OPTIMIZERS);
            g.writeEndObject();
        });
    }

    private static byte[] map(String query) {
        Map<String, String> q = query(query);
        for (String k : q.keySet()) {
            if (!k.equals("surface") && !k.equals("n")) throw ApiException.badRequest("query parameter '" + k + "' is not accepted; accepted: surface, n");
        }
        String name = q.get("surface");
        Surface s;
        try {
            s = Surfaces.byName(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        int n = 120;
        if (q.containsKey("n")) {
            try {
                n = Integer.parseInt(q.get("n"));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < LossMap.MIN_N || n > 200) throw ApiException.badRequest("n must be an integer in [" + LossMap.MIN_N + ", 200], got '" + q.get("n") + "'");
        }
        LossMap m = LossMap.of(s, n);
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("surface", s.name());
            g.writeNumberField("n", m.n());
            g.writeNumberField("lo", m.lo());
            g.writeNumberField("hi", m.hi());
            g.writeNumberField("floor", m.floor());
            numbers(g, "levels", m.levels());
            g.writeArrayFieldStart("ramp");
            for (int c : LossMap.rampStops()) g.writeString(String.format(Locale.ROOT, "#%06x", c));
            g.writeEndArray();
            numbers(g, "values", m.values());
            g.writeEndObject();
        });
    }

    static Map<String, String> query(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) return out;
        for (String part : query.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    // ---- POST /api/race

    static Race run(RaceRequest r) {
        try {
            return Simulator.race(r.surface(), r.start(), r.steps(), r.contenders());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static byte[] raceJson(RaceRequest r) {
        return raceJson(r, run(r));
    }

    static byte[] raceJson(RaceRequest r, Race race) {
        List<Trajectory> ts = race.trajectories();
        int[] same = RaceMarks.samePathAs(ts);
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("surface", race.surface().name());
            g.writeArrayFieldStart("start");
            g.writeNumber(race.start().x());
            g.writeNumber(race.start().y());
            g.writeEndArray();
            g.writeNumberField("steps", race.steps());
            g.writeArrayFieldStart("runs");
            for (int i = 0; i < ts.size(); i++) {
                Trajectory t = ts.get(i);
                int n = t.frames();
                g.writeStartObject();
                g.writeStringField("optimizer", r.optimizers().get(i));
                g.writeStringField("label", t.label());
                g.writeStringField("settings", Text.settings(t.spec()));
                g.writeStringField("stop", t.stopReason().name().toLowerCase(Locale.ROOT));
                g.writeStringField("stopMessage", t.stopMessage());
                g.writeNumberField("stepsTaken", t.stepsTaken());
                int left = RaceMarks.leftDomainAt(t);
                if (left < 0) g.writeNullField("leftDomainAt");
                else g.writeNumberField("leftDomainAt", left);
                if (same[i] < 0) g.writeNullField("samePathAs");
                else g.writeNumberField("samePathAs", same[i]);
                double[][] cols = new double[11][n];
                boolean hasSq = t.accumulatorSlot() != null, hasBuf = n > 0 && !Double.isNaN(t.momentum(0, 0));
                for (int k = 0; k < n; k++) {
                    cols[0][k] = t.x(k);
                    cols[1][k] = t.y(k);
                    cols[2][k] = t.loss(k);
                    cols[3][k] = t.gradient(k, 0);
                    cols[4][k] = t.gradient(k, 1);
                    cols[5][k] = hasSq ? t.squaredGradientAccumulator(k, 0) : Double.NaN;
                    cols[6][k] = hasSq ? t.squaredGradientAccumulator(k, 1) : Double.NaN;
                    cols[7][k] = hasBuf ? t.momentum(k, 0) : Double.NaN;
                    cols[8][k] = hasBuf ? t.momentum(k, 1) : Double.NaN;
                    cols[9][k] = t.effectiveStep(k, 0);
                    cols[10][k] = t.effectiveStep(k, 1);
                }
                numbers(g, "x", cols[0]);
                numbers(g, "y", cols[1]);
                numbers(g, "loss", cols[2]);
                numbers(g, "gradX", cols[3]);
                numbers(g, "gradY", cols[4]);
                if (hasSq) g.writeStringField("meanSquareSlot", t.accumulatorSlot());
                else g.writeNullField("meanSquareSlot");
                numbersOrNull(g, "meanSquareX", hasSq, cols[5]);
                numbersOrNull(g, "meanSquareY", hasSq, cols[6]);
                numbersOrNull(g, "bufferX", hasBuf, cols[7]);
                numbersOrNull(g, "bufferY", hasBuf, cols[8]);
                numbers(g, "effStepX", cols[9]);
                numbers(g, "effStepY", cols[10]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    // ---- POST /api/sweep

    static final Set<String> SWEEP_FIELDS = Set.of("surface", "start", "steps", "optimizer", "lr", "decay");

    private static byte[] sweep(JsonNode root) {
        RaceRequest.requireObject(root, SWEEP_FIELDS);
        Surface s = RaceRequest.surface(root);
        Surface.Point p = RaceRequest.start(root, s);
        int steps = root.has("steps") ? RaceRequest.integer(root, "steps", 1, RaceRequest.MAX_STEPS) : RaceRequest.DEFAULT_STEPS;
        JsonNode o = root.get("optimizer");
        String text = o != null && o.isTextual() ? o.asText() : null;
        if (text == null) throw ApiException.badRequest("optimizer must be one optimizer string such as \"rmsprop\", got " + RaceRequest.shortText(o));
        Contender c = Optimizers.parse("optimizer", List.of(text)).get(0);
        double[] lrs = axis(root, "lr", true), ds = axis(root, "decay", false);
        for (double d : ds) if (!(d >= 0 && d < 1)) throw ApiException.badRequest("decay values must be in [0, 1), got " + d);
        long work = (long) lrs.length * ds.length * steps;
        if (work > MAX_SWEEP_WORK) {
            throw ApiException.badRequest("lr.n × decay.n × steps must be at most " + MAX_SWEEP_WORK + " simulated steps, got "
                    + lrs.length + " × " + ds.length + " × " + steps + " = " + work);
        }
        Sweep sw;
        try {
            sw = Sweep.run(s, p, steps, c.spec(), lrs, ds, i -> { });
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        int[] best = SweepFigure.best(sw);
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("surface", s.name());
            g.writeStringField("optimizer", text);
            g.writeStringField("settings", Text.settings(c.spec()));
            g.writeNumberField("steps", steps);
            g.writeNumberField("minValue", s.minValue());
            numbers(g, "lr", lrs);
            numbers(g, "decay", ds);
            g.writeArrayFieldStart("finalLoss");
            for (int i = 0; i < lrs.length; i++) {
                double[] row = new double[ds.length];
                for (int j = 0; j < ds.length; j++) row[j] = sw.finalLoss(i, j);
                writeNumbers(g, row);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("diverged");
            for (int i = 0; i < lrs.length; i++) {
                g.writeStartArray();
                for (int j = 0; j < ds.length; j++) g.writeBoolean(sw.diverged(i, j));
                g.writeEndArray();
            }
            g.writeEndArray();
            if (best == null) g.writeNullField("best");
            else {
                g.writeObjectFieldStart("best");
                g.writeNumberField("i", best[0]);
                g.writeNumberField("j", best[1]);
                g.writeNumberField("lr", lrs[best[0]]);
                g.writeNumberField("decay", ds[best[1]]);
                g.writeNumberField("finalLoss", sw.finalLoss(best[0], best[1]));
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /** {@code {"from": a, "to": b, "n": k}}: geometric for learning rates (a > 0), linear for decays. */
    private static double[] axis(JsonNode root, String field, boolean geometric) {
        JsonNode a = root.get(field);
        String form = "{\"from\": A, \"to\": B, \"n\": 1.." + MAX_SWEEP_AXIS + "}";
        if (a == null || !a.isObject() || !a.path("from").isNumber() || !a.path("to").isNumber() || !a.path("n").isIntegralNumber()) {
            throw ApiException.badRequest(field + " must be " + form + ", got " + RaceRequest.shortText(a));
        }
        double from = a.get("from").asDouble(), to = a.get("to").asDouble();
        int n = a.get("n").asInt();
        if (n < 1 || n > MAX_SWEEP_AXIS || !a.get("n").canConvertToInt()) throw ApiException.badRequest(field + ".n must be in [1, " + MAX_SWEEP_AXIS + "], got " + a.get("n"));
        if (!Double.isFinite(from) || !Double.isFinite(to) || (geometric && !(from > 0 && to > 0))) {
            throw ApiException.badRequest(field + ".from and " + field + ".to must be finite" + (geometric ? " and > 0" : "") + ", got " + from + " and " + to);
        }
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            double t = n == 1 ? 0 : k / (double) (n - 1);
            v[k] = geometric ? Math.exp(Math.log(from) + t * (Math.log(to) - Math.log(from))) : from + t * (to - from);
        }
        return v;
    }

    // ---- POST /api/export?format=png|svg|gif|json|csv

    private Response export(String query, JsonNode root) {
        Map<String, String> q = query(query);
        String format = q.getOrDefault("format", "");
        if (!List.of("png", "svg", "gif", "json", "csv").contains(format) || q.size() != 1) {
            throw ApiException.badRequest("query must be format=png|svg|gif|json|csv, got '" + query + "'");
        }
        RaceRequest r = RaceRequest.parse(root, RaceRequest.EXPORT_FIELDS);
        int w = root.has("width") ? RaceRequest.integer(root, "width", 480, MAX_EXPORT_WIDTH) : RaceFigure.WIDTH;
        int h = root.has("height") ? RaceRequest.integer(root, "height", 320, MAX_EXPORT_HEIGHT) : RaceFigure.HEIGHT;
        int step = root.has("step") ? RaceRequest.integer(root, "step", 0, r.steps()) : r.steps();
        int frames = root.has("frames") ? RaceRequest.integer(root, "frames", 2, MAX_GIF_FRAMES) : 60;
        RaceFigure.Panel panel = RaceFigure.Panel.LOSS;
        if (root.has("panel")) {
            String pn = root.get("panel").asText("");
            if (pn.equals("squares")) panel = RaceFigure.Panel.SQUARES;
            else if (!pn.equals("loss")) throw ApiException.badRequest("panel must be \"loss\" or \"squares\", got " + RaceRequest.shortText(root.get("panel")));
        }
        Race race = run(r);
        String base = "race-" + r.surface().name();
        switch (format) {
            case "json": return download(Response.json(200, raceJson(r, race)), base + ".json");
            case "csv": return download(new Response(200, "text/csv; charset=utf-8", csv(r, race), Map.of()), base + ".csv");
            default: break;
        }
        RaceFigure fig = RaceFigure.of(race, null, panel, w, h, null);
        if (format.equals("png")) return download(new Response(200, "image/png", Render.png(fig.atStep(step)), Map.of()), base + ".png");
        if (format.equals("svg")) {
            byte[] svg = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + Render.svg(fig.atStep(step)) + "\n").getBytes(StandardCharsets.UTF_8);
            return download(new Response(200, "image/svg+xml", svg, Map.of()), base + ".svg");
        }
        if (!heavy.tryAcquire()) throw new ApiException(429, "two GIF exports are already being rendered; try again in a few seconds");
        try {
            List<BufferedImage> imgs = fig.animationFrames(frames, i -> { });
            return download(new Response(200, "image/gif", AnimatedGif.encode(imgs, 8, 250), Map.of()), base + ".gif");
        } finally {
            heavy.release();
        }
    }

    private static Response download(Response r, String name) {
        return new Response(r.status(), r.contentType(), r.body(), Map.of("Content-Disposition", "attachment; filename=\"" + name + "\""));
    }

    /** One row per optimizer and frame; empty cells where a quantity does not exist. */
    static byte[] csv(RaceRequest r, Race race) {
        StringBuilder sb = new StringBuilder("label,optimizer,step,x,y,loss,grad_x,grad_y,mean_square_x,mean_square_y,buffer_x,buffer_y,eff_step_x,eff_step_y\n");
        for (int i = 0; i < race.trajectories().size(); i++) {
            Trajectory t = race.trajectories().get(i);
            boolean hasSq = t.accumulatorSlot() != null, hasBuf = t.frames() > 0 && !Double.isNaN(t.momentum(0, 0));
            String lab = csvCell(t.label()), opt = csvCell(r.optimizers().get(i));
            for (int k = 0; k < t.frames(); k++) {
                sb.append(lab).append(',').append(opt).append(',').append(k);
                for (double v : new double[] {t.x(k), t.y(k), t.loss(k), t.gradient(k, 0), t.gradient(k, 1),
                        hasSq ? t.squaredGradientAccumulator(k, 0) : Double.NaN, hasSq ? t.squaredGradientAccumulator(k, 1) : Double.NaN,
                        hasBuf ? t.momentum(k, 0) : Double.NaN, hasBuf ? t.momentum(k, 1) : Double.NaN, t.effectiveStep(k, 0), t.effectiveStep(k, 1)}) {
                    sb.append(',');
                    if (Double.isFinite(v)) sb.append(v);
                }
                sb.append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String csvCell(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    // ---- JSON helpers

    @FunctionalInterface
    interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] json(JsonWriter w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 14);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An array of numbers; non-finite values (NaN at frame 0 of the effective step) become null. */
    static void numbers(JsonGenerator g, String field, double[] v) throws IOException {
        g.writeFieldName(field);
        writeNumbers(g, v);
    }

    static void writeNumbers(JsonGenerator g, double[] v) throws IOException {
        g.writeStartArray();
        for (double d : v) {
            if (Double.isFinite(d)) g.writeNumber(d);
            else g.writeNull();
        }
        g.writeEndArray();
    }

    private static void numbersOrNull(JsonGenerator g, String field, boolean present, double[] v) throws IOException {
        if (present) numbers(g, field, v);
        else g.writeNullField(field);
    }

}
