package org.rmsprop4j.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.optim.OptimizerSpecs;
import org.rmsprop4j.optim.SettingException;

/**
 * Turns the one-line optimizer descriptions of the command line and the playground
 * ({@code KIND[:key=value,...]}, e.g. {@code rmsprop:preset=keras,lr=0.01}) into contenders, through
 * the library's one parser ({@link OptimizerSpecs}), and names the option in its messages.
 */
public final class SpecParser {
    private SpecParser() {}

    /** Accepted keys per kind ({@link OptimizerSpecs#KEYS} plus {@code label}). */
    public static final Map<String, List<String>> KEYS;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        OptimizerSpecs.KEYS.forEach((k, v) -> {
            List<String> keys = new ArrayList<>();
            keys.add("label");
            keys.addAll(v);
            m.put(k, List.copyOf(keys));
        });
        KEYS = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Parses {@code text} into a contender. Without a {@code label} key the label is the kind,
     * or {@code rmsprop-PRESET} when a preset is named.
     *
     * @param argument the option name for error messages ({@code "--opt"})
     * @throws IllegalArgumentException naming the argument, the offending part and what is accepted
     */
    public static Contender parse(String argument, String text) {
        try {
            OptimizerSpecs.Parsed p = OptimizerSpecs.parse(text);
            return new Contender(p.label(), p.spec());
        } catch (SettingException e) {
            String where = text == null || text.isBlank() ? "" : " (in '" + text + "')";
            throw new IllegalArgumentException(argument + " " + e.getMessage() + where, e);
        }
    }

    /**
     * Parses several descriptions; repeated labels get {@code #2}, {@code #3}, ... so that every
     * contender of a race has its own name.
     */
    public static List<Contender> parseAll(String argument, List<String> texts) {
        List<Contender> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String t : texts) {
            Contender c = parse(argument, t);
            int n = seen.merge(c.label(), 1, Integer::sum);
            out.add(n == 1 ? c : new Contender(c.label() + "#" + n, c.spec()));
        }
        return out;
    }

    /** Kinds accepted, sorted. */
    public static List<String> kinds() { return KEYS.keySet().stream().sorted().toList(); }
}
