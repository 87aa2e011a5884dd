package org.rmsprop4j.optim;

import org.rmsprop4j.internal.Checks;
import java.util.EnumSet;
import org.rmsprop4j.transform.PyTorchProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.transform.AddDecayedWeights;
import org.rmsprop4j.internal.Texts;
import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.DecoupledWeightDecay;
import org.rmsprop4j.transform.Scale;
import org.rmsprop4j.transform.ScaleByAdam;
import org.rmsprop4j.transform.ScaleByLearningRate;

/**
 * Adam (Kingma &amp; Ba 2015) and AdamW (Loshchilov &amp; Hutter 2019) as {@code torch.optim.Adam} and
 * {@code torch.optim.AdamW} (PyTorch 1.13), with AMSGrad.
 *
 * <pre>{@code
 * θ ← θ·(1 − η·λ)                 // AdamW (decoupled = true)
 * g ← −g if maximize;  g ← g + λ·θ   // Adam (decoupled = false)
 * m ← β1·m + (1−β1)·g             // slot "exp_avg"
 * v ← β2·v + (1−β2)·g²            // slot "exp_avg_sq"
 * v̄ ← max(v̄, v)                   // slot "max_exp_avg_sq", AMSGrad only
 * θ ← θ − (η/(1−β1ᵗ))·m / (√v(or √v̄)/√(1−β2ᵗ) + ε)
 * }</pre>
 * <h2>Conventions</h2> Defaults are PyTorch's: η = 0.001, β = (0.9, 0.999), ε = 1e-8, λ = 0 for Adam and
 * 0.01 for AdamW (use {@link #adamW()}). ε is added after the bias correction of √v, as PyTorch;
 * the paper's "ε̂" form differs slightly.
 *
 * @param learningRate η, finite and {@code >= 0}
 * @param beta1        β1, the first moment's decay, in {@code [0, 1)}
 * @param beta2        β2, the second moment's decay, in {@code [0, 1)}
 * @param eps          ε, added to the bias-corrected root, finite and {@code >= 0}
 * @param weightDecay  λ, finite and {@code >= 0}
 * @param decoupled    AdamW's decoupled decay instead of L2 on the gradient
 * @param amsgrad      divide by the running maximum of v
 * @param maximize     ascend instead of descend
 * @param arithmetic   whose arithmetic the step follows: a PyTorch version or code path
 */
public record AdamConfig(double learningRate, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupled, boolean amsgrad, boolean maximize, Arithmetic arithmetic) implements OptimizerSpec {

    /** Slot of the first moment m (the running mean of gradients). */
    public static final String EXP_AVG = "exp_avg";
    /** Slot of the second moment v (the running mean of squared gradients). */
    public static final String EXP_AVG_SQ = "exp_avg_sq";
    /** Slot of the running maximum v̄ of the second moment (AMSGrad only). */
    public static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    /**
     * Validates the configuration.
     *
     * @param learningRate η, finite and {@code >= 0}
     * @param beta1        β1, the first moment's decay, in {@code [0, 1)}
     * @param beta2        β2, the second moment's decay, in {@code [0, 1)}
     * @param eps          ε, added to the bias-corrected root, finite and {@code >= 0}
     * @param weightDecay  λ, finite and {@code >= 0}
     * @param decoupled    AdamW's decoupled decay instead of L2 on the gradient
     * @param amsgrad      divide by the running maximum of v
     * @param maximize     ascend instead of descend
     * @param arithmetic   whose arithmetic the step follows: a PyTorch version or code path
     * @throws IllegalArgumentException naming the value: {@code learningRate}, {@code eps} or {@code weightDecay} negative or
     *         not finite, {@code beta1} or {@code beta2} outside {@code [0, 1)}, or an {@code arithmetic} that is not PyTorch's
     */
    public AdamConfig {
        Checks.nonNegative("learningRate", learningRate);
        Checks.inHalfOpen("beta1", beta1, 0.0, 1.0);
        Checks.inHalfOpen("beta2", beta2, 0.0, 1.0);
        Checks.nonNegative("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.notNull("arithmetic", arithmetic);
        if (!EnumSet.of(Arithmetic.PYTORCH_1_13, Arithmetic.PYTORCH_1_13_FOREACH, Arithmetic.PYTORCH_2_13, Arithmetic.PYTORCH_2_13_FUSED).contains(arithmetic)) {
            throw Checks.invalid("arithmetic of AdamConfig", arithmetic.id(), "one of " + EnumSet.of(Arithmetic.PYTORCH_1_13, Arithmetic.PYTORCH_1_13_FOREACH, Arithmetic.PYTORCH_2_13, Arithmetic.PYTORCH_2_13_FUSED).stream().map(Arithmetic::id).toList());
        }
    }

    /** The configuration with PyTorch 1.13's arithmetic (the fused kernels). */
    public AdamConfig(double learningRate, double beta1, double beta2, double eps, double weightDecay, boolean decoupled, boolean amsgrad, boolean maximize) {
        this(learningRate, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, Arithmetic.PYTORCH_1_13);
    }

    /** True if this configuration runs a {@link PyTorchProfile} (another PyTorch version's or code path's arithmetic). */
    private boolean profiled() { return arithmetic == Arithmetic.PYTORCH_2_13 || arithmetic == Arithmetic.PYTORCH_2_13_FUSED; }


    /** Adam with PyTorch's defaults. */
    public static Builder builder() { return new Builder(); }

    /** AdamW with PyTorch's defaults (decoupled weight decay 0.01). */
    public static Builder adamW() { return new Builder().decoupled(true).weightDecay(0.01); }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().learningRate(learningRate).beta1(beta1).beta2(beta2).eps(eps).weightDecay(weightDecay)
                .decoupled(decoupled).amsgrad(amsgrad).maximize(maximize).arithmetic(arithmetic);
    }

    @Override public String kind() { return decoupled ? "adamw" : "adam"; }

    @Override public AdamConfig withLearningRate(double lr) { return toBuilder().learningRate(lr).build(); }

    /** {@code scale}(−1 if maximize), {@code weight_decay} (L2 unless decoupled), {@code adam}, {@code lr}, {@code weight_decay} (decoupled). */
    @Override public Chain chain() {
        Chain.Builder b = Chain.builder(kind()).learningRate(learningRate);
        if (profiled()) {
            if (maximize) b.add("scale", new Scale(-1));
            return b.add("adam", new PyTorchProfile(arithmetic, "adam", 0, 0, false, 0, 0, 0, beta1, beta2, eps, amsgrad, weightDecay, decoupled)).build();
        }
        if (maximize) b.add("scale", new Scale(-1));
        if (weightDecay > 0 && !decoupled) b.add("weight_decay", new AddDecayedWeights(weightDecay));
        b.add("adam", new ScaleByAdam(beta1, beta2, eps, amsgrad)).add("lr", new ScaleByLearningRate());
        if (weightDecay > 0 && decoupled) b.add("weight_decay", new DecoupledWeightDecay(weightDecay));
        return b.build();
    }

    @Override public String squaredGradientSlot() { return EXP_AVG_SQ; }

    @Override public String momentumSlot() { return EXP_AVG; }

    /** {@code (η/(1−β1ᵗ))/(√v̄/√(1−β2ᵗ) + ε)}. */
    @Override public double effectiveStep(long t, double lr, SlotValues after, SlotValues before) {
        double v = amsgrad ? after.get(MAX_EXP_AVG_SQ) : after.get(EXP_AVG_SQ);
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        return (lr / bc1) / (Math.sqrt(v) / Math.sqrt(bc2) + eps);
    }

    @Override public String decayKnob() { return "beta2"; }

    @Override public AdamConfig withDecay(double d) { return toBuilder().beta2(d).build(); }

    @Override public String describe() {
        List<String> p = new ArrayList<>();
        p.add("lr " + Texts.num(learningRate));
        p.add("β " + Texts.num(beta1) + "/" + Texts.num(beta2));
        p.add("ε " + Texts.num(eps));
        if (amsgrad) p.add("amsgrad");
        if (weightDecay > 0) p.add("wd " + Texts.num(weightDecay));
        if (maximize) p.add("maximize");
        if (arithmetic != Arithmetic.PYTORCH_1_13) p.add("arithmetic " + arithmetic.id());
        return kind() + ": " + String.join(", ", p);
    }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", learningRate);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("eps", eps);
        m.put("weightDecay", weightDecay);
        m.put("decoupled", decoupled);
        m.put("amsgrad", amsgrad);
        m.put("maximize", maximize);
        if (arithmetic != Arithmetic.PYTORCH_1_13) m.put("arithmetic", arithmetic);
        return Collections.unmodifiableMap(m);
    }

    /** Collects values; {@link #build()} validates. Defaults as the class comment ({@link #adamW()} for AdamW's). */
    public static final class Builder {
        private double learningRate = 0.001;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 0.0;
        private boolean decoupled = false;
        private boolean amsgrad = false;
        private boolean maximize = false;
        private Arithmetic arithmetic = Arithmetic.PYTORCH_1_13;

        private Builder() {}

        /**
         * η, finite and {@code >= 0}; default 0.001.
         *
         * @param v the value
         * @return this builder
         */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /**
         * β1, the first moment's decay, in {@code [0, 1)}; default 0.9.
         *
         * @param v the value
         * @return this builder
         */
        public Builder beta1(double v) { beta1 = v; return this; }
        /**
         * β2, the second moment's decay, in {@code [0, 1)}; default 0.999.
         *
         * @param v the value
         * @return this builder
         */
        public Builder beta2(double v) { beta2 = v; return this; }
        /**
         * β1 and β2 at once, as PyTorch's {@code betas=(b1, b2)}.
         *
         * @param b1 β1
         * @param b2 β2
         * @return this builder
         */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        /**
         * ε, added to the bias-corrected root, finite and {@code >= 0}; default 1e-8.
         *
         * @param v the value
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * λ, finite and {@code >= 0}: L2 on the gradient (Adam) or decoupled (AdamW); default 0.
         *
         * @param v the value
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * AdamW's decoupled decay {@code θ ← θ·(1 − η·λ)} instead of L2 on the gradient; default off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder decoupled(boolean v) { decoupled = v; return this; }
        /**
         * AMSGrad: divide by the running maximum of v (slot {@code max_exp_avg_sq}); default off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder amsgrad(boolean v) { amsgrad = v; return this; }
        /**
         * Ascends instead of descends (PyTorch's {@code maximize}); default off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder maximize(boolean v) { maximize = v; return this; }
        /**
         * Whose arithmetic the step follows ({@link Arithmetic}): the PyTorch version or code path.
         *
         * @param v the value
         * @return this builder
         */
        public Builder arithmetic(Arithmetic v) { arithmetic = v; return this; }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException as the record's constructor, naming the first bad value
         */
        public AdamConfig build() { return new AdamConfig(learningRate, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, arithmetic); }
    }
}
