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

    /**
     * Why this rule cannot keep its state in 8 bits ({@link StateQuantization}), or null when it can.
     * Only centered RMSprop is refused (as bitsandbytes does): its denominator {@code sqrt(ν − μ²)}
     * subtracts two quantized numbers, and on a gradient of steady sign the rounding error exceeds the
     * difference (measured: the parameters left the float32 run by 10^4–10^5 times its own displacement).
     */
    String notQuantizable() { return null; }

    /**
     * For plain RMSprop in float32 (the rule's lean loop: no momentum, centering, bias correction or extra
     * coefficient): {@code {decay, 1 - decay, eps inside, eps outside}} as that loop uses them, so the float8
     * state can run the same arithmetic fused with its decoding ({@code QuantizedState}); else null.
     */
    float[] leanPlainF32() { return null; }

    /**
     * For Adam and AdamW without AMSGrad in float32: writes the float32 coefficients of step {@code t} at learning rate
     * {@code lr}, as {@link #apply} hands them to {@code AdamKernelsF32.step}, into {@code out} ({@code keep, gs, l2, b1,
     * omb1, b2, omb2, bc2sqrt, eps, stepSize}) and returns true, so the float8 state can run that arithmetic fused with
     * its decoding ({@code QuantizedState}); else false, {@code out} untouched.
     */
    boolean adamF32(double lr, long t, float[] out) { return false; }

    /**
     * For RMSprop with momentum in float32 when its kernel runs the lean momentum loop (not centered, no bias correction,
     * every extra coefficient neutral after narrowing, not Nesterov): writes {@code decay, 1 - decay, eps inside, eps
     * outside, momentum, s, t} at learning rate {@code lr}, as {@link #apply} hands them to that loop, into {@code out}
     * and returns true; else false, {@code out} untouched.
     */
    boolean leanMomentumF32(double lr, float[] out) { return false; }

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
        private final boolean centered, mom, lrInside, biasCorrection;
        // every coefficient that does not change from step to step, computed once (the 2-parameter step is
        // dominated by this fixed cost), in double and narrowed once for float32 as PyTorch narrows Python scalars
        private final double gs, l2, clip, dwd, decay, omd, epsIn, epsOut, m, nz, mn;
        private final float gsF, l2F, clipF, dwdF, decayF, omdF, epsInF, epsOutF, mF, nzF, mnF;
        /**
         * True when the kernel would pick its lean plain loop at every step (no centering, no momentum,
         * no bias correction, every extra coefficient neutral after narrowing: the same test as
         * {@code RmspropKernels.step} makes): the rule then calls that loop directly.
         */
        private final boolean leanPlainF, leanPlainD;

        Rms(RmsPropConfig c) {
            this.c = c;
            centered = c.centered();
            mom = c.momentum() > 0;
            lrInside = c.momentumStyle() == MomentumStyle.LR_INSIDE;
            biasCorrection = c.biasCorrection();
            boolean inside = c.epsPlacement() == EpsPlacement.INSIDE;
            gs = c.maximize() ? -c.gradientScale() : c.gradientScale();
            l2 = c.weightDecayStyle() == WeightDecayStyle.L2 ? c.weightDecay() : 0.0;
            clip = c.clipGradient();
            dwd = c.weightDecayStyle() == WeightDecayStyle.DECOUPLED ? c.weightDecay() : 0.0;
            decay = c.decay();
            omd = 1 - c.decay();
            epsIn = inside ? c.eps() : 0;
            epsOut = inside ? 0 : c.eps();
            m = c.momentum();
            nz = c.nesterov() ? 1 : 0;
            mn = c.nesterov() ? m : 1;
            gsF = (float) gs; l2F = (float) l2; clipF = (float) clip; dwdF = (float) dwd; decayF = (float) decay; omdF = (float) omd;
            epsInF = (float) epsIn; epsOutF = (float) epsOut; mF = (float) m; nzF = (float) nz; mnF = (float) mn;
            boolean plainShape = !centered && !mom && !biasCorrection;
            leanPlainF = plainShape && gsF == 1 && l2F == 0 && clipF == Float.POSITIVE_INFINITY && dwdF == 0 && nzF == 0;
            leanPlainD = plainShape && gs == 1 && l2 == 0 && clip == Double.POSITIVE_INFINITY && dwd == 0 && nz == 0;
        }

        @Override float[] leanPlainF32() { return leanPlainF ? new float[] {decayF, omdF, epsInF, epsOutF} : null; }

        @Override boolean leanMomentumF32(double lr, float[] out) {     // the lean test of RmspropKernelsF32.step, as apply calls it
            if (centered || !mom || biasCorrection || gsF != 1 || l2F != 0 || clipF != Float.POSITIVE_INFINITY || dwdF != 0 || nzF != 0) return false;
            float lrF = (float) lr;
            out[0] = decayF; out[1] = omdF; out[2] = epsInF; out[3] = epsOutF; out[4] = mF;
            out[5] = lrInside ? lrF : 1f;
            out[6] = !lrInside ? lrF : 1f;
            return true;
        }

        @Override String notQuantizable() {
            return centered ? "centered RMSprop (ν − μ² of two 8-bit values loses the variance; bitsandbytes refuses it too)" : null;
        }

        private double bc(long t) { return biasCorrection ? 1 - Math.pow(decay, t) : 1.0; }

        // the chain's slot order: square_avg, then grad_avg when centered, then the momentum buffer
        @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
            float lrF = (float) lr;
            if (leanPlainF) {
                if (len <= RmspropKernelsF32.SHORT_RUN) RmspropKernelsF32.leanPlainShort(p, g, s[0], off, len, decayF, omdF, epsInF, epsOutF, lrF);
                else RmspropKernelsF32.leanPlain(p, g, s[0], off, len, decayF, omdF, epsInF, epsOutF, lrF);
                return;
            }
            RmspropKernelsF32.step(p, g, s[0], centered ? s[1] : null, mom ? s[centered ? 2 : 1] : null, off, len,
                    gsF, l2F, clipF, dwdF, lrF, decayF, omdF, biasCorrection ? (float) bc(t) : 1f, epsInF, epsOutF, lrF,
                    mF, mom && lrInside ? lrF : 1f, mom && !lrInside ? lrF : 1f, nzF, mnF);
        }

        @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
            if (leanPlainD) {
                if (len <= RmspropKernels.SHORT_RUN) RmspropKernels.leanPlainShort(p, g, s[0], off, len, decay, omd, epsIn, epsOut, lr);
                else RmspropKernels.leanPlain(p, g, s[0], off, len, decay, omd, epsIn, epsOut, lr);
                return;
            }
            RmspropKernels.step(p, g, s[0], centered ? s[1] : null, mom ? s[centered ? 2 : 1] : null, off, len,
                    gs, l2, clip, dwd, lr, decay, omd, bc(t), epsIn, epsOut, lr,
                    m, mom && lrInside ? lr : 1, mom && !lrInside ? lr : 1, nz, mn);
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

        @Override boolean adamF32(double lr, long t, float[] out) {     // as apply(float[]...) below
            if (c.amsgrad()) return false;
            double bc1 = 1 - Math.pow(c.beta1(), t), bc2 = 1 - Math.pow(c.beta2(), t);
            out[0] = c.decoupled() ? (float) (1 - lr * c.weightDecay()) : 1f;
            out[1] = c.maximize() ? -1f : 1f;
            out[2] = c.decoupled() ? 0f : (float) c.weightDecay();
            out[3] = (float) c.beta1();
            out[4] = (float) (1 - c.beta1());
            out[5] = (float) c.beta2();
            out[6] = (float) (1 - c.beta2());
            out[7] = (float) Math.sqrt(bc2);
            out[8] = (float) c.eps();
            out[9] = (float) (lr / bc1);
            return true;
        }

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
