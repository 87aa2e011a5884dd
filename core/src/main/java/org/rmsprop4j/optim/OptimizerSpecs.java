package org.rmsprop4j.optim;

import org.rmsprop4j.internal.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one parser from names to specs, shared by the command line, simulation specs and conformance
 * flavours. A setting is a {@code key=value} pair in our own knob names (below); the one-line form
 * is {@code KIND[:key=value,...]}, e.g. {@code rmsprop:preset=keras,lr=0.01} or
 * {@code sgd:lr=0.1,momentum=0.9,nesterov=true}. A key the family does not have is refused with the
 * list of the ones it has, so a typo never falls back to a default; defaults are the builders' and
 * presets' own, written once there.
 *
 * <table>
 * <caption>Keys per family</caption>
 * <tr><th>kind</th><th>keys</th></tr>
 * <tr><td>rmsprop</td><td>preset, lr, decay, eps, eps_placement (inside|outside), eps_inside (true|false), init,
 *   centered, momentum, momentum_style (lr_outside|lr_inside), nesterov, weight_decay, weight_decay_style
 *   (l2|decoupled), bias_correction, lr_decay, maximize, gradient_scale, clip_gradient</td></tr>
 * <tr><td>sgd</td><td>lr, momentum, dampening, nesterov, weight_decay, maximize</td></tr>
 * <tr><td>adagrad</td><td>lr, lr_decay, init, eps, weight_decay, maximize</td></tr>
 * <tr><td>adadelta</td><td>lr, rho, eps, weight_decay, maximize</td></tr>
 * <tr><td>adam, adamw</td><td>lr, beta1, beta2, eps, weight_decay, amsgrad, maximize</td></tr>
 * </table>
 * {@link #parse} also takes {@code label} (the run's name in legends and tables).
 */
public final class OptimizerSpecs {
    private OptimizerSpecs() {}

    /** Keys per kind, in the order the help lists them. */
    public static final Map<String, List<String>> KEYS;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("rmsprop", List.of("preset", "lr", "decay", "eps", "eps_placement", "eps_inside", "init", "centered", "momentum",
                "momentum_style", "nesterov", "weight_decay", "weight_decay_style", "bias_correction", "lr_decay", "maximize",
                "gradient_scale", "clip_gradient", "arithmetic"));
        m.put("sgd", List.of("lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize", "arithmetic"));
        m.put("adagrad", List.of("lr", "lr_decay", "init", "eps", "weight_decay", "maximize", "arithmetic"));
        m.put("adadelta", List.of("lr", "rho", "eps", "weight_decay", "maximize", "arithmetic"));
        m.put("adam", List.of("lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "maximize", "arithmetic"));
        m.put("adamw", List.of("lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "maximize", "arithmetic"));
        KEYS = java.util.Collections.unmodifiableMap(m);
    }

    /** A parsed one-line description: its label and spec. */
    public record Parsed(String label, OptimizerSpec spec) {
        /**
         * Validates the parts.
         *
         * @throws IllegalArgumentException if {@code label} or {@code spec} is null
         */
        public Parsed {
            Checks.notNull("label", label);
            Checks.notNull("spec", spec);
        }
    }

    /** The kinds, in help order. */
    public static List<String> kinds() { return List.copyOf(KEYS.keySet()); }

    /** The keys of {@code kind}; refuses unknown kinds. */
    public static List<String> keys(String kind) {
        List<String> k = KEYS.get(kind);
        if (k == null) throw new SettingException("kind", "must be one of " + String.join(", ", kinds()) + ", got '" + kind + "'");
        return k;
    }

    /**
     * Parses {@code KIND[:key=value,...]}. Without a {@code label} the label is the kind, or
     * {@code rmsprop-PRESET} when a preset is named.
     *
     * @throws SettingException naming the offending part and what is accepted
     */
    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SettingException("kind", "must be KIND[:key=value,...] with KIND one of " + String.join(", ", kinds()) + ", got '" + text + "'");
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        String kind = (colon < 0 ? t : t.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        keys(kind);
        Map<String, String> kv = new LinkedHashMap<>();
        if (colon >= 0 && colon < t.length() - 1) {
            for (String part : t.substring(colon + 1).split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0) throw new SettingException("settings", "must be key=value pairs separated by commas, got '" + part + "'");
                String k = part.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('-', '_');
                if (kv.put(k, part.substring(eq + 1).trim()) != null) throw new SettingException(k, "must appear once, got it twice");
            }
        }
        String label = kv.remove("label");
        if (label != null && label.isEmpty()) throw new SettingException("label", "must be non-empty, got ''");
        OptimizerSpec spec = fromSettings(kind, kv);
        if (label == null) label = kv.containsKey("preset") ? "rmsprop-" + RmsPropPreset.byName(kv.get("preset")).id() : kind;
        return new Parsed(label, spec);
    }

    /**
     * The spec of {@code kind} with {@code settings} (our key names; values as text). Keys left out
     * keep the family's default, or the preset's value when {@code preset} is given.
     *
     * @throws SettingException naming the setting, the value and what is accepted
     */
    public static OptimizerSpec fromSettings(String kind, Map<String, String> settings) {
        String k = kind == null ? null : kind.trim().toLowerCase(Locale.ROOT);
        List<String> keys = keys(k);
        for (String key : settings.keySet()) {
            if (!keys.contains(key)) throw new SettingException(key, "is not a setting of " + k + "; accepted: " + String.join(", ", keys));
        }
        Values v = new Values(settings);
        try {
            switch (k) {
                case "rmsprop": return rmsprop(v);
                case "sgd": {
                    SgdConfig.Builder b = SgdConfig.builder();
                    if (v.has("lr")) b.learningRate(v.num("lr"));
                    if (v.has("momentum")) b.momentum(v.num("momentum"));
                    if (v.has("dampening")) b.dampening(v.num("dampening"));
                    if (v.has("nesterov")) b.nesterov(v.bool("nesterov"));
                    if (v.has("weight_decay")) b.weightDecay(v.num("weight_decay"));
                    if (v.has("maximize")) b.maximize(v.bool("maximize"));
                    if (v.has("arithmetic")) b.arithmetic(v.choice("arithmetic", Arithmetic.class));
                    return b.build();
                }
                case "adagrad": {
                    AdagradConfig.Builder b = AdagradConfig.builder();
                    if (v.has("lr")) b.learningRate(v.num("lr"));
                    if (v.has("lr_decay")) b.lrDecay(v.num("lr_decay"));
                    if (v.has("init")) b.initialAccumulator(v.num("init"));
                    if (v.has("eps")) b.eps(v.num("eps"));
                    if (v.has("weight_decay")) b.weightDecay(v.num("weight_decay"));
                    if (v.has("maximize")) b.maximize(v.bool("maximize"));
                    if (v.has("arithmetic")) b.arithmetic(v.choice("arithmetic", Arithmetic.class));
                    return b.build();
                }
                case "adadelta": {
                    AdadeltaConfig.Builder b = AdadeltaConfig.builder();
                    if (v.has("lr")) b.learningRate(v.num("lr"));
                    if (v.has("rho")) b.rho(v.num("rho"));
                    if (v.has("eps")) b.eps(v.num("eps"));
                    if (v.has("weight_decay")) b.weightDecay(v.num("weight_decay"));
                    if (v.has("maximize")) b.maximize(v.bool("maximize"));
                    if (v.has("arithmetic")) b.arithmetic(v.choice("arithmetic", Arithmetic.class));
                    return b.build();
                }
                default: {
                    AdamConfig.Builder b = k.equals("adamw") ? AdamConfig.adamW() : AdamConfig.builder();
                    if (v.has("lr")) b.learningRate(v.num("lr"));
                    if (v.has("beta1")) b.beta1(v.num("beta1"));
                    if (v.has("beta2")) b.beta2(v.num("beta2"));
                    if (v.has("eps")) b.eps(v.num("eps"));
                    if (v.has("weight_decay")) b.weightDecay(v.num("weight_decay"));
                    if (v.has("amsgrad")) b.amsgrad(v.bool("amsgrad"));
                    if (v.has("maximize")) b.maximize(v.bool("maximize"));
                    if (v.has("arithmetic")) b.arithmetic(v.choice("arithmetic", Arithmetic.class));
                    return b.build();
                }
            }
        } catch (SettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw translate(e);
        }
    }

    private static RmsPropConfig rmsprop(Values v) {
        RmsPropConfig base = RmsPropConfig.builder().build();
        if (v.has("preset")) {
            try {
                base = RmsPropPreset.byName(v.raw("preset")).config();
            } catch (IllegalArgumentException e) {
                throw new SettingException("preset", e.getMessage().substring("preset ".length()));
            }
        }
        RmsPropConfig.Builder b = base.toBuilder();
        if (v.has("lr")) b.learningRate(v.num("lr"));
        if (v.has("decay")) b.decay(v.num("decay"));
        if (v.has("eps")) b.eps(v.num("eps"));
        if (v.has("eps_placement") && v.has("eps_inside")) throw new SettingException("eps_inside", "must not be given together with eps_placement");
        if (v.has("eps_placement")) b.epsPlacement(v.choice("eps_placement", EpsPlacement.class));
        if (v.has("eps_inside")) b.epsInsideSqrt(v.bool("eps_inside"));
        if (v.has("init")) b.initialMeanSquare(v.num("init"));
        if (v.has("centered")) b.centered(v.bool("centered"));
        if (v.has("momentum")) b.momentum(v.num("momentum"));
        if (v.has("momentum_style")) b.momentumStyle(v.choice("momentum_style", MomentumStyle.class));
        if (v.has("nesterov")) b.nesterov(v.bool("nesterov"));
        if (v.has("weight_decay")) b.weightDecay(v.num("weight_decay"));
        if (v.has("weight_decay_style")) b.weightDecayStyle(v.choice("weight_decay_style", WeightDecayStyle.class));
        if (v.has("bias_correction")) b.biasCorrection(v.bool("bias_correction"));
        if (v.has("lr_decay")) b.lrDecay(v.num("lr_decay"));
        if (v.has("maximize")) b.maximize(v.bool("maximize"));
        if (v.has("gradient_scale")) b.gradientScale(v.num("gradient_scale"));
        if (v.has("clip_gradient")) b.clipGradient(v.num("clip_gradient"));
        if (v.has("arithmetic")) b.arithmetic(v.choice("arithmetic", Arithmetic.class));
        return b.build();
    }

    /** Java field names in the records' messages, and the keys users write. */
    private static final Map<String, String> FIELD_TO_KEY = Map.ofEntries(
            Map.entry("learningRate", "lr"), Map.entry("initialMeanSquare", "init"), Map.entry("initialAccumulator", "init"),
            Map.entry("weightDecay", "weight_decay"), Map.entry("lrDecay", "lr_decay"), Map.entry("gradientScale", "gradient_scale"),
            Map.entry("clipGradient", "clip_gradient"), Map.entry("epsPlacement", "eps_placement"),
            Map.entry("momentumStyle", "momentum_style"), Map.entry("weightDecayStyle", "weight_decay_style"),
            Map.entry("biasCorrection", "bias_correction"));

    /** Rewrites a record's "learningRate must be ..." into a {@link SettingException} for {@code lr}. */
    private static SettingException translate(IllegalArgumentException e) {
        String m = String.valueOf(e.getMessage());
        int sp = m.indexOf(' ');
        String field = sp < 0 ? m : m.substring(0, sp);
        String key = FIELD_TO_KEY.getOrDefault(field, field);
        String rest = sp < 0 ? "" : m.substring(sp + 1);
        for (var f : FIELD_TO_KEY.entrySet()) rest = rest.replace(f.getKey(), f.getValue());
        SettingException s = new SettingException(key, rest);
        s.initCause(e);
        return s;
    }

    /** Strict decimal numbers: no hex, no {@code f}/{@code d} suffixes, no infinities. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private record Values(Map<String, String> kv) {
        boolean has(String k) { return kv.containsKey(k); }

        String raw(String k) { return kv.get(k); }

        double num(String k) {
            String s = kv.get(k).trim();
            if (NUMBER.matcher(s).matches()) {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) return d;
            }
            throw new SettingException(k, "must be a finite decimal number, got '" + kv.get(k) + "'");
        }

        boolean bool(String k) {
            String s = kv.get(k).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) return Boolean.parseBoolean(s);
            throw new SettingException(k, "must be true or false, got '" + kv.get(k) + "'");
        }

        <E extends Enum<E>> E choice(String k, Class<E> type) {
            String s = kv.get(k).trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) if (e.name().equals(s)) return e;
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
            throw new SettingException(k, "must be one of " + String.join(", ", names) + ", got '" + kv.get(k) + "'");
        }
    }
}
