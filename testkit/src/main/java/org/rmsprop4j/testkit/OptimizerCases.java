package org.rmsprop4j.testkit;

import java.util.ArrayList;
import java.util.List;

import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.SgdConfig;
import org.rmsprop4j.optim.WeightDecayStyle;

/**
 * The generic optimizer test table (PyTorch's {@code OptimizerInfo}, Optax's
 * {@code _OPTIMIZERS_UNDER_TEST}): named configurations covering every preset and every knob, for
 * property tests that any optimizer must pass. Reusable by anyone who writes an optimizer.
 */
public final class OptimizerCases {
    private OptimizerCases() {}

    /** A named configuration, with a learning rate suited to a unit-scale quadratic. */
    public record OptimizerCase(String name, OptimizerSpec spec) {
        @Override public String toString() { return name; }
    }

    public static List<OptimizerCase> all() {
        List<OptimizerCase> out = new ArrayList<>();
        for (RmsPropPreset p : RmsPropPreset.values()) {
            RmsPropConfig c = p.config();
            double lr = Math.min(c.learningRate(), 0.05);
            out.add(new OptimizerCase("rmsprop/" + p.id(), c.toBuilder().learningRate(Math.max(lr, 0.01)).build()));
        }
        RmsPropConfig base = RmsPropConfig.builder().learningRate(0.01).build();
        out.add(new OptimizerCase("rmsprop/centered+weight-decay", base.toBuilder().centered(true).weightDecay(0.1).build()));
        out.add(new OptimizerCase("rmsprop/centered+momentum", base.toBuilder().centered(true).momentum(0.5).build()));
        out.add(new OptimizerCase("rmsprop/eps-inside", base.toBuilder().epsInsideSqrt(true).build()));
        out.add(new OptimizerCase("rmsprop/nesterov(lr-inside)", base.toBuilder().momentum(0.5).nesterov(true)
                .momentumStyle(MomentumStyle.LR_INSIDE).build()));
        out.add(new OptimizerCase("rmsprop/decoupled-decay+bias-correction", base.toBuilder().weightDecay(0.01)
                .weightDecayStyle(WeightDecayStyle.DECOUPLED).biasCorrection(true).build()));
        out.add(new OptimizerCase("rmsprop/lr-decay", base.toBuilder().lrDecay(0.01).build()));
        out.add(new OptimizerCase("sgd", SgdConfig.builder().learningRate(0.05).build()));
        out.add(new OptimizerCase("sgd/momentum+dampening", SgdConfig.builder().learningRate(0.05).momentum(0.9).dampening(0.1).build()));
        out.add(new OptimizerCase("sgd/nesterov+weight-decay", SgdConfig.builder().learningRate(0.05).momentum(0.9).nesterov(true)
                .weightDecay(0.01).build()));
        out.add(new OptimizerCase("adagrad", AdagradConfig.builder().learningRate(0.3).build()));
        out.add(new OptimizerCase("adagrad/lr-decay+initial", AdagradConfig.builder().learningRate(0.3).lrDecay(0.001)
                .initialAccumulator(0.1).build()));
        out.add(new OptimizerCase("adadelta", AdadeltaConfig.builder().learningRate(10).build()));
        out.add(new OptimizerCase("adam", AdamConfig.builder().learningRate(0.05).build()));
        out.add(new OptimizerCase("adamw/amsgrad", AdamConfig.adamW().learningRate(0.05).amsgrad(true).build()));
        return out;
    }
}
