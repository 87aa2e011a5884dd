package org.rmsprop4j.playground;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.rmsprop4j.sim.Contender;
import org.rmsprop4j.sim.Surface;
import org.rmsprop4j.sim.Surfaces;

/**
 * A validated race request: {@code {"surface": NAME, "start": [x, y], "steps": N, "optimizers": [STRING, ...]}}
 * ({@code start} and {@code steps} optional), plus, for exports, the optional {@code step},
 * {@code panel}, {@code width}, {@code height} and {@code frames}. Every refusal is a 400 naming the
 * field, the value and what is accepted.
 */
record RaceRequest(Surface surface, Surface.Point start, int steps, List<String> optimizers, List<Contender> contenders,
                   JsonNode root) {

    /** Most steps per optimizer the API simulates. */
    static final int MAX_STEPS = 10_000;
    /** Most optimizers in one race (one colour each). */
    static final int MAX_OPTIMIZERS = 8;
    /** Steps when the request names none. */
    static final int DEFAULT_STEPS = 200;

    static final Set<String> RACE_FIELDS = Set.of("surface", "start", "steps", "optimizers");
    static final Set<String> EXPORT_FIELDS = Set.of("surface", "start", "steps", "optimizers", "step", "panel", "width", "height", "frames");

    static RaceRequest parse(JsonNode root, Set<String> accepted) {
        requireObject(root, accepted);
        Surface s = surface(root);
        Surface.Point p = start(root, s);
        int steps = root.has("steps") ? integer(root, "steps", 1, MAX_STEPS) : DEFAULT_STEPS;
        JsonNode os = root.get("optimizers");
        if (os == null || !os.isArray() || os.isEmpty() || os.size() > MAX_OPTIMIZERS) {
            throw ApiException.badRequest("optimizers must be an array of 1.." + MAX_OPTIMIZERS
                    + " optimizer strings such as \"rmsprop:preset=keras,lr=0.01\", got " + shortText(os));
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode o : os) {
            if (!o.isTextual()) throw ApiException.badRequest("optimizers must hold strings such as \"adam:lr=0.05\", got " + shortText(o));
            texts.add(o.asText());
        }
        return new RaceRequest(s, p, steps, List.copyOf(texts), Optimizers.parse("optimizers", texts), root);
    }

    static void requireObject(JsonNode root, Set<String> accepted) {
        if (root == null || !root.isObject()) throw ApiException.badRequest("request body must be a JSON object, got " + shortText(root));
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!accepted.contains(f)) {
                throw ApiException.badRequest("field '" + f + "' is not accepted here; accepted fields: " + String.join(", ", accepted.stream().sorted().toList()));
            }
        }
    }

    static Surface surface(JsonNode root) {
        JsonNode n = root.get("surface");
        if (n == null || !n.isTextual()) {
            throw ApiException.badRequest("surface must be one of " + String.join(", ", Surfaces.names()) + ", got " + shortText(n));
        }
        try {
            return Surfaces.byName(n.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static Surface.Point start(JsonNode root, Surface s) {
        JsonNode n = root.get("start");
        if (n == null || n.isNull()) return s.start();
        if (!n.isArray() || n.size() != 2 || !n.get(0).isNumber() || !n.get(1).isNumber()) {
            throw ApiException.badRequest("start must be [x, y], two numbers, got " + shortText(n));
        }
        Surface.Point p = new Surface.Point(n.get(0).asDouble(), n.get(1).asDouble());
        try {
            return s.checkStart("start", p);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static int integer(JsonNode root, String field, int min, int max) {
        JsonNode n = root.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw ApiException.badRequest(field + " must be an integer in [" + min + ", " + max + "], got " + shortText(n));
        }
        return n.asInt();
    }

    static double number(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw ApiException.badRequest(field + " must be a finite number, got " + shortText(n));
        }
        return n.asDouble();
    }

    /** A JSON value quoted for a message, cut to 80 characters. */
    static String shortText(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
