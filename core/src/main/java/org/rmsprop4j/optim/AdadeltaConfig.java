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
import org.rmsprop4j.transform.Scale;
import org.rmsprop4j.transform.ScaleByAdadelta;
import org.rmsprop4j.transform.ScaleByLearningRate;

/**
 * Adadelta (Zeiler 2012) as {@code torch.optim.Adadelta} (PyTorch 1.13).
 *
 * <pre>{@code
 * g ← −g if maximize;  g ← g + λ·θ
 * v ← ρ·v + (1−ρ)·g²                          // slot "square_avg"
 * δ = √(a + ε) / √(v + ε) · g
 * a ← ρ·a + (1−ρ)·δ²                          // slot "acc_delta"
 * θ ← θ − η·δ
 * }</pre>
 * <h2>Conventions</h2> Defaults are PyTorch's: η = 1.0, ρ = 0.9, ε = 1e-6. Zeiler's paper has no η
 * (η = 1).
 *
 * @param learningRate η, finite and {@code >= 0}
 * @param rho          ρ, the decay of both running means, in {@code [0, 1]}
 * @param eps          ε, inside both roots, finite and {@code >= 0}
 * @param weightDecay  λ, L2 added to the gradient, finite and {@code >= 0}
 * @param maximize     ascend instead of descend
 * @param arithmetic   whose arithmetic the step follows: a PyTorch version or code path
 */
public record AdadeltaConfig(double learningRate, double rho, double eps, double weightDecay, boolean maximize, Arithmetic arithmetic)
        implements OptimizerSpec {

    /** Slot of the running mean v of squared gradients. */
    public static final String SQUARE_AVG = "square_avg";
    /** Slot of the running mean a of squared updates δ². */
    public static final String ACC_DELTA = "acc_delta";

    /**
     * Validates the configuration.
     *
     * @param learningRate η, finite and {@code >= 0}
     * @param rho          ρ, the decay of both running means, in {@code [0, 1]}
     * @param eps          ε, inside both roots, finite and {@code >= 0}
     * @param weightDecay  λ, L2 added to the gradient, finite and {@code >= 0}
     * @param maximize     ascend instead of descend
     * @param arithmetic   whose arithmetic the step follows: a PyTorch version or code path
     * @throws IllegalArgumentException naming the value: {@code learningRate}, {@code eps} or {@code weightDecay} negative or
     *         not finite, {@code rho} outside {@code [0, 1]}, or an {@code arithmetic} that is not PyTorch's
     */
    public AdadeltaConfig {
        Checks.nonNegative("learningRate", learningRate);
        Checks.inClosed("rho", rho, 0.0, 1.0);
        Checks.nonNegative("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.notNull("arithmetic", arithmetic);
        if (!EnumSet.of(Arithmetic.PYTORCH_1_13, Arithmetic.PYTORCH_1_13_FOREACH, Arithmetic.PYTORCH_2_13).contains(arithmetic)) {
            throw Checks.invalid("arithmetic of AdadeltaConfig", arithmetic.id(), "one of " + EnumSet.of(Arithmetic.PYTORCH_1_13, Arithmetic.PYTORCH_1_13_FOREACH, Arithmetic.PYTORCH_2_13).stream().map(Arithmetic::id).toList());
        }
    }

    /** The configuration with PyTorch 1.13's arithmetic (the fused kernels). */
    public AdadeltaConfig(double learningRate, double rho, double eps, double weightDecay, boolean maximize) {
        this(learningRate, rho, eps, weightDecay, maximize, Arithmetic.PYTORCH_1_13);
    }

    /** True if this configuration runs a {@link PyTorchProfile} (another PyTorch version's or code path's arithmetic). */
    private boolean profiled() { return arithmetic == Arithmetic.PYTORCH_2_13; }


    /** A builder with PyTorch's defaults (see the class comment). */
    public static Builder builder() { return new Builder(); }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().learningRate(learningRate).rho(rho).eps(eps).weightDecay(weightDecay).maximize(maximize).arithmetic(arithmetic);
    }

    @Override public String kind() { return "adadelta"; }

    @Override public AdadeltaConfig withLearningRate(double lr) { return toBuilder().learningRate(lr).build(); }

    /** {@code scale}(−1 if maximize), {@code weight_decay} (L2), {@code adadelta}, {@code lr}. */
    @Override public Chain chain() {
        Chain.Builder b = Chain.builder(kind()).learningRate(learningRate);
        if (profiled()) {
            if (maximize) b.add("scale", new Scale(-1));
            return b.add("adadelta", new PyTorchProfile(arithmetic, "adadelta", 0, 0, false, 0, 0, rho, 0, 0, eps, false, weightDecay, false)).build();
        }
        if (maximize) b.add("scale", new Scale(-1));
        if (weightDecay > 0) b.add("weight_decay", new AddDecayedWeights(weightDecay));
        return b.add("adadelta", new ScaleByAdadelta(rho, eps)).add("lr", new ScaleByLearningRate()).build();
    }

    @Override public String squaredGradientSlot() { return SQUARE_AVG; }

    /** {@code η·√(Δ_{t−1} + ε)/√(ν_t + ε)}. */
    @Override public double effectiveStep(long t, double lr, SlotValues after, SlotValues before) {
        return lr * Math.sqrt(before.get(ACC_DELTA) + eps) / Math.sqrt(after.get(SQUARE_AVG) + eps);
    }

    @Override public String decayKnob() { return "rho"; }

    @Override public AdadeltaConfig withDecay(double d) { return toBuilder().rho(d).build(); }

    @Override public String describe() {
        List<String> p = new ArrayList<>();
        p.add("lr " + Texts.num(learningRate));
        p.add("ρ " + Texts.num(rho));
        p.add("ε " + Texts.num(eps));
        if (weightDecay > 0) p.add("wd " + Texts.num(weightDecay));
        if (maximize) p.add("maximize");
        if (arithmetic != Arithmetic.PYTORCH_1_13) p.add("arithmetic " + arithmetic.id());
        return kind() + ": " + String.join(", ", p);
    }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", learningRate);
        m.put("rho", rho);
        m.put("eps", eps);
        m.put("weightDecay", weightDecay);
        m.put("maximize", maximize);
        if (arithmetic != Arithmetic.PYTORCH_1_13) m.put("arithmetic", arithmetic);
        return Collections.unmodifiableMap(m);
    }

    /** Collects values; {@link #build()} validates. */
    public static final class Builder {
        private double learningRate = 1.0;
        private double rho = 0.9;
        private double eps = 1e-6;
        private double weightDecay = 0.0;
        private boolean maximize = false;
        private Arithmetic arithmetic = Arithmetic.PYTORCH_1_13;

        private Builder() {}

        /**
         * η, finite and {@code >= 0}; default 1 (Zeiler's paper has none, that is 1).
         *
         * @param v the value
         * @return this builder
         */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /**
         * ρ, the decay of both running means, in {@code [0, 1]}; default 0.9.
         *
         * @param v the value
         * @return this builder
         */
        public Builder rho(double v) { rho = v; return this; }
        /**
         * ε, inside both roots, finite and {@code >= 0}; default 1e-6.
         *
         * @param v the value
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * λ, L2 added to the gradient, finite and {@code >= 0}; default 0.
         *
         * @param v the value
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
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
        public AdadeltaConfig build() { return new AdadeltaConfig(learningRate, rho, eps, weightDecay, maximize, arithmetic); }
    }
}
