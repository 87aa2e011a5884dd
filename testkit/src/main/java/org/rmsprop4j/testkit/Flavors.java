package org.rmsprop4j.testkit;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;
import org.rmsprop4j.optim.WeightDecayStyle;

/**
 * Maps a case's framework arguments onto our configurations: one function per (optimizer, flavour),
 * taking the framework's own argument names and defaults. An argument the flavour does not know is
 * refused, so a typo in a case cannot silently fall back to a default.
 */
public final class Flavors {
    private Flavors() {}

    /** The flavours RMSprop cases may name. */
    public static final List<String> RMSPROP_FLAVORS = List.of("pytorch", "keras", "tf1", "optax", "dl4j", "mxnet",
            "tribuo", "caffe", "lasagne", "hinton", "graves", "dqn", "seed");

    /** Our spec for a case. */
    public static OptimizerSpec spec(ConformanceCase c) {
        Hyper h = new Hyper(c.hyper(), c.optimizer() + "/" + c.flavor());
        OptimizerSpec spec;
        if (!c.optimizer().equals("rmsprop") && !c.flavor().equals("pytorch")) {
            throw new IllegalArgumentException("flavor \"" + c.flavor() + "\" is only defined for rmsprop; " + c.optimizer()
                    + " cases use pytorch semantics");
        }
        switch (c.optimizer()) {
            case "rmsprop":
                try {
                    spec = rmsprop(c.flavor(), h);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + " (from hyper " + c.hyper() + " of flavor " + c.flavor() + ")", e);
                }
                break;
            case "sgd":
                spec = SgdConfig.builder().learningRate(h.num("lr", 0.01)).momentum(h.num("momentum", 0))
                        .dampening(h.num("dampening", 0)).nesterov(h.bool("nesterov", false))
                        .weightDecay(h.num("weight_decay", 0)).maximize(h.bool("maximize", false)).build();
                break;
            case "adagrad":
                spec = AdagradConfig.builder().learningRate(h.num("lr", 0.01)).lrDecay(h.num("lr_decay", 0))
                        .initialAccumulator(h.num("initial_accumulator_value", 0)).eps(h.num("eps", 1e-10))
                        .weightDecay(h.num("weight_decay", 0)).maximize(h.bool("maximize", false)).build();
                break;
            case "adadelta":
                spec = AdadeltaConfig.builder().learningRate(h.num("lr", 1.0)).rho(h.num("rho", 0.9)).eps(h.num("eps", 1e-6))
                        .weightDecay(h.num("weight_decay", 0)).maximize(h.bool("maximize", false)).build();
                break;
            case "adam":
            case "adamw": {
                boolean w = c.optimizer().equals("adamw");
                double[] betas = h.pair("betas", 0.9, 0.999);
                spec = AdamConfig.builder().learningRate(h.num("lr", 0.001)).betas(betas[0], betas[1]).eps(h.num("eps", 1e-8))
                        .weightDecay(h.num("weight_decay", w ? 0.01 : 0)).decoupled(w).amsgrad(h.bool("amsgrad", false))
                        .maximize(h.bool("maximize", false)).build();
                break;
            }
            default: throw new IllegalArgumentException("optimizer \"" + c.optimizer() + "\" is not supported");
        }
        h.checkAllUsed();
        return spec;
    }

    private static RmsPropConfig rmsprop(String flavor, Hyper h) {
        switch (flavor) {
            case "pytorch":
                return RmsPropPreset.PYTORCH.config().toBuilder().learningRate(h.num("lr", 0.01)).decay(h.num("alpha", 0.99))
                        .eps(h.num("eps", 1e-8)).weightDecay(h.num("weight_decay", 0)).momentum(h.num("momentum", 0))
                        .centered(h.bool("centered", false)).maximize(h.bool("maximize", false)).build();
            case "keras":
                return RmsPropPreset.KERAS.config().toBuilder().learningRate(h.num("learning_rate", 0.001)).decay(h.num("rho", 0.9))
                        .momentum(h.num("momentum", 0)).eps(h.num("epsilon", 1e-7)).centered(h.bool("centered", false))
                        .weightDecay(h.num("weight_decay", 0)).build();
            case "tf1":
                return RmsPropPreset.TF1.config().toBuilder().learningRate(h.num("learning_rate", 0.001)).decay(h.num("decay", 0.9))
                        .momentum(h.num("momentum", 0)).eps(h.num("epsilon", 1e-10)).centered(h.bool("centered", false)).build();
            case "optax": {
                Double mom = h.numOrNull("momentum");
                return RmsPropPreset.OPTAX.config().toBuilder().learningRate(h.num("learning_rate", 0.01)).decay(h.num("decay", 0.9))
                        .eps(h.num("eps", 1e-8)).initialMeanSquare(h.num("initial_scale", 0))
                        .epsInsideSqrt(h.bool("eps_in_sqrt", true)).centered(h.bool("centered", false))
                        .momentum(mom == null ? 0 : mom).nesterov(h.bool("nesterov", false))
                        .biasCorrection(h.bool("bias_correction", false)).build();
            }
            case "dl4j": {
                double eps = h.num("epsilon", 1e-8);
                return RmsPropPreset.DL4J.config().toBuilder().learningRate(h.num("learningRate", 0.1)).decay(h.num("rmsDecay", 0.95))
                        .eps(eps).initialMeanSquare(eps).build();
            }
            case "mxnet": {
                boolean centered = h.bool("centered", false);
                double gamma2 = h.num("gamma2", 0.9);
                Double clip = h.numOrNull("clip_gradient");
                if (h.numOrNull("clip_weights") != null) {
                    throw new IllegalArgumentException("hyper.clip_weights (MXNet's clamp of the weights after the step) is not supported");
                }
                return RmsPropPreset.MXNET.config().toBuilder().learningRate(h.num("learning_rate", 0.001)).decay(h.num("gamma1", 0.9))
                        .centered(centered).momentum(centered ? gamma2 : 0).eps(h.num("epsilon", 1e-8))
                        .weightDecay(h.num("wd", 0)).gradientScale(h.num("rescale_grad", 1.0))
                        .clipGradient(clip == null || clip < 0 ? Double.POSITIVE_INFINITY : clip).build();
            }
            case "tribuo":
                return RmsPropPreset.TRIBUO.config().toBuilder().learningRate(h.num("initialLearningRate", 0.001)).decay(h.num("rho", 0.9))
                        .eps(h.num("epsilon", 1e-8)).lrDecay(h.num("decay", 0)).build();
            case "caffe":
                return RmsPropPreset.CAFFE.config().toBuilder().learningRate(h.num("base_lr", 0.01)).decay(h.num("rms_decay", 0.99))
                        .eps(h.num("delta", 1e-8)).weightDecay(h.num("weight_decay", 0)).build();
            case "lasagne":
                return RmsPropPreset.LASAGNE.config().toBuilder().learningRate(h.num("learning_rate", 1.0)).decay(h.num("rho", 0.9))
                        .eps(h.num("epsilon", 1e-6)).build();
            case "hinton":
                return RmsPropPreset.HINTON.config().toBuilder().learningRate(h.num("learning_rate", 0.001)).decay(h.num("decay", 0.9))
                        .eps(h.num("eps", 1e-8)).build();
            case "graves":
                return RmsPropPreset.GRAVES.config().toBuilder().decay(h.num("aleph", 0.95)).momentum(h.num("beth", 0.9))
                        .learningRate(h.num("gimel", 1e-4)).eps(h.num("daleth", 1e-4)).build();
            case "dqn": {
                double gm = h.num("gradient_momentum", 0.95), sm = h.num("squared_gradient_momentum", 0.95);
                if (gm != sm) {
                    throw new IllegalArgumentException("hyper.gradient_momentum (" + gm + ") must equal hyper.squared_gradient_momentum ("
                            + sm + "): rmsprop4j uses one decay for both moments");
                }
                return RmsPropPreset.DQN.config().toBuilder().learningRate(h.num("learning_rate", 0.00025)).decay(sm)
                        .eps(h.num("min_squared_gradient", 0.01)).build();
            }
            case "seed":
                return RmsPropPreset.SEED.config().toBuilder().learningRate(h.num("eta", 0.1)).decay(h.num("beta", 0.9))
                        .eps(h.num("eps", 1e-9)).build();
            default:
                throw new IllegalArgumentException("flavor \"" + flavor + "\" is not known; accepted: " + RMSPROP_FLAVORS);
        }
    }

    /**
     * Where a framework's state slot lives in ours.
     *
     * @param slot     our slot name
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

    /** Typed, strict access to a case's hyper-parameters. */
    static final class Hyper {
        private final Map<String, Object> values;
        private final String where;
        private final Set<String> used = new LinkedHashSet<>();

        Hyper(Map<String, Object> values, String where) {
            this.values = new LinkedHashMap<>(values);
            this.where = where;
        }

        double num(String key, double dflt) {
            Double v = numOrNull(key);
            return v == null ? dflt : v;
        }

        Double numOrNull(String key) {
            used.add(key);
            Object v = values.get(key);
            if (v == null) return null;
            if (v instanceof Double d) return d;
            throw new IllegalArgumentException("hyper." + key + " must be a number for " + where + ", got " + v);
        }

        boolean bool(String key, boolean dflt) {
            used.add(key);
            Object v = values.get(key);
            if (v == null) return dflt;
            if (v instanceof Boolean b) return b;
            throw new IllegalArgumentException("hyper." + key + " must be true or false for " + where + ", got " + v);
        }

        double[] pair(String key, double a, double b) {
            used.add(key);
            Object v = values.get(key);
            if (v == null) return new double[] {a, b};
            if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Double x && l.get(1) instanceof Double y) {
                return new double[] {x, y};
            }
            throw new IllegalArgumentException("hyper." + key + " must be a list of two numbers for " + where + ", got " + v);
        }

        void checkAllUsed() {
            for (String k : values.keySet()) {
                if (!used.contains(k)) {
                    throw new IllegalArgumentException("hyper." + k + " is not an argument of " + where + "; accepted: " + used);
                }
            }
        }
    }

}
