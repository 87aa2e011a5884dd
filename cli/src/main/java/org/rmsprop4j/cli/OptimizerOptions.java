package org.rmsprop4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.rmsprop4j.optim.LearningRateSchedule;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.OptimizerSpecs;
import org.rmsprop4j.optim.Schedules;
import org.rmsprop4j.optim.SettingException;

import picocli.CommandLine.Option;

/**
 * The optimizer options shared by commands that train: family, RMSprop preset and knobs, schedule.
 * A knob the chosen family does not have is refused, naming both.
 */
final class OptimizerOptions {
    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "rmsprop",
            description = "rmsprop, sgd, adagrad, adadelta, adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "RMSprop flavour: pytorch (default), keras, tf1, optax, dl4j, mxnet, tribuo, caffe, lasagne, hinton, graves, dqn, seed.")
    String preset;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: the preset's or the optimizer's).")
    Double lr;

    @Option(names = "--decay", paramLabel = "X", description = "RMSprop decay (PyTorch alpha, Keras rho; default: the preset's, 0.99 for pytorch); Adadelta rho (default 0.9).")
    Double decay;

    @Option(names = "--eps", paramLabel = "X", description = "Epsilon (default: the preset's or the optimizer's; pytorch 1e-8).")
    Double eps;

    @Option(names = "--eps-inside", arity = "0..1", paramLabel = "BOOL", fallbackValue = "true",
            description = "RMSprop: add eps inside the square root (Keras, TF1, Optax) instead of outside (PyTorch).")
    Boolean epsInside;

    @Option(names = "--momentum", paramLabel = "X", description = "Momentum (RMSprop, SGD; default: the preset's, 0 for pytorch).")
    Double momentum;

    @Option(names = "--nesterov", arity = "0..1", paramLabel = "BOOL", fallbackValue = "true", description = "Nesterov momentum (RMSprop, SGD).")
    Boolean nesterov;

    @Option(names = "--centered", arity = "0..1", paramLabel = "BOOL", fallbackValue = "true", description = "Centered RMSprop (Graves 2013).")
    Boolean centered;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Weight decay (as each optimizer applies it; AdamW: decoupled; default 0, AdamW 0.01).")
    Double weightDecay;

    @Option(names = "--beta1", paramLabel = "X", description = "Adam/AdamW beta1 (default 0.9).")
    Double beta1;

    @Option(names = "--beta2", paramLabel = "X", description = "Adam/AdamW beta2 (default 0.999).")
    Double beta2;

    @Option(names = "--schedule", paramLabel = "SPEC", defaultValue = "constant",
            description = "Learning-rate schedule: constant, cosine (over the whole run), exponential:GAMMA, step:STEPS:GAMMA, "
                    + "inverse-time:DECAY, warmup:STEPS (then constant) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--state-bits", paramLabel = "BITS", defaultValue = "32",
            description = "Bits per element of the optimizer state: 32 (default) or 8 (block-wise 8-bit state, Dettmers et al. 2022; "
                    + "float32 only, not centered RMSprop).")
    int stateBits;

    @Option(names = "--state-block", paramLabel = "N", defaultValue = "2048",
            description = "With --state-bits 8: values per block, each block with its own float32 scale; a power of two from 64 to 65536 "
                    + "(default: ${DEFAULT-VALUE}).")
    int stateBlock;

    @Option(names = "--state-rounding", paramLabel = "MODE", defaultValue = "nearest",
            description = "With --state-bits 8: how mean squares and second moments are rounded to 8 bits: nearest (default, as "
                    + "bitsandbytes; a mean square that only decays can stay put) or unbiased (the upper or lower map entry with "
                    + "probability by distance: no drift; the step 2.6-3x slower on the dynamic map, fused into the coding with --state-map fp8).")
    String stateRounding;

    @Option(names = "--state-map", paramLabel = "MAP", defaultValue = "dynamic",
            description = "With --state-bits 8: the 8-bit map: dynamic (default, bitsandbytes' dynamic map) or fp8 (float8 minifloats, "
                    + "E4M4 for mean squares and E4M3 for momentum: decoded and coded by arithmetic, no table; the faster step).")
    String stateMap;

    /** How the optimizer keeps its state ({@code --state-bits}, {@code --state-block}, {@code --state-rounding}, {@code --state-map}); errors name the options. */
    org.rmsprop4j.optim.StateQuantization stateQuantization() {
        String rounding = stateRounding == null ? "nearest" : stateRounding.trim().toLowerCase(Locale.ROOT);
        if (!rounding.equals("nearest") && !rounding.equals("unbiased")) {
            throw new CliException("--state-rounding must be nearest or unbiased, got '" + stateRounding + "'");
        }
        String map = stateMap == null ? "dynamic" : stateMap.trim().toLowerCase(Locale.ROOT);
        if (!map.equals("dynamic") && !map.equals("fp8")) throw new CliException("--state-map must be dynamic or fp8, got '" + stateMap + "'");
        if (stateBits == 32) {
            if (rounding.equals("unbiased")) throw new CliException("--state-rounding unbiased needs --state-bits 8 (float state is not rounded)");
            if (map.equals("fp8")) throw new CliException("--state-map fp8 needs --state-bits 8 (float state has no map)");
            return org.rmsprop4j.optim.StateQuantization.none();
        }
        if (stateBits != 8) throw new CliException("--state-bits must be 32 or 8, got " + stateBits);
        org.rmsprop4j.optim.StateQuantization q;
        try {
            q = org.rmsprop4j.optim.StateQuantization.blockwise8(stateBlock);
        } catch (IllegalArgumentException e) {
            throw new CliException("--state-block must be a power of two in 64..65536, got " + stateBlock);
        }
        if (map.equals("fp8")) q = q.withFloat8Map();
        return rounding.equals("unbiased") ? q.withUnbiasedRounding() : q;
    }

    /** The validated spec, through the library's one parser; errors name this command's options. */
    OptimizerSpec spec() {
        String o = optimizer.trim().toLowerCase(Locale.ROOT);
        if (!OptimizerSpecs.KEYS.containsKey(o)) {
            throw new CliException("--optimizer must be one of " + String.join(", ", OptimizerSpecs.kinds()) + ", got '" + optimizer + "'");
        }
        Map<String, String> flagOf = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> unused = new ArrayList<>();
        put(o, settings, flagOf, unused, "--preset", "preset", preset);
        put(o, settings, flagOf, unused, "--lr", "lr", lr);
        put(o, settings, flagOf, unused, "--decay", o.equals("adadelta") ? "rho" : "decay", decay);
        put(o, settings, flagOf, unused, "--eps", "eps", eps);
        put(o, settings, flagOf, unused, "--eps-inside", "eps_inside", epsInside);
        put(o, settings, flagOf, unused, "--momentum", "momentum", momentum);
        put(o, settings, flagOf, unused, "--nesterov", "nesterov", nesterov);
        put(o, settings, flagOf, unused, "--centered", "centered", centered);
        put(o, settings, flagOf, unused, "--weight-decay", "weight_decay", weightDecay);
        put(o, settings, flagOf, unused, "--beta1", "beta1", beta1);
        put(o, settings, flagOf, unused, "--beta2", "beta2", beta2);
        if (!unused.isEmpty()) throw new CliException(String.join(", ", unused) + " does not apply to --optimizer " + o);
        try {
            return OptimizerSpecs.fromSettings(o, settings);
        } catch (SettingException e) {
            String flag = flagOf.getOrDefault(e.key(), e.key());
            throw new CliException(flag + " " + e.detail());
        }
    }

    private static void put(String kind, Map<String, String> settings, Map<String, String> flagOf, List<String> unused,
                            String flag, String key, Object value) {
        if (value == null) return;
        if (!OptimizerSpecs.keys(kind).contains(key)) {
            unused.add(flag);
            return;
        }
        settings.put(key, value instanceof Double d ? String.valueOf(d) : String.valueOf(value));
        flagOf.put(key, flag);
    }

    /** The schedule; {@code totalSteps} is the run's length (for cosine). */
    LearningRateSchedule schedule(long totalSteps) {
        String s = schedule.trim().toLowerCase(Locale.ROOT);
        String[] p = s.split(":", -1);
        String accepted = "constant, cosine, exponential:GAMMA, step:STEPS:GAMMA, inverse-time:DECAY or warmup:STEPS";
        try {
            switch (p[0]) {
                case "constant": if (p.length == 1) return Schedules.constant(); break;
                case "cosine": if (p.length == 1) return Schedules.cosine(Math.max(1, totalSteps), 0.0); break;
                case "exponential": if (p.length == 2) return Schedules.exponential(Double.parseDouble(p[1])); break;
                case "step": if (p.length == 3) return Schedules.step(Long.parseLong(p[1]), Double.parseDouble(p[2])); break;
                case "inverse-time": if (p.length == 2) return Schedules.inverseTime(Double.parseDouble(p[1])); break;
                case "warmup": if (p.length == 2) return Schedules.linearWarmup(Long.parseLong(p[1]), Schedules.constant()); break;
                default: break;
            }
        } catch (NumberFormatException e) {
            throw new CliException("--schedule must be " + accepted + ", got '" + schedule + "' (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            // Schedules names its Java parameters; name the part of the option instead
            String m = String.valueOf(e.getMessage());
            String[][] fields = {{"steps", "STEPS"}, {"stepSize", "STEPS"}, {"gamma", "GAMMA"}, {"decay", "DECAY"}};
            for (String[] f : fields) {
                if (m.startsWith(f[0] + " ")) throw new CliException("--schedule " + f[1] + m.substring(f[0].length()) + " (in '" + schedule + "')");
            }
            throw new CliException("--schedule '" + schedule + "': " + m);
        }
        throw new CliException("--schedule must be " + accepted + ", got '" + schedule + "'");
    }
}
