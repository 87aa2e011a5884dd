package org.rmsprop4j.optim;

import org.rmsprop4j.kernel.AdadeltaKernels;
import org.rmsprop4j.kernel.AdagradKernels;
import org.rmsprop4j.kernel.AdamKernels;
import org.rmsprop4j.kernel.RmspropKernels;
import org.rmsprop4j.kernel.RmspropLeanKernels;
import org.rmsprop4j.kernel.SgdKernels;

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

        @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr0, long t) {
            double lr = lr0;
            float gs = (float) gs();
            float l2 = (float) l2(), clip = (float) c.clipGradient(), dwd = (float) dwd(), dlr = (float) lr;
            float decay = (float) c.decay(), omd = (float) (1 - c.decay()), bc = (float) bc(t);
            float epsIn = inside() ? (float) c.eps() : 0f, epsOut = inside() ? 0f : (float) c.eps();
            if (c.momentum() == 0) {
                if (c.centered() && gs == 1f && l2 == 0f && clip == Float.POSITIVE_INFINITY && dwd == 0f && bc == 1f) {
                    RmspropLeanKernels.centered(p, g, s[0], s[avgSlot], off, len, decay, omd, epsIn, epsOut, (float) lr);
                } else if (c.centered()) {
                    RmspropKernels.centered(p, g, s[0], s[avgSlot], off, len, gs, l2, clip, dwd, dlr, decay, omd, bc, epsIn, epsOut, (float) lr);
                } else if (gs == 1f && l2 == 0f && clip == Float.POSITIVE_INFINITY && dwd == 0f && bc == 1f) {
                    // every extra coefficient neutral: the lean loop (1.6x faster in cache, measured; README, "Speed")
                    RmspropLeanKernels.plain(p, g, s[0], off, len, decay, omd, epsIn, epsOut, (float) lr);
                } else {
                    RmspropKernels.plain(p, g, s[0], off, len, gs, l2, clip, dwd, dlr, decay, omd, bc, epsIn, epsOut, (float) lr);
                }
                return;
            }
            float m = (float) c.momentum();
            float sIn = lrInside() ? (float) lr : 1f, tOut = lrInside() ? 1f : (float) lr;
            float nz = c.nesterov() ? 1f : 0f, mn = c.nesterov() ? m : 1f;
            if (c.centered() && !c.nesterov() && gs == 1f && l2 == 0f && clip == Float.POSITIVE_INFINITY && dwd == 0f && bc == 1f) {
                // the generic body is too big for C2 to vectorise (README, "Speed"); the lean one is not
                RmspropLeanKernels.centeredMomentum(p, g, s[0], s[avgSlot], s[bufSlot], off, len, decay, omd, epsIn, epsOut,
                        m, sIn, tOut);
            } else if (c.centered()) {
                RmspropKernels.centeredMomentum(p, g, s[0], s[avgSlot], s[bufSlot], off, len, gs, l2, clip, dwd, dlr, decay, omd, bc,
                        epsIn, epsOut, m, sIn, tOut, nz, mn);
            } else if (!c.nesterov() && gs == 1f && l2 == 0f && clip == Float.POSITIVE_INFINITY && dwd == 0f && bc == 1f) {
                RmspropLeanKernels.momentum(p, g, s[0], s[bufSlot], off, len, decay, omd, epsIn, epsOut, m, sIn, tOut);
            } else {
                RmspropKernels.momentum(p, g, s[0], s[bufSlot], off, len, gs, l2, clip, dwd, dlr, decay, omd, bc,
                        epsIn, epsOut, m, sIn, tOut, nz, mn);
            }
        }

        @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr0, long t) {
            double lr = lr0;
            double gs = gs();
            double l2 = l2(), clip = c.clipGradient(), dwd = dwd(), decay = c.decay(), omd = 1 - c.decay(), bc = bc(t);
            double epsIn = inside() ? c.eps() : 0, epsOut = inside() ? 0 : c.eps();
            if (c.momentum() == 0) {
                if (c.centered() && gs == 1 && l2 == 0 && clip == Double.POSITIVE_INFINITY && dwd == 0 && bc == 1) {
                    RmspropLeanKernels.centered(p, g, s[0], s[avgSlot], off, len, decay, omd, epsIn, epsOut, lr);
                } else if (c.centered()) {
                    RmspropKernels.centered(p, g, s[0], s[avgSlot], off, len, gs, l2, clip, dwd, lr, decay, omd, bc, epsIn, epsOut, lr);
                } else if (gs == 1 && l2 == 0 && clip == Double.POSITIVE_INFINITY && dwd == 0 && bc == 1) {
                    RmspropLeanKernels.plain(p, g, s[0], off, len, decay, omd, epsIn, epsOut, lr);
                } else {
                    RmspropKernels.plain(p, g, s[0], off, len, gs, l2, clip, dwd, lr, decay, omd, bc, epsIn, epsOut, lr);
                }
                return;
            }
            double m = c.momentum();
            double sIn = lrInside() ? lr : 1, tOut = lrInside() ? 1 : lr;
            double nz = c.nesterov() ? 1 : 0, mn = c.nesterov() ? m : 1;
            if (c.centered() && !c.nesterov() && gs == 1 && l2 == 0 && clip == Double.POSITIVE_INFINITY && dwd == 0 && bc == 1) {
                RmspropLeanKernels.centeredMomentum(p, g, s[0], s[avgSlot], s[bufSlot], off, len, decay, omd, epsIn, epsOut,
                        m, sIn, tOut);
            } else if (c.centered()) {
                RmspropKernels.centeredMomentum(p, g, s[0], s[avgSlot], s[bufSlot], off, len, gs, l2, clip, dwd, lr, decay, omd, bc,
                        epsIn, epsOut, m, sIn, tOut, nz, mn);
            } else if (!c.nesterov() && gs == 1 && l2 == 0 && clip == Double.POSITIVE_INFINITY && dwd == 0 && bc == 1) {
                RmspropLeanKernels.momentum(p, g, s[0], s[bufSlot], off, len, decay, omd, epsIn, epsOut, m, sIn, tOut);
            } else {
                RmspropKernels.momentum(p, g, s[0], s[bufSlot], off, len, gs, l2, clip, dwd, lr, decay, omd, bc,
                        epsIn, epsOut, m, sIn, tOut, nz, mn);
            }
        }
    }

    private static final class Sgd extends StepRule {
        private final SgdConfig c;

        Sgd(SgdConfig c) { this.c = c; }

        @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
            float gs = c.maximize() ? -1f : 1f, l2 = (float) c.weightDecay();
            if (c.momentum() == 0) {
                SgdKernels.plain(p, g, off, len, gs, l2, (float) lr);
                return;
            }
            float m = (float) c.momentum();
            float keep = t == 1 ? 0f : m, cg = t == 1 ? 1f : (float) (1 - c.dampening());
            SgdKernels.momentum(p, g, s[0], off, len, gs, l2, keep, cg, c.nesterov() ? 1f : 0f, c.nesterov() ? m : 1f, (float) lr);
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
            AdagradKernels.step(p, g, s[0], off, len, c.maximize() ? -1f : 1f, (float) c.weightDecay(), (float) c.eps(),
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
            AdadeltaKernels.step(p, g, s[0], s[1], off, len, c.maximize() ? -1f : 1f, (float) c.weightDecay(),
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
                AdamKernels.amsgrad(p, g, s[0], s[1], s[2], off, len, keep, gs, l2, (float) c.beta1(), (float) (1 - c.beta1()),
                        (float) c.beta2(), (float) (1 - c.beta2()), bc2sqrt, (float) c.eps(), stepSize);
            } else {
                AdamKernels.step(p, g, s[0], s[1], off, len, keep, gs, l2, (float) c.beta1(), (float) (1 - c.beta1()),
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
