package org.rmsprop4j.playground;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.sim.Contender;
import org.rmsprop4j.sim.SpecParser;

/**
 * The playground's only contact with the optimizer-string syntax: strings are parsed exactly as
 * {@code rmsprop4j plot --opt} parses them (sim's {@link SpecParser}), and the page's knob editor
 * is told the kinds, keys and presets from the same place. When core gets its own parser, this
 * class is the one place to re-point.
 */
final class Optimizers {
    private Optimizers() {}

    /**
     * Parses optimizer strings into contenders, repeated labels numbered as {@code plot} numbers them.
     *
     * @throws ApiException (400) naming the offending string and what is accepted
     */
    static List<Contender> parse(String field, List<String> texts) {
        try {
            return SpecParser.parseAll(field, texts);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** Kind → accepted keys, in the parser's order. */
    static Map<String, List<String>> keys() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : SpecParser.kinds()) out.put(k, SpecParser.KEYS.get(k));
        return out;
    }

    /** RMSprop preset names as the {@code preset} key takes them. */
    static List<String> presets() {
        List<String> out = new ArrayList<>();
        for (RmsPropPreset p : RmsPropPreset.values()) out.add(p.id());
        return out;
    }
}
