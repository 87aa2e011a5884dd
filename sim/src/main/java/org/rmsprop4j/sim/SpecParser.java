package org.rmsprop4j.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;
import org.rmsprop4j.optim.WeightDecayStyle;

/**
 * Parses the one-line optimizer descriptions the command line and the playground accept:
 * {@code KIND[:key=value,...]}, for example {@code rmsprop:preset=keras,lr=0.01},
 * {@code sgd:lr=0.1,momentum=0.9,nesterov=true}, {@code adam:lr=0.05}. Keys are our own knob names
 * (see {@link #KEYS}); {@code label} names the run in legends. Every key not known for the kind is
 * refused with the list of accepted ones, so a typo never falls back to a default silently.
 */
public final class SpecParser {
    private SpecParser() {}

    /** Accepted keys per kind. */
    public static final Map<String, List<String>> KEYS = Map.of(
            "rmsprop", List.of("label", "preset", "lr", "decay", "eps", "eps_placement", "init", "centered", "momentum",
                    "momentum_style", "nesterov", "weight_decay", "weight_decay_style", "bias_correction", "lr_decay", "maximize"),
            "sgd", List.of("label", "lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize"),
            "adagrad", List.of("label", "lr", "lr_decay", "init", "eps", "weight_decay", "maximize"),
            "adam", List.of("label", "lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "maximize"),
            "adamw", List.of("label", "lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "maximize"),
            "adadelta", List.of("label", "lr", "rho", "eps", "weight_decay", "maximize"));

    /**
     * Parses {@code text} into a contender. Without a {@code label} key the label is the kind,
     * or {@code rmsprop-PRESET} when a preset is named.
     *
     * @param argument the option name for error messages ({@code "--opt"})
     * @throws IllegalArgumentException naming the argument, the offending part and what is accepted
     */
    public static Contender parse(String argument, String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException(argument + " must be KIND[:key=value,...] with KIND one of "
                + String.join(", ", kinds()) + ", got '" + text + "'");
        String t = text.trim();
        int colon = t.indexOf(':');
        String kind = (colon < 0 ? t : t.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        if (!KEYS.containsKey(kind)) {
            throw new IllegalArgumentException(argument + " kind must be one of " + String.join(", ", kinds()) + ", got '" + kind + "' in '" + text + "'");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        if (colon >= 0 && colon < t.length() - 1) {
            for (String part : t.substring(colon + 1).split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException(argument + " settings must be key=value pairs separated by commas, got '" + part + "' in '" + text + "'");
                String k = part.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('-', '_');
                if (!KEYS.get(kind).contains(k)) {
                    throw new IllegalArgumentException(argument + " key for " + kind + " must be one of " + String.join(", ", KEYS.get(kind))
                            + ", got '" + k + "' in '" + text + "'");
                }
                if (kv.put(k, part.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException(argument + " key '" + k + "' must appear once, got it twice in '" + text + "'");
                }
            }
        }
        Values v = new Values(argument, text, kv);
        OptimizerSpec spec;
        String label;
        switch (kind) {
            case "rmsprop": {
                RmsPropConfig base = RmsPropConfig.builder().build();
                String preset = kv.get("preset");
                if (preset != null) {
                    try {
                        base = RmsPropPreset.byName(preset).config();
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(argument + " " + e.getMessage() + " (in '" + text + "')");
                    }
                }
                RmsPropConfig.Builder b = base.toBuilder();
                if (kv.containsKey("lr")) b.learningRate(v.num("lr"));
                if (kv.containsKey("decay")) b.decay(v.num("decay"));
                if (kv.containsKey("eps")) b.eps(v.num("eps"));
                if (kv.containsKey("eps_placement")) b.epsPlacement(v.choice("eps_placement", EpsPlacement.class));
                if (kv.containsKey("init")) b.initialMeanSquare(v.num("init"));
                if (kv.containsKey("centered")) b.centered(v.bool("centered"));
                if (kv.containsKey("momentum")) b.momentum(v.num("momentum"));
                if (kv.containsKey("momentum_style")) b.momentumStyle(v.choice("momentum_style", MomentumStyle.class));
                if (kv.containsKey("nesterov")) b.nesterov(v.bool("nesterov"));
                if (kv.containsKey("weight_decay")) b.weightDecay(v.num("weight_decay"));
                if (kv.containsKey("weight_decay_style")) b.weightDecayStyle(v.choice("weight_decay_style", WeightDecayStyle.class));
                if (kv.containsKey("bias_correction")) b.biasCorrection(v.bool("bias_correction"));
                if (kv.containsKey("lr_decay")) b.lrDecay(v.num("lr_decay"));
                if (kv.containsKey("maximize")) b.maximize(v.bool("maximize"));
                spec = v.build(b::build);
                label = preset == null ? "rmsprop" : "rmsprop-" + RmsPropPreset.byName(preset).id();
                break;
            }
            case "sgd": {
                SgdConfig.Builder b = SgdConfig.builder();
                if (kv.containsKey("lr")) b.learningRate(v.num("lr"));
                if (kv.containsKey("momentum")) b.momentum(v.num("momentum"));
                if (kv.containsKey("dampening")) b.dampening(v.num("dampening"));
                if (kv.containsKey("nesterov")) b.nesterov(v.bool("nesterov"));
                if (kv.containsKey("weight_decay")) b.weightDecay(v.num("weight_decay"));
                if (kv.containsKey("maximize")) b.maximize(v.bool("maximize"));
                spec = v.build(b::build);
                label = "sgd";
                break;
            }
            case "adagrad": {
                AdagradConfig.Builder b = AdagradConfig.builder();
                if (kv.containsKey("lr")) b.learningRate(v.num("lr"));
                if (kv.containsKey("lr_decay")) b.lrDecay(v.num("lr_decay"));
                if (kv.containsKey("init")) b.initialAccumulator(v.num("init"));
                if (kv.containsKey("eps")) b.eps(v.num("eps"));
                if (kv.containsKey("weight_decay")) b.weightDecay(v.num("weight_decay"));
                if (kv.containsKey("maximize")) b.maximize(v.bool("maximize"));
                spec = v.build(b::build);
                label = "adagrad";
                break;
            }
            case "adam":
            case "adamw": {
                AdamConfig.Builder b = kind.equals("adamw") ? AdamConfig.adamW() : AdamConfig.builder();
                if (kv.containsKey("lr")) b.learningRate(v.num("lr"));
                if (kv.containsKey("beta1")) b.beta1(v.num("beta1"));
                if (kv.containsKey("beta2")) b.beta2(v.num("beta2"));
                if (kv.containsKey("eps")) b.eps(v.num("eps"));
                if (kv.containsKey("weight_decay")) b.weightDecay(v.num("weight_decay"));
                if (kv.containsKey("amsgrad")) b.amsgrad(v.bool("amsgrad"));
                if (kv.containsKey("maximize")) b.maximize(v.bool("maximize"));
                spec = v.build(b::build);
                label = kind;
                break;
            }
            default: {
                AdadeltaConfig.Builder b = AdadeltaConfig.builder();
                if (kv.containsKey("lr")) b.learningRate(v.num("lr"));
                if (kv.containsKey("rho")) b.rho(v.num("rho"));
                if (kv.containsKey("eps")) b.eps(v.num("eps"));
                if (kv.containsKey("weight_decay")) b.weightDecay(v.num("weight_decay"));
                if (kv.containsKey("maximize")) b.maximize(v.bool("maximize"));
                spec = v.build(b::build);
                label = "adadelta";
            }
        }
        if (kv.containsKey("label")) {
            label = kv.get("label");
            if (label.isEmpty()) throw new IllegalArgumentException(argument + " label must be non-empty, got '' in '" + text + "'");
        }
        return new Contender(label, spec);
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

    private record Values(String argument, String text, Map<String, String> kv) {
        double num(String k) {
            String s = kv.get(k);
            try {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new IllegalArgumentException(argument + " " + k + " must be a finite number, got '" + s + "' in '" + text + "'");
        }

        boolean bool(String k) {
            String s = kv.get(k).toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) return Boolean.parseBoolean(s);
            throw new IllegalArgumentException(argument + " " + k + " must be true or false, got '" + kv.get(k) + "' in '" + text + "'");
        }

        <E extends Enum<E>> E choice(String k, Class<E> type) {
            String s = kv.get(k).toUpperCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) if (e.name().equals(s)) return e;
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
            throw new IllegalArgumentException(argument + " " + k + " must be one of " + String.join(", ", names) + ", got '" + kv.get(k)
                    + "' in '" + text + "'");
        }

        OptimizerSpec build(java.util.function.Supplier<OptimizerSpec> b) {
            try {
                return b.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(argument + " " + e.getMessage() + " (in '" + text + "')", e);
            }
        }
    }
}
