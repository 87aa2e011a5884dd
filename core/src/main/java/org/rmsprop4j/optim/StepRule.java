package org.rmsprop4j.optim;

import org.rmsprop4j.kernel.AdadeltaKernels;
import org.rmsprop4j.kernel.AdadeltaKernelsF32;
import org.rmsprop4j.kernel.AdagradKernels;
import org.rmsprop4j.kernel.AdagradKernelsF32;
import org.rmsprop4j.kernel.AdamKernels;
import org.rmsprop4j.kernel.AdamKernelsF32;
import org.rmsprop4j.kernel.RmspropKernels;
import org.rmsprop4j.kernel.RmspropKernelsF32;
import org.rmsprop4j.kernel.SgdKernels;
import org.rmsprop4j.kernel.SgdKernelsF32;

/**
 * Turns a spec into kernel calls: computes the per-step coefficients once (in double, then
 * narrowed for float32 as PyTorch narrows Python scalars) and calls the one fused loop that fits.
 * Slot arrays come in the order of the spec's chain's slots ({@link OptimizerSpec#stateSlots()}).
 * The learning rate handed in is the group's, schedule applied (a config's {@code lrDecay} is part of
 * that schedule, {@link OptimizerSpec#impliedSchedule()}), so the rules ignore {@code lrDecay}.
 */
abstract class StepRule {

    /**
     * One step over {@code [off, off+len)}.
     *
     * @param lr the scheduled learning rate of this step
     * @param t  the 1-based number of this step within its group
     */
    abstract void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t);

    abstract void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t);

    static StepRule of(OptimizerSpec spec) {
        if (spec instanceof RmsPropConfig c) return new Rms(c);
        if (spec instanceof SgdConfig c) return new Sgd(c);
        if (spec instanceof AdagradConfig c) return new Adagrad(c);
        if (spec instanceof AdadeltaConfig c) return new Adadelta(c);
        if (spec instanceof AdamConfig c) return new Adam(c);
        throw new IllegalArgumentException("unsupported optimizer spec " + spec);
    }

    private static final class Rms extends StepRule {
        private final RmsPropConfig c;
        private final int avgSlot;
        private final int bufSlot;

        Rms(RmsPropConfig c) {
            this.c = c;
            // the chain's slot order: square_avg, then grad_avg when centered, then the momentum buffer
            avgSlot = c.centered() ? 1 : -1;
            bufSlot = c.centered() ? 2 : 1;
        }

        private double bc(long t) { return c.biasCorrection() ? 1 - Math.pow(c.decay(), t) : 1.0; }

        private boolean inside() { return c.epsPlacement() == EpsPlacement.INSIDE; }

        private boolean lrInside() { return c.momentumStyle() == MomentumStyle.LR_INSIDE; }

        private double gs() { return c.maximize() ? -c.gradientScale() : c.gradientScale(); }

        private double l2() { return c.weightDecayStyle() == WeightDecayStyle.L2 ? c.weightDecay() : 0.0; }

        private double dwd() { return c.weightDecayStyle() == WeightDecayStyle.DECOUPLED ? c.weightDecay() : 0.0; }

        @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
            boolean mom = c.momentum() > 0;
            float m = (float) c.momentum();
            RmspropKernelsF32.step(p, g, s[0], c.centered() ? s[avgSlot] : null, mom ? s[bufSlot] : null, off, len,
                    (float) gs(), (float) l2(), (float) c.clipGradient(), (float) dwd(), (float) lr,
                    (float) c.decay(), (float) (1 - c.decay()), (float) bc(t),
                    inside() ? (float) c.eps() : 0f, inside() ? 0f : (float) c.eps(), (float) lr,
                    m, mom && lrInside() ? (float) lr : 1f, mom && !lrInside() ? (float) lr : 1f,
                    c.nesterov() ? 1f : 0f, c.nesterov() ? m : 1f);
        }

        @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
            boolean mom = c.momentum() > 0;
            double m = c.momentum();
            RmspropKernels.step(p, g, s[0], c.centered() ? s[avgSlot] : null, mom ? s[bufSlot] : null, off, len,
                    gs(), l2(), c.clipGradient(), dwd(), lr, c.decay(), 1 - c.decay(), bc(t),
                    inside() ? c.eps() : 0, inside() ? 0 : c.eps(), lr,
                    m, mom && lrInside() ? lr : 1, mom && !lrInside() ? lr : 1, c.nesterov() ? 1 : 0, c.nesterov() ? m : 1);
        }
    }

    private static final class Sgd extends StepRule {
        private final SgdConfig c;

        Sgd(SgdConfig c) { this.c = c; }

        @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
            float gs = c.maximize() ? -1f : 1f, l2 = (float) c.weightDecay();
            if (c.momentum() == 0) {
                SgdKernelsF32.plain(p, g, off, len, gs, l2, (float) lr);
                return;
            }
            float m = (float) c.momentum();
            float keep = t == 1 ? 0f : m, cg = t == 1 ? 1f : (float) (1 - c.dampening());
            SgdKernelsF32.momentum(p, g, s[0], off, len, gs, l2, keep, cg, c.nesterov() ? 1f : 0f, c.nesterov() ? m : 1f, (float) lr);
        }

        @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
            double gs = c.maximize() ? -1 : 1, l2 = c.weightDecay();
            if (c.momentum() == 0) {
                SgdKernels.plain(p, g, off, len, gs, l2, lr);
                return;
            }
            double m = c.momentum();
            double keep = t == 1 ? 0 : m, cg = t == 1 ? 1 : 1 - c.dampening();
            SgdKernels.momentum(p, g, s[0], off, len, gs, l2, keep, cg, c.nesterov() ? 1 : 0, c.nesterov() ? m : 1, lr);
        }
    }

    private static final class Adagrad extends StepRule {
        private final AdagradConfig c;

        Adagrad(AdagradConfig c) { this.c = c; }

        @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
            AdagradKernelsF32.step(p, g, s[0], off, len, c.maximize() ? -1f : 1f, (float) c.weightDecay(), (float) c.eps(),
                    (float) lr);
        }

        @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
            AdagradKernels.step(p, g, s[0], off, len, c.maximize() ? -1 : 1, c.weightDecay(), c.eps(), lr);
        }
    }

    private static final class Adadelta extends StepRule {
        private final AdadeltaConfig c;

        Adadelta(AdadeltaConfig c) { this.c = c; }

        @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
            AdadeltaKernelsF32.step(p, g, s[0], s[1], off, len, c.maximize() ? -1f : 1f, (float) c.weightDecay(),
                    (float) c.rho(), (float) (1 - c.rho()), (float) c.eps(), (float) lr);
        }

        @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
            AdadeltaKernels.step(p, g, s[0], s[1], off, len, c.maximize() ? -1 : 1, c.weightDecay(),
                    c.rho(), 1 - c.rho(), c.eps(), lr);
        }
    }

    private static final class Adam extends StepRule {
        private final AdamConfig c;

        Adam(AdamConfig c) { this.c = c; }

        @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
            float keep = c.decoupled() ? (float) (1 - lr * c.weightDecay()) : 1f;
            float l2 = c.decoupled() ? 0f : (float) c.weightDecay();
            float gs = c.maximize() ? -1f : 1f;
            double bc1 = 1 - Math.pow(c.beta1(), t), bc2 = 1 - Math.pow(c.beta2(), t);
            float stepSize = (float) (lr / bc1), bc2sqrt = (float) Math.sqrt(bc2);
            if (c.amsgrad()) {
                AdamKernelsF32.amsgrad(p, g, s[0], s[1], s[2], off, len, keep, gs, l2, (float) c.beta1(), (float) (1 - c.beta1()),
                        (float) c.beta2(), (float) (1 - c.beta2()), bc2sqrt, (float) c.eps(), stepSize);
            } else {
                AdamKernelsF32.step(p, g, s[0], s[1], off, len, keep, gs, l2, (float) c.beta1(), (float) (1 - c.beta1()),
                        (float) c.beta2(), (float) (1 - c.beta2()), bc2sqrt, (float) c.eps(), stepSize);
            }
        }

        @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
            double keep = c.decoupled() ? 1 - lr * c.weightDecay() : 1;
            double l2 = c.decoupled() ? 0 : c.weightDecay();
            double gs = c.maximize() ? -1 : 1;
            double bc1 = 1 - Math.pow(c.beta1(), t), bc2 = 1 - Math.pow(c.beta2(), t);
            double stepSize = lr / bc1, bc2sqrt = Math.sqrt(bc2);
            if (c.amsgrad()) {
                AdamKernels.amsgrad(p, g, s[0], s[1], s[2], off, len, keep, gs, l2, c.beta1(), 1 - c.beta1(),
                        c.beta2(), 1 - c.beta2(), bc2sqrt, c.eps(), stepSize);
            } else {
                AdamKernels.step(p, g, s[0], s[1], off, len, keep, gs, l2, c.beta1(), 1 - c.beta1(),
                        c.beta2(), 1 - c.beta2(), bc2sqrt, c.eps(), stepSize);
            }
        }
    }
}
