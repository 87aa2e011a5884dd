package org.rmsprop4j.optim;

import java.util.List;

import org.rmsprop4j.transform.AddDecayedWeights;
import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.ClipByValue;
import org.rmsprop4j.transform.DecoupledWeightDecay;
import org.rmsprop4j.transform.GradientTransform;
import org.rmsprop4j.transform.Scale;
import org.rmsprop4j.transform.ScaleByAdadelta;
import org.rmsprop4j.transform.ScaleByAdagrad;
import org.rmsprop4j.transform.ScaleByAdam;
import org.rmsprop4j.transform.ScaleByLearningRate;
import org.rmsprop4j.transform.ScaleByRms;
import org.rmsprop4j.transform.ScaleByStddev;
import org.rmsprop4j.transform.Trace;

/**
 * Recognises chains that a fused kernel covers and returns the configuration whose {@link StepRule}
 * runs them in one pass; {@code null} for any other chain (it then runs transform by transform).
 * Member names do not matter, only the transforms and their order. The shapes:
 * <pre>{@code
 * RMSprop:  [scale] [add_decayed_weights] [clip_by_value] (scale_by_rms | scale_by_stddev)
 *           (lr [trace] | trace lr) [decoupled_weight_decay]
 * SGD:      [scale(±1)] [add_decayed_weights] [trace] lr
 * AdaGrad:  [scale(±1)] [add_decayed_weights] scale_by_adagrad lr
 * Adadelta: [scale(±1)] [add_decayed_weights] scale_by_adadelta lr
 * Adam:     [scale(±1)] [add_decayed_weights] scale_by_adam lr [decoupled_weight_decay]
 * }</pre>
 * A trace inside RMSprop must have no dampening. L2 and decoupled decay together are not fused.
 */
final class Lowering {
    private Lowering() {}

    private static final class Cursor {
        final List<Chain.Link> links;
        int i;

        Cursor(List<Chain.Link> links) { this.links = links; }

        GradientTransform peek() { return i < links.size() ? links.get(i).transform() : null; }

        GradientTransform next() { return i < links.size() ? links.get(i++).transform() : null; }

        boolean done() { return i == links.size(); }
    }

    static OptimizerSpec lower(Chain chain) {
        Cursor k = new Cursor(chain.links());
        double lr = chain.learningRate();
        double scale = 1;
        if (k.peek() instanceof Scale s) { scale = s.factor(); k.next(); }
        double l2 = 0;
        if (k.peek() instanceof AddDecayedWeights a) { l2 = a.weightDecay(); k.next(); }
        double clip = Double.POSITIVE_INFINITY;
        if (k.peek() instanceof ClipByValue c) { clip = c.limit(); k.next(); }
        GradientTransform core = k.next();
        boolean sign = scale == 1 || scale == -1;
        boolean plain = sign && clip == Double.POSITIVE_INFINITY;
        if (core instanceof ScaleByRms || core instanceof ScaleByStddev) return rms(k, lr, scale, l2, clip, core);
        if (core instanceof Trace t && plain) {
            if (!(k.next() instanceof ScaleByLearningRate) || !k.done()) return null;
            return new SgdConfig(lr, t.momentum(), t.dampening(), t.nesterov(), l2, scale < 0);
        }
        if (core instanceof ScaleByLearningRate && plain) {
            return k.done() ? new SgdConfig(lr, 0, 0, false, l2, scale < 0) : null;
        }
        if (core instanceof ScaleByAdagrad a && plain) {
            if (!(k.next() instanceof ScaleByLearningRate) || !k.done()) return null;
            return new AdagradConfig(lr, 0, a.initialAccumulator(), a.eps(), l2, scale < 0);
        }
        if (core instanceof ScaleByAdadelta a && plain) {
            if (!(k.next() instanceof ScaleByLearningRate) || !k.done()) return null;
            return new AdadeltaConfig(lr, a.rho(), a.eps(), l2, scale < 0);
        }
        if (core instanceof ScaleByAdam a && plain) {
            if (!(k.next() instanceof ScaleByLearningRate)) return null;
            double dwd = 0;
            if (k.peek() instanceof DecoupledWeightDecay d) { dwd = d.weightDecay(); k.next(); }
            if (!k.done() || (dwd > 0 && l2 > 0)) return null;
            return new AdamConfig(lr, a.beta1(), a.beta2(), a.eps(), dwd > 0 ? dwd : l2, dwd > 0, a.amsgrad(), scale < 0);
        }
        return null;
    }

    private static OptimizerSpec rms(Cursor k, double lr, double scale, double l2, double clip, GradientTransform core) {
        boolean centered = core instanceof ScaleByStddev;
        double decay, eps, init;
        EpsPlacement placement;
        boolean bc;
        if (core instanceof ScaleByStddev s) {
            decay = s.decay(); eps = s.eps(); placement = s.epsPlacement(); init = s.initialMeanSquare(); bc = s.biasCorrection();
        } else {
            ScaleByRms s = (ScaleByRms) core;
            decay = s.decay(); eps = s.eps(); placement = s.epsPlacement(); init = s.initialMeanSquare(); bc = s.biasCorrection();
        }
        Trace trace = null;
        MomentumStyle style = MomentumStyle.LR_OUTSIDE;
        if (k.peek() instanceof Trace t) {
            trace = t;
            k.next();
            if (!(k.next() instanceof ScaleByLearningRate)) return null;
        } else {
            if (!(k.next() instanceof ScaleByLearningRate)) return null;
            if (k.peek() instanceof Trace t) {
                trace = t;
                style = MomentumStyle.LR_INSIDE;
                k.next();
            }
        }
        if (trace != null && (trace.dampening() != 0 || trace.momentum() == 0)) return null;
        double dwd = 0;
        if (k.peek() instanceof DecoupledWeightDecay d) { dwd = d.weightDecay(); k.next(); }
        if (!k.done() || (dwd > 0 && l2 > 0)) return null;
        return new RmsPropConfig(lr, decay, eps, placement, init, centered, trace == null ? 0 : trace.momentum(), style,
                trace != null && trace.nesterov(), dwd > 0 ? dwd : l2, dwd > 0 ? WeightDecayStyle.DECOUPLED : WeightDecayStyle.L2,
                bc, scale < 0, 0.0, Math.abs(scale), clip);
    }
}
