package org.rmsprop4j.optim;

import org.rmsprop4j.internal.Checks;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Other frameworks' argument names, mapped onto our settings ({@link OptimizerSpecs}): what a
 * conformance case's {@code hyper} means in each flavour. A flavour is a preset plus a table from
 * the framework's argument names to our keys; an argument left out keeps the preset's value (the
 * defaults live in the presets and builders only). An argument the flavour does not know is
 * refused, so a typo in a case cannot fall back to a default.
 */
public final class Flavors {
    private Flavors() {}

    /** The flavours RMSprop cases may name. */
    public static final List<String> RMSPROP_FLAVORS = List.of("pytorch", "keras", "tf1", "optax", "dl4j", "mxnet",
            "tribuo", "tfjs", "timm", "caffe", "lasagne", "hinton", "graves", "dqn", "seed");

    /**
     * The one argument every flavour (and PyTorch's other families) accepts besides the framework's own: {@code arithmetic}, a
     * string naming an {@link Arithmetic} ({@code "pytorch_2_13"}, {@code "keras_3_graph"}, ...), for a
     * case recorded with another version or execution mode of the framework than the preset's.
     */
    public static final String ARITHMETIC = "arithmetic";

    /** The preset a flavour starts from, where its name is not the flavour's. */
    private static final Map<String, String> PRESET_OF = Map.of("timm", "timm_tf");

    /** Framework argument → our key, per RMSprop flavour (extra rules in {@link #rmsprop}). */
    private static final Map<String, Map<String, String>> RMSPROP_ARGS = Map.ofEntries(
            Map.entry("pytorch", args("lr", "lr", "alpha", "decay", "eps", "eps", "weight_decay", "weight_decay",
                    "momentum", "momentum", "centered", "centered", "maximize", "maximize")),
            Map.entry("keras", args("learning_rate", "lr", "rho", "decay", "momentum", "momentum", "epsilon", "eps",
                    "centered", "centered", "weight_decay", "weight_decay")),
            Map.entry("tf1", args("learning_rate", "lr", "decay", "decay", "momentum", "momentum", "epsilon", "eps", "centered", "centered")),
            Map.entry("optax", args("learning_rate", "lr", "decay", "decay", "eps", "eps", "initial_scale", "init",
                    "eps_in_sqrt", "eps_inside", "centered", "centered", "momentum", "momentum", "nesterov", "nesterov",
                    "bias_correction", "bias_correction")),
            Map.entry("dl4j", args("learningRate", "lr", "rmsDecay", "decay", "epsilon", "eps")),
            Map.entry("mxnet", args("learning_rate", "lr", "gamma1", "decay", "epsilon", "eps", "centered", "centered",
                    "wd", "weight_decay", "rescale_grad", "gradient_scale", "gamma2", "", "clip_gradient", "", "clip_weights", "")),
            Map.entry("tribuo", args("initialLearningRate", "lr", "rho", "decay", "epsilon", "eps", "decay", "lr_decay")),
            Map.entry("tfjs", args("learningRate", "lr", "decay", "decay", "momentum", "momentum", "epsilon", "eps", "centered", "centered")),
            Map.entry("timm", args("lr", "lr", "alpha", "decay", "eps", "eps", "weight_decay", "weight_decay", "momentum", "momentum",
                    "centered", "centered", "decoupled_decay", "", "lr_in_momentum", "")),
            Map.entry("caffe", args("base_lr", "lr", "rms_decay", "decay", "delta", "eps", "weight_decay", "weight_decay")),
            Map.entry("lasagne", args("learning_rate", "lr", "rho", "decay", "epsilon", "eps")),
            Map.entry("hinton", args("learning_rate", "lr", "decay", "decay", "eps", "eps")),
            Map.entry("graves", args("aleph", "decay", "beth", "momentum", "gimel", "lr", "daleth", "eps")),
            Map.entry("dqn", args("learning_rate", "lr", "gradient_momentum", "", "squared_gradient_momentum", "decay",
                    "min_squared_gradient", "eps")),
            Map.entry("seed", args("eta", "lr", "beta", "decay", "eps", "eps")));

    /** PyTorch's argument names for the other families (ours, except for these). */
    private static final Map<String, Map<String, String>> PYTORCH_ARGS = Map.of(
            "sgd", args("lr", "lr", "momentum", "momentum", "dampening", "dampening", "nesterov", "nesterov",
                    "weight_decay", "weight_decay", "maximize", "maximize"),
            "adagrad", args("lr", "lr", "lr_decay", "lr_decay", "initial_accumulator_value", "init", "eps", "eps",
                    "weight_decay", "weight_decay", "maximize", "maximize"),
            "adadelta", args("lr", "lr", "rho", "rho", "eps", "eps", "weight_decay", "weight_decay", "maximize", "maximize"),
            "adam", args("lr", "lr", "betas", "", "eps", "eps", "weight_decay", "weight_decay", "amsgrad", "amsgrad", "maximize", "maximize"),
            "adamw", args("lr", "lr", "betas", "", "eps", "eps", "weight_decay", "weight_decay", "amsgrad", "amsgrad", "maximize", "maximize"));

    private static Map<String, String> args(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Our spec for a case of {@code optimizer} in {@code flavor} with the framework's arguments
     * ({@code Double}, {@code Boolean}, a {@code List} of two numbers for Adam's {@code betas}, or
     * {@code null} for "not set").
     *
     * @throws IllegalArgumentException naming the argument ({@code hyper.NAME}), its value and what is accepted
     */
    public static OptimizerSpec spec(String optimizer, String flavor, Map<String, Object> hyper) {
        Checks.notNull("optimizer", optimizer);
        Checks.notNull("flavor", flavor);
        if (!optimizer.equals("rmsprop") && !flavor.equals("pytorch")) {
            throw new IllegalArgumentException("flavor \"" + flavor + "\" is only defined for rmsprop; " + optimizer + " cases use pytorch semantics");
        }
        Map<String, String> table = optimizer.equals("rmsprop") ? RMSPROP_ARGS.get(flavor) : PYTORCH_ARGS.get(optimizer);
        if (table == null) {
            throw optimizer.equals("rmsprop")
                    ? new IllegalArgumentException("flavor \"" + flavor + "\" is not known; accepted: " + RMSPROP_FLAVORS)
                    : new IllegalArgumentException("optimizer \"" + optimizer + "\" is not supported");
        }
        String where = optimizer + "/" + flavor;
        boolean rms = optimizer.equals("rmsprop");
        for (String k : hyper.keySet()) {
            if (k.equals(ARITHMETIC)) continue;
            if (!table.containsKey(k)) throw new IllegalArgumentException("hyper." + k + " is not an argument of " + where + "; accepted: " + table.keySet());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (rms) settings.put("preset", PRESET_OF.getOrDefault(flavor, flavor));
        if (hyper.get(ARITHMETIC) != null) {
            if (!(hyper.get(ARITHMETIC) instanceof String a)) {
                throw new IllegalArgumentException("hyper." + ARITHMETIC + " must be a string naming an arithmetic for " + where + ", got " + hyper.get(ARITHMETIC));
            }
            settings.put("arithmetic", a);
        }
        for (var e : table.entrySet()) {
            Object v = hyper.get(e.getKey());
            if (v == null || e.getValue().isEmpty()) continue;
            if (!(v instanceof Double) && !(v instanceof Boolean)) {
                throw new IllegalArgumentException("hyper." + e.getKey() + " must be a number or true/false for " + where + ", got " + v);
            }
            settings.put(e.getValue(), String.valueOf(v));
        }
        try {
            if (optimizer.equals("rmsprop")) rmsprop(flavor, hyper, settings, where);
            if (optimizer.startsWith("adam") && hyper.get("betas") != null) {
                if (!(hyper.get("betas") instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Double b1 && l.get(1) instanceof Double b2)) {
                    throw new IllegalArgumentException("hyper.betas must be a list of two numbers for " + where + ", got " + hyper.get("betas"));
                }
                settings.put("beta1", String.valueOf(b1));
                settings.put("beta2", String.valueOf(b2));
            }
            return OptimizerSpecs.fromSettings(optimizer, settings);
        } catch (SettingException e) {
            String arg = argFor(table, e.key());
            throw new IllegalArgumentException((arg == null ? e.key() : "hyper." + arg) + " " + e.detail()
                    + " (from hyper " + hyper + " of flavor " + flavor + ")", e);
        }
    }

    private static String argFor(Map<String, String> table, String key) {
        for (var e : table.entrySet()) if (e.getValue().equals(key)) return e.getKey();
        return null;
    }

    private static double num(Map<String, Object> hyper, String k, double dflt, String where) {
        Object v = hyper.get(k);
        if (v == null) return dflt;
        if (v instanceof Double d) return d;
        throw new IllegalArgumentException("hyper." + k + " must be a number for " + where + ", got " + v);
    }

    /** The rules a table cannot say. */
    private static void rmsprop(String flavor, Map<String, Object> hyper, Map<String, String> s, String where) {
        switch (flavor) {
            case "dl4j" -> s.put("init", s.getOrDefault("eps", String.valueOf(RmsPropPreset.DL4J.config().eps())));  // the state starts at ε
            case "timm" -> {
                Object dd = hyper.get("decoupled_decay"), lin = hyper.get("lr_in_momentum");
                if (dd != null && !(dd instanceof Boolean)) throw new IllegalArgumentException("hyper.decoupled_decay must be true or false for " + where + ", got " + dd);
                if (lin != null && !(lin instanceof Boolean)) throw new IllegalArgumentException("hyper.lr_in_momentum must be true or false for " + where + ", got " + lin);
                if (Boolean.TRUE.equals(dd)) s.put("weight_decay_style", "decoupled");
                if (Boolean.FALSE.equals(lin)) s.put("momentum_style", "lr_outside");
            }
            case "mxnet" -> {
                if (hyper.get("clip_weights") != null) {
                    throw new IllegalArgumentException("hyper.clip_weights (MXNet's clamp of the weights after the step) is not supported");
                }
                double clip = num(hyper, "clip_gradient", -1, where);
                if (clip >= 0) s.put("clip_gradient", String.valueOf(clip));
                boolean centered = Boolean.parseBoolean(s.getOrDefault("centered", "false"));
                if (centered) s.put("momentum", String.valueOf(num(hyper, "gamma2", 0.9, where)));    // MXNet's documented default
            }
            case "dqn" -> {
                double sm = num(hyper, "squared_gradient_momentum", RmsPropPreset.DQN.config().decay(), where);
                double gm = num(hyper, "gradient_momentum", sm, where);
                if (gm != sm) {
                    throw new IllegalArgumentException("hyper.gradient_momentum (" + gm + ") must equal hyper.squared_gradient_momentum ("
                            + sm + "): rmsprop4j uses one decay for both moments");
                }
            }
            default -> { }
        }
    }

    /**
     * Where a framework's state slot lives in ours.
     *
     * @param slot     our slot name (unqualified: {@code square_avg})
     * @param sign     +1, or −1 where the framework stores the negated quantity (Optax's trace of
     *                 updates, Graves's and MXNet's Δ)
     * @param optional the framework keeps it even when our configuration does not need it (TF1 keeps a
     *                 momentum buffer at momentum 0); then it is not compared
     */
    public record SlotRef(String slot, double sign, boolean optional) {}

    private static final Map<String, Map<String, SlotRef>> SLOTS = Map.ofEntries(
            Map.entry("pytorch", Map.of("square_avg", ref("square_avg"), "momentum_buffer", ref("momentum_buffer"),
                    "grad_avg", ref("grad_avg"), "sum", ref("sum"), "acc_delta", ref("acc_delta"), "exp_avg", ref("exp_avg"),
                    "exp_avg_sq", ref("exp_avg_sq"), "max_exp_avg_sq", ref("max_exp_avg_sq"))),
            Map.entry("keras", Map.of("velocity", ref("square_avg"), "momentum", ref("momentum_buffer"),
                    "average_gradient", ref("grad_avg"))),
            Map.entry("tf1", Map.of("rms", ref("square_avg"), "momentum", new SlotRef("momentum_buffer", 1, true),
                    "mg", ref("grad_avg"))),
            Map.entry("optax", Map.of("nu", ref("square_avg"), "mu", ref("grad_avg"),
                    "trace", new SlotRef("momentum_buffer", -1, false))),
            Map.entry("dl4j", Map.of("G", ref("square_avg"))),
            Map.entry("mxnet", Map.of("n", ref("square_avg"), "g", ref("grad_avg"), "delta", new SlotRef("momentum_buffer", -1, false))),
            Map.entry("tribuo", Map.of("gradsSquared", ref("square_avg"))),
            Map.entry("tfjs", Map.of("rms", ref("square_avg"), "momentum", new SlotRef("momentum_buffer", 1, true), "mg", ref("grad_avg"))),
            Map.entry("timm", Map.of("square_avg", ref("square_avg"), "momentum_buffer", ref("momentum_buffer"), "grad_avg", ref("grad_avg"))),
            Map.entry("caffe", Map.of("history", ref("square_avg"))),
            Map.entry("lasagne", Map.of("accu", ref("square_avg"))),
            Map.entry("hinton", Map.of("MeanSquare", ref("square_avg"))),
            Map.entry("graves", Map.of("n", ref("square_avg"), "g", ref("grad_avg"), "delta", new SlotRef("momentum_buffer", -1, false))),
            Map.entry("dqn", Map.of("g", ref("grad_avg"), "g2", ref("square_avg"))),
            Map.entry("seed", Map.of("v", ref("square_avg"))));

    private static SlotRef ref(String slot) { return new SlotRef(slot, 1, false); }

    /** Our slot for a framework's state-slot name in a flavour, or {@code null} when the flavour has no such slot. */
    public static SlotRef slot(String flavor, String name) {
        Map<String, SlotRef> m = SLOTS.get(flavor);
        return m == null ? null : m.get(name);
    }

    /** The flavours' argument names, for documentation and tests. */
    public static Set<String> arguments(String optimizer, String flavor) {
        Map<String, String> t = optimizer.equals("rmsprop") ? RMSPROP_ARGS.get(flavor) : PYTORCH_ARGS.get(optimizer);
        return t == null ? Set.of() : new LinkedHashSet<>(t.keySet());
    }
}
