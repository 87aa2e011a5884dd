package org.rmsprop4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.LearningRateSchedule;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.Schedules;
import org.rmsprop4j.optim.SgdConfig;

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

    @Option(names = "--decay", paramLabel = "X", description = "RMSprop decay (PyTorch alpha, Keras rho); Adadelta rho.")
    Double decay;

    @Option(names = "--eps", paramLabel = "X", description = "Epsilon.")
    Double eps;

    @Option(names = "--eps-inside", arity = "0..1", paramLabel = "BOOL", fallbackValue = "true",
            description = "RMSprop: add eps inside the square root (Keras, TF1, Optax) instead of outside (PyTorch).")
    Boolean epsInside;

    @Option(names = "--momentum", paramLabel = "X", description = "Momentum (RMSprop, SGD).")
    Double momentum;

    @Option(names = "--nesterov", arity = "0..1", paramLabel = "BOOL", fallbackValue = "true", description = "Nesterov momentum (RMSprop, SGD).")
    Boolean nesterov;

    @Option(names = "--centered", arity = "0..1", paramLabel = "BOOL", fallbackValue = "true", description = "Centered RMSprop (Graves 2013).")
    Boolean centered;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Weight decay (as each optimizer applies it; AdamW: decoupled).")
    Double weightDecay;

    @Option(names = "--beta1", paramLabel = "X", description = "Adam/AdamW beta1.")
    Double beta1;

    @Option(names = "--beta2", paramLabel = "X", description = "Adam/AdamW beta2.")
    Double beta2;

    @Option(names = "--schedule", paramLabel = "SPEC", defaultValue = "constant",
            description = "Learning-rate schedule: constant, cosine (over the whole run), exponential:GAMMA, step:STEPS:GAMMA, "
                    + "inverse-time:DECAY, warmup:STEPS (then constant) (default: ${DEFAULT-VALUE}).")
    String schedule;

    /** The validated spec. */
    OptimizerSpec spec() {
        String o = optimizer.trim().toLowerCase(Locale.ROOT);
        List<String> unused = new ArrayList<>();
        OptimizerSpec s;
        switch (o) {
            case "rmsprop": {
                RmsPropConfig.Builder b = RmsPropPreset.byName(preset == null ? "pytorch" : preset).config().toBuilder();
                if (lr != null) b.learningRate(lr);
                if (decay != null) b.decay(decay);
                if (eps != null) b.eps(eps);
                if (epsInside != null) b.epsPlacement(epsInside ? EpsPlacement.INSIDE : EpsPlacement.OUTSIDE);
                if (momentum != null) b.momentum(momentum);
                if (nesterov != null) b.nesterov(nesterov);
                if (centered != null) b.centered(centered);
                if (weightDecay != null) b.weightDecay(weightDecay);
                unused(unused, "--beta1", beta1, "--beta2", beta2);
                s = build(unused, o, b::build);
                break;
            }
            case "sgd": {
                SgdConfig.Builder b = SgdConfig.builder();
                if (lr != null) b.learningRate(lr);
                if (momentum != null) b.momentum(momentum);
                if (nesterov != null) b.nesterov(nesterov);
                if (weightDecay != null) b.weightDecay(weightDecay);
                unused(unused, "--preset", preset, "--decay", decay, "--eps", eps, "--eps-inside", epsInside, "--centered", centered,
                        "--beta1", beta1, "--beta2", beta2);
                s = build(unused, o, b::build);
                break;
            }
            case "adagrad": {
                AdagradConfig.Builder b = AdagradConfig.builder();
                if (lr != null) b.learningRate(lr);
                if (eps != null) b.eps(eps);
                if (weightDecay != null) b.weightDecay(weightDecay);
                unused(unused, "--preset", preset, "--decay", decay, "--eps-inside", epsInside, "--momentum", momentum, "--nesterov", nesterov,
                        "--centered", centered, "--beta1", beta1, "--beta2", beta2);
                s = build(unused, o, b::build);
                break;
            }
            case "adadelta": {
                AdadeltaConfig.Builder b = AdadeltaConfig.builder();
                if (lr != null) b.learningRate(lr);
                if (decay != null) b.rho(decay);
                if (eps != null) b.eps(eps);
                if (weightDecay != null) b.weightDecay(weightDecay);
                unused(unused, "--preset", preset, "--eps-inside", epsInside, "--momentum", momentum, "--nesterov", nesterov,
                        "--centered", centered, "--beta1", beta1, "--beta2", beta2);
                s = build(unused, o, b::build);
                break;
            }
            case "adam":
            case "adamw": {
                AdamConfig.Builder b = o.equals("adamw") ? AdamConfig.adamW() : AdamConfig.builder();
                if (lr != null) b.learningRate(lr);
                if (beta1 != null) b.beta1(beta1);
                if (beta2 != null) b.beta2(beta2);
                if (eps != null) b.eps(eps);
                if (weightDecay != null) b.weightDecay(weightDecay);
                unused(unused, "--preset", preset, "--decay", decay, "--eps-inside", epsInside, "--momentum", momentum, "--nesterov", nesterov,
                        "--centered", centered);
                s = build(unused, o, b::build);
                break;
            }
            default:
                throw new CliException("--optimizer must be one of rmsprop, sgd, adagrad, adadelta, adam, adamw, got '" + optimizer + "'");
        }
        return s;
    }

    private static void unused(List<String> unused, Object... nameValue) {
        for (int i = 0; i < nameValue.length; i += 2) if (nameValue[i + 1] != null) unused.add((String) nameValue[i]);
    }

    private static OptimizerSpec build(List<String> unused, String o, java.util.function.Supplier<OptimizerSpec> f) {
        if (!unused.isEmpty()) throw new CliException(String.join(", ", unused) + " does not apply to --optimizer " + o);
        return f.get();
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
            String[][] fields = {{"warmupSteps", "STEPS"}, {"stepSize", "STEPS"}, {"gamma", "GAMMA"}, {"decay", "DECAY"}};
            for (String[] f : fields) {
                if (m.startsWith(f[0] + " ")) throw new CliException("--schedule " + f[1] + m.substring(f[0].length()) + " (in '" + schedule + "')");
            }
            throw new CliException("--schedule '" + schedule + "': " + m);
        }
        throw new CliException("--schedule must be " + accepted + ", got '" + schedule + "'");
    }
}
