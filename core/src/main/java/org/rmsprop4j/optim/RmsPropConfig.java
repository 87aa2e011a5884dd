package org.rmsprop4j.optim;

import org.rmsprop4j.internal.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.transform.AddDecayedWeights;
import org.rmsprop4j.internal.Texts;
import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.ClipByValue;
import org.rmsprop4j.transform.DecoupledWeightDecay;
import org.rmsprop4j.transform.Scale;
import org.rmsprop4j.transform.ScaleByLearningRate;
import org.rmsprop4j.transform.RmsPropProfile;
import org.rmsprop4j.transform.ScaleByRms;
import org.rmsprop4j.transform.ScaleByStddev;
import org.rmsprop4j.transform.Trace;

/**
 * RMSprop (Tieleman &amp; Hinton 2012, lecture 6e; centered variant: Graves 2013, eqs. 38–45) with every
 * point on which frameworks disagree as an explicit knob. Each framework's choice is a
 * {@link RmsPropPreset}.
 *
 * <pre>{@code
 * g ← s·g, g ← −g if maximize                 // s = gradientScale (MXNet rescale_grad), 1 by default
 * g ← g + λ·θ                                   // weightDecayStyle L2 (PyTorch, Caffe, MXNet)
 * g ← min(max(g, −c), c)                        // only if clipGradient c is finite (MXNet clip_gradient)
 * θ ← θ − (θ·λ)·η                               // weightDecayStyle DECOUPLED (Keras 3), before the step
 * ν ← ρ·ν + (1−ρ)·g²                            // slot "square_avg", starts at initialMeanSquare
 * μ ← ρ·μ + (1−ρ)·g                             // slot "grad_avg", only if centered
 * ν̂ = ν/(1−ρᵗ), μ̂ = μ/(1−ρᵗ)                   // only if biasCorrection (Optax); else ν̂ = ν, μ̂ = μ
 * s = max(ν̂ − μ̂², 0) if centered, else ν̂
 * d = √s + ε          (epsPlacement OUTSIDE)     d = √(s + ε)   (INSIDE)
 * η_t = η / (1 + lrDecay·(t−1))                 // inverse-time decay (Tribuo, Keras 1); t counts from 1
 * no momentum:   θ ← θ − η_t·g/d
 * LR_OUTSIDE:    b ← β·b + g/d;       θ ← θ − η_t·(nesterov ? g/d + β·b : b)      // PyTorch
 * LR_INSIDE:     b ← β·b + η_t·g/d;   θ ← θ − (nesterov ? η_t·g/d + β·b : b)      // TF, Keras, Optax, Graves
 * }</pre>
 *
 * <h2>Conventions</h2>
 * Defaults are PyTorch's ({@code torch.optim.RMSprop}): η = 0.01, ρ = 0.99, ε = 1e-8 outside the root,
 * ν₀ = 0, no centering, no momentum. Names: {@code decay} is PyTorch's {@code alpha}, Keras' and
 * Lasagne's {@code rho}, TF1's and Optax's {@code decay}, DL4J's {@code rmsDecay}, Caffe's
 * {@code rms_decay}, MXNet's {@code gamma1}/{@code rho}. Departure from PyTorch: when centered, the
 * variance {@code ν̂ − μ̂²} is clamped at 0, so that rounding cannot push it below zero and produce
 * NaN (PyTorch does not clamp; in float32 on a constant gradient it reaches NaN after about 1,200
 * steps with ε outside the root). Wherever the variance is positive the result is bit-identical.
 *
 * @param learningRate       η, finite and {@code >= 0}
 * @param decay              ρ, in {@code [0, 1)}
 * @param eps                ε, finite and {@code >= 0}
 * @param epsPlacement       where ε is added
 * @param initialMeanSquare  ν₀, finite and {@code >= 0} (TF1 uses 1, DL4J uses ε)
 * @param centered           subtract the squared running mean of the gradient
 * @param momentum           β, finite and {@code >= 0}; 0 keeps no buffer
 * @param momentumStyle      where the learning rate enters the momentum buffer
 * @param nesterov           Nesterov momentum (Optax); requires momentum {@code > 0}
 * @param weightDecay        λ, finite and {@code >= 0}
 * @param weightDecayStyle   how λ is applied
 * @param biasCorrection     divide the moments by {@code 1 − ρᵗ} (Optax option)
 * @param maximize           ascend instead of descend (PyTorch)
 * @param lrDecay            inverse-time decay of η, finite and {@code >= 0}
 * @param gradientScale      s, multiplies the gradient first (MXNet {@code rescale_grad}); finite and {@code > 0}
 * @param clipGradient       c, clamps each element of the gradient after weight decay (MXNet {@code clip_gradient});
 *                           {@code > 0}, {@code +∞} for none. {@link Clipping} on the {@link Optimizer} acts before
 *                           weight decay instead.
 * @param arithmetic         whose operation order and precision the step follows ({@link Arithmetic});
 *                           {@link Arithmetic#PYTORCH_1_13} (the default) runs the fused kernels, any other
 *                           value one {@link RmsPropProfile} (run fused when alone in its chain), which
 *                           refuses the knobs its framework does not have
 */
public record RmsPropConfig(double learningRate, double decay, double eps, EpsPlacement epsPlacement,
                            double initialMeanSquare, boolean centered, double momentum,
                            MomentumStyle momentumStyle, boolean nesterov, double weightDecay,
                            WeightDecayStyle weightDecayStyle, boolean biasCorrection, boolean maximize,
                            double lrDecay, double gradientScale, double clipGradient, Arithmetic arithmetic) implements OptimizerSpec {

    /** Slot of the running mean of squared gradients ν. */
    public static final String SQUARE_AVG = "square_avg";
    /** Slot of the running mean of gradients μ (centered only). */
    public static final String GRAD_AVG = "grad_avg";
    /** Slot of the momentum buffer b (momentum only). */
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    /**
     * Validates every knob.
     *
     * @param learningRate       η, finite and {@code >= 0}
     * @param decay              ρ, in {@code [0, 1)}
     * @param eps                ε, finite and {@code >= 0}
     * @param epsPlacement       where ε is added
     * @param initialMeanSquare  ν₀, finite and {@code >= 0} (TF1 uses 1, DL4J uses ε)
     * @param centered           subtract the squared running mean of the gradient
     * @param momentum           β, finite and {@code >= 0}; 0 keeps no buffer
     * @param momentumStyle      where the learning rate enters the momentum buffer
     * @param nesterov           Nesterov momentum (Optax); requires momentum {@code > 0}
     * @param weightDecay        λ, finite and {@code >= 0}
     * @param weightDecayStyle   how λ is applied
     * @param biasCorrection     divide the moments by {@code 1 − ρᵗ} (Optax option)
     * @param maximize           ascend instead of descend (PyTorch)
     * @param lrDecay            inverse-time decay of η, finite and {@code >= 0}
     * @param gradientScale      s, multiplies the gradient first (MXNet {@code rescale_grad}); finite and {@code > 0}
     * @param clipGradient       c, clamps each element of the gradient after weight decay (MXNet {@code clip_gradient});
     *                           {@code > 0}, {@code +∞} for none. {@link Clipping} on the {@link Optimizer} acts before
     *                           weight decay instead.
     * @param arithmetic         whose operation order and precision the step follows ({@link Arithmetic}); {@link
     *                           Arithmetic#PYTORCH_1_13} (the default) runs the fused kernels, any other value one {@link
     *                           RmsPropProfile} (run fused when alone in its chain), which refuses the knobs its
     *                           framework does not have
     * @throws IllegalArgumentException naming the knob, its value and what is accepted: a range above, {@code nesterov}
     *         without momentum, a non-zero {@code initialMeanSquare} with {@code biasCorrection}, a null style, or a knob the
     *         chosen {@code arithmetic}'s framework does not have
     */
    public RmsPropConfig {
        Checks.nonNegative("learningRate", learningRate);
        Checks.inHalfOpen("decay", decay, 0.0, 1.0);
        Checks.nonNegative("eps", eps);
        Checks.notNull("epsPlacement", epsPlacement);
        Checks.nonNegative("initialMeanSquare", initialMeanSquare);
        Checks.nonNegative("momentum", momentum);
        Checks.notNull("momentumStyle", momentumStyle);
        if (nesterov && momentum == 0.0) {
            throw Checks.invalid("nesterov", true, "false when momentum is 0 (Nesterov needs momentum > 0)");
        }
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.notNull("weightDecayStyle", weightDecayStyle);
        Checks.nonNegative("lrDecay", lrDecay);
        Checks.positive("gradientScale", gradientScale);
        if (!(clipGradient > 0)) throw Checks.invalid("clipGradient", clipGradient, "> 0 (Infinity for no clipping)");
        if (biasCorrection && initialMeanSquare != 0.0) {
            throw Checks.invalid("initialMeanSquare", initialMeanSquare,
                    "0 when biasCorrection is on (the correction assumes the moments start at 0)");
        }
        Checks.notNull("arithmetic", arithmetic);
        if (arithmetic != Arithmetic.PYTORCH_1_13) {
            String who = " with arithmetic " + arithmetic.id();
            if (gradientScale != 1.0) throw Checks.invalid("gradientScale" + who, gradientScale, "1 (MXNet's rescale_grad is not part of this framework)");
            if (clipGradient != Double.POSITIVE_INFINITY) throw Checks.invalid("clipGradient" + who, clipGradient, "Infinity (MXNet's clip_gradient is not part of this framework)");
            if (maximize && arithmetic != Arithmetic.PYTORCH_2_13) throw Checks.invalid("maximize" + who, true, "false (only PyTorch has maximize)");
            profile(decay, eps, epsPlacement, initialMeanSquare, centered, momentum, momentumStyle, nesterov, weightDecay,
                    weightDecayStyle, biasCorrection, arithmetic);      // validates the knobs against the framework
        }
    }

    /** The configuration with PyTorch 1.13's arithmetic (the fused kernels). */
    public RmsPropConfig(double learningRate, double decay, double eps, EpsPlacement epsPlacement,
                         double initialMeanSquare, boolean centered, double momentum,
                         MomentumStyle momentumStyle, boolean nesterov, double weightDecay,
                         WeightDecayStyle weightDecayStyle, boolean biasCorrection, boolean maximize,
                         double lrDecay, double gradientScale, double clipGradient) {
        this(learningRate, decay, eps, epsPlacement, initialMeanSquare, centered, momentum, momentumStyle, nesterov, weightDecay,
                weightDecayStyle, biasCorrection, maximize, lrDecay, gradientScale, clipGradient, Arithmetic.PYTORCH_1_13);
    }

    private static RmsPropProfile profile(double decay, double eps, EpsPlacement epsPlacement, double init, boolean centered,
                                          double momentum, MomentumStyle style, boolean nesterov, double wd,
                                          WeightDecayStyle wdStyle, boolean bc, Arithmetic a) {
        return new RmsPropProfile(a, decay, eps, epsPlacement, init, centered, momentum, style, nesterov, wd, wdStyle, bc);
    }

    /** A builder with PyTorch's defaults (see the class comment); {@link Builder#build()} validates. */
    public static Builder builder() { return new Builder(); }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() { return new Builder(this); }

    /** The configuration of a named framework; see {@link RmsPropPreset}. */
    public static RmsPropConfig preset(RmsPropPreset preset) { return preset.config(); }

    @Override public String kind() { return "rmsprop"; }

    @Override public RmsPropConfig withLearningRate(double lr) { return toBuilder().learningRate(lr).build(); }

    /**
     * The chain this configuration means. Members, in order, present only when their knob is not neutral:
     * {@code scale} (gradientScale, −1 if maximize), {@code weight_decay} (L2), {@code clip} (clipGradient),
     * {@code rms} ({@link ScaleByRms}, or {@link ScaleByStddev} when centered), then {@code lr} and
     * {@code momentum} in the order of {@link #momentumStyle()}, then {@code weight_decay} (decoupled). State
     * buffers are therefore {@code rms/<param>/square_avg}, {@code rms/<param>/grad_avg},
     * {@code momentum/<param>/momentum_buffer}. The optimizer runs it as one fused kernel.
     * With another {@link #arithmetic()}: {@code scale} (−1, if maximize), then {@code rms}, one
     * {@link RmsPropProfile} doing the whole step (state {@code rms/<param>/square_avg}, ...).
     */
    @Override public Chain chain() {
        Chain.Builder b = Chain.builder(kind()).learningRate(learningRate);
        if (arithmetic != Arithmetic.PYTORCH_1_13) {
            if (maximize) b.add("scale", new Scale(-1));
            return b.add("rms", profile(decay, eps, epsPlacement, initialMeanSquare, centered, momentum, momentumStyle, nesterov,
                    weightDecay, weightDecayStyle, biasCorrection, arithmetic)).build();
        }
        double s = maximize ? -gradientScale : gradientScale;
        if (s != 1.0) b.add("scale", new Scale(s));
        if (weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2) b.add("weight_decay", new AddDecayedWeights(weightDecay));
        if (clipGradient != Double.POSITIVE_INFINITY) b.add("clip", new ClipByValue(clipGradient));
        b.add("rms", centered ? new ScaleByStddev(decay, eps, epsPlacement, initialMeanSquare, biasCorrection)
                : new ScaleByRms(decay, eps, epsPlacement, initialMeanSquare, biasCorrection));
        if (momentum > 0 && momentumStyle == MomentumStyle.LR_OUTSIDE) {
            b.add("momentum", Trace.of(momentum, nesterov)).add("lr", new ScaleByLearningRate());
        } else {
            b.add("lr", new ScaleByLearningRate());
            if (momentum > 0) b.add("momentum", Trace.of(momentum, nesterov));
        }
        if (weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED) b.add("weight_decay", new DecoupledWeightDecay(weightDecay));
        return b.build();
    }

    /** Inverse-time decay of η when {@link #lrDecay()} is above 0 (it is the group's schedule then). */
    @Override public Schedule impliedSchedule() { return lrDecay > 0 ? Schedules.inverseTime(lrDecay) : null; }

    @Override public String squaredGradientSlot() { return SQUARE_AVG; }

    @Override public String momentumSlot() { return momentum > 0 ? MOMENTUM_BUFFER : null; }

    /** {@code η_t/(√ν̂ + ε)} (ε outside) or {@code η_t/√(ν̂ + ε)} (inside); centered: ν̂ − μ̂², clamped at 0. */
    @Override public double effectiveStep(long t, double lr, SlotValues after, SlotValues before) {
        double bc = biasCorrection ? 1 - Math.pow(decay, t) : 1.0;
        double v = after.get(SQUARE_AVG) / bc;
        if (centered) {
            double mu = after.get(GRAD_AVG) / bc;
            v = Math.max(v - mu * mu, 0);
        }
        double e = eps;
        switch (arithmetic) {          // the frameworks that narrow their scalars through float32, also for float64 variables
            case TF1 -> { lr = (float) lr; e = (float) eps; }
            case KERAS_3, KERAS_3_GRAPH, KERAS_3_XLA -> lr = (float) lr;
            default -> { }
        }
        return lr / (epsPlacement == EpsPlacement.INSIDE ? Math.sqrt(v + e) : Math.sqrt(v) + e);
    }

    @Override public String decayKnob() { return "decay"; }

    @Override public RmsPropConfig withDecay(double d) { return toBuilder().decay(d).build(); }

    @Override public String describe() {
        java.util.List<String> p = new ArrayList<>();
        p.add("lr " + Texts.num(learningRate));
        p.add("ρ " + Texts.num(decay));
        p.add("ε " + Texts.num(eps) + (epsPlacement == EpsPlacement.INSIDE ? " in √" : " out"));
        if (initialMeanSquare != 0) p.add("ν₀ " + Texts.num(initialMeanSquare));
        if (centered) p.add("centered");
        if (momentum > 0) p.add("mom " + Texts.num(momentum) + (momentumStyle == MomentumStyle.LR_INSIDE ? " (lr in)" : ""));
        if (nesterov) p.add("nesterov");
        if (weightDecay > 0) p.add("wd " + Texts.num(weightDecay) + " " + weightDecayStyle.toString().toLowerCase(java.util.Locale.ROOT));
        if (biasCorrection) p.add("bias-corr");
        if (maximize) p.add("maximize");
        if (lrDecay > 0) p.add("lr-decay " + Texts.num(lrDecay));
        if (gradientScale != 1) p.add("scale " + Texts.num(gradientScale));
        if (clipGradient != Double.POSITIVE_INFINITY) p.add("clip " + Texts.num(clipGradient));
        if (arithmetic != Arithmetic.PYTORCH_1_13) p.add("arithmetic " + arithmetic.id());
        return kind() + ": " + String.join(", ", p);
    }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", learningRate);
        m.put("decay", decay);
        m.put("eps", eps);
        m.put("epsPlacement", epsPlacement);
        m.put("initialMeanSquare", initialMeanSquare);
        m.put("centered", centered);
        m.put("momentum", momentum);
        m.put("momentumStyle", momentumStyle);
        m.put("nesterov", nesterov);
        m.put("weightDecay", weightDecay);
        m.put("weightDecayStyle", weightDecayStyle);
        m.put("biasCorrection", biasCorrection);
        m.put("maximize", maximize);
        m.put("lrDecay", lrDecay);
        m.put("gradientScale", gradientScale);
        m.put("clipGradient", clipGradient);
        if (arithmetic != Arithmetic.PYTORCH_1_13) m.put("arithmetic", arithmetic);   // absent by default: older state files still match
        return Collections.unmodifiableMap(m);
    }

    /** Collects values; {@link #build()} validates. Defaults are PyTorch's and are written only here. */
    public static final class Builder {
        private double learningRate = 0.01;
        private double decay = 0.99;
        private double eps = 1e-8;
        private EpsPlacement epsPlacement = EpsPlacement.OUTSIDE;
        private double initialMeanSquare = 0.0;
        private boolean centered = false;
        private double momentum = 0.0;
        private MomentumStyle momentumStyle = MomentumStyle.LR_OUTSIDE;
        private boolean nesterov = false;
        private double weightDecay = 0.0;
        private WeightDecayStyle weightDecayStyle = WeightDecayStyle.L2;
        private boolean biasCorrection = false;
        private boolean maximize = false;
        private double lrDecay = 0.0;
        private double gradientScale = 1.0;
        private double clipGradient = Double.POSITIVE_INFINITY;
        private Arithmetic arithmetic = Arithmetic.PYTORCH_1_13;

        private Builder() {}

        private Builder(RmsPropConfig c) {
            learningRate = c.learningRate; decay = c.decay; eps = c.eps; epsPlacement = c.epsPlacement;
            initialMeanSquare = c.initialMeanSquare; centered = c.centered; momentum = c.momentum;
            momentumStyle = c.momentumStyle; nesterov = c.nesterov; weightDecay = c.weightDecay;
            weightDecayStyle = c.weightDecayStyle; biasCorrection = c.biasCorrection; maximize = c.maximize;
            lrDecay = c.lrDecay; gradientScale = c.gradientScale; clipGradient = c.clipGradient;
            arithmetic = c.arithmetic;
        }

        /**
         * η, finite and {@code >= 0}; default 0.01.
         *
         * @param v the value
         * @return this builder
         */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /**
         * ρ: PyTorch {@code alpha}, Keras {@code rho}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder decay(double v) { decay = v; return this; }
        /**
         * ε, finite and {@code >= 0}; default 1e-8.
         *
         * @param v the value
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * Where ε is added: outside the root (default, PyTorch) or inside (Keras, TF1, Optax).
         *
         * @param v the value
         * @return this builder
         */
        public Builder epsPlacement(EpsPlacement v) { epsPlacement = v; return this; }
        /**
         * Shorthand for {@code epsPlacement(inside ? INSIDE : OUTSIDE)}.
         *
         * @param inside true: ε inside the root; false: outside
         * @return this builder
         */
        public Builder epsInsideSqrt(boolean inside) { epsPlacement = inside ? EpsPlacement.INSIDE : EpsPlacement.OUTSIDE; return this; }
        /**
         * ν₀, the mean square's starting value, finite and {@code >= 0}; default 0 (TF1: 1, DL4J: ε).
         *
         * @param v the value
         * @return this builder
         */
        public Builder initialMeanSquare(double v) { initialMeanSquare = v; return this; }
        /**
         * Divides by the estimated standard deviation {@code √(ν − μ²)} instead of {@code √ν} (Graves 2013); default off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder centered(boolean v) { centered = v; return this; }
        /**
         * β, finite and {@code >= 0}; default 0 (no momentum buffer).
         *
         * @param v the value
         * @return this builder
         */
        public Builder momentum(double v) { momentum = v; return this; }
        /**
         * Where the learning rate enters the momentum buffer; default {@link MomentumStyle#LR_OUTSIDE} (PyTorch).
         *
         * @param v the value
         * @return this builder
         */
        public Builder momentumStyle(MomentumStyle v) { momentumStyle = v; return this; }
        /**
         * Nesterov momentum (Optax); needs {@code momentum > 0}; default off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        /**
         * λ, finite and {@code >= 0}; default 0 (none).
         *
         * @param v the value
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * How λ is applied; default {@link WeightDecayStyle#L2} (added to the gradient, PyTorch).
         *
         * @param v the value
         * @return this builder
         */
        public Builder weightDecayStyle(WeightDecayStyle v) { weightDecayStyle = v; return this; }
        /**
         * Divides the moments by {@code 1 − ρᵗ} (Optax's option); needs {@code initialMeanSquare} 0; default off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder biasCorrection(boolean v) { biasCorrection = v; return this; }
        /**
         * Ascends instead of descends (PyTorch's {@code maximize}); default off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder maximize(boolean v) { maximize = v; return this; }
        /**
         * Inverse-time decay {@code η / (1 + lrDecay·(t−1))} (Tribuo, Keras 1), finite and {@code >= 0}; default 0 (none).
         *
         * @param v the value
         * @return this builder
         */
        public Builder lrDecay(double v) { lrDecay = v; return this; }
        /**
         * MXNet {@code rescale_grad}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder gradientScale(double v) { gradientScale = v; return this; }
        /**
         * MXNet {@code clip_gradient}; {@code Double.POSITIVE_INFINITY} turns it off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder clipGradient(double v) { clipGradient = v; return this; }

        /**
         * Whose operation order and precision the step follows ({@link Arithmetic}).
         *
         * @param v the value
         * @return this builder
         */
        public Builder arithmetic(Arithmetic v) { arithmetic = v; return this; }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException as the record's constructor, naming the first bad knob
         */
        public RmsPropConfig build() {
            return new RmsPropConfig(learningRate, decay, eps, epsPlacement, initialMeanSquare, centered, momentum,
                    momentumStyle, nesterov, weightDecay, weightDecayStyle, biasCorrection, maximize, lrDecay,
                    gradientScale, clipGradient, arithmetic);
        }
    }
}
