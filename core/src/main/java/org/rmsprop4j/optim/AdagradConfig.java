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
import org.rmsprop4j.transform.ScaleByAdagrad;
import org.rmsprop4j.transform.ScaleByLearningRate;

/**
 * AdaGrad (Duchi, Hazan &amp; Singer 2011) as {@code torch.optim.Adagrad} (PyTorch 1.13).
 *
 * <pre>{@code
 * g ← −g if maximize;  g ← g + λ·θ
 * η_t = η / (1 + (t−1)·lrDecay)                 // t counts from 1
 * s ← s + g²                                    // slot "sum", starts at initialAccumulator
 * θ ← θ − η_t·g/(√s + ε)
 * }</pre>
 * <h2>Conventions</h2> Defaults are PyTorch's: η = 0.01, lrDecay = 0, s₀ = 0, ε = 1e-10. Keras uses
 * s₀ = 0.1 and ε = 1e-7.
 *
 * @param learningRate       η, finite and {@code >= 0}
 * @param lrDecay            inverse-time decay of η, finite and {@code >= 0}
 * @param initialAccumulator s₀, finite and {@code >= 0}
 * @param eps                ε, added to {@code √s}, finite and {@code >= 0}
 * @param weightDecay        λ, L2 added to the gradient, finite and {@code >= 0}
 * @param maximize           ascend instead of descend
 * @param arithmetic         whose arithmetic the step follows: a PyTorch version or code path
 */
public record AdagradConfig(double learningRate, double lrDecay, double initialAccumulator, double eps,
                            double weightDecay, boolean maximize, Arithmetic arithmetic) implements OptimizerSpec {

    /** Slot of the running sum s of squared gradients. */
    public static final String SUM = "sum";

    /**
     * Validates the configuration.
     *
     * @param learningRate       η, finite and {@code >= 0}
     * @param lrDecay            inverse-time decay of η, finite and {@code >= 0}
     * @param initialAccumulator s₀, finite and {@code >= 0}
     * @param eps                ε, added to {@code √s}, finite and {@code >= 0}
     * @param weightDecay        λ, L2 added to the gradient, finite and {@code >= 0}
     * @param maximize           ascend instead of descend
     * @param arithmetic         whose arithmetic the step follows: a PyTorch version or code path
     * @throws IllegalArgumentException naming the value: {@code learningRate}, {@code lrDecay}, {@code initialAccumulator},
     *         {@code eps} or {@code weightDecay} negative or not finite, or an {@code arithmetic} that is not PyTorch's
     */
    public AdagradConfig {
        Checks.nonNegative("learningRate", learningRate);
        Checks.nonNegative("lrDecay", lrDecay);
        Checks.nonNegative("initialAccumulator", initialAccumulator);
        Checks.nonNegative("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.notNull("arithmetic", arithmetic);
        if (!EnumSet.of(Arithmetic.PYTORCH_1_13, Arithmetic.PYTORCH_1_13_FOREACH, Arithmetic.PYTORCH_2_13, Arithmetic.PYTORCH_2_13_FUSED).contains(arithmetic)) {
            throw Checks.invalid("arithmetic of AdagradConfig", arithmetic.id(), "one of " + EnumSet.of(Arithmetic.PYTORCH_1_13, Arithmetic.PYTORCH_1_13_FOREACH, Arithmetic.PYTORCH_2_13, Arithmetic.PYTORCH_2_13_FUSED).stream().map(Arithmetic::id).toList());
        }
    }

    /** The configuration with PyTorch 1.13's arithmetic (the fused kernels). */
    public AdagradConfig(double learningRate, double lrDecay, double initialAccumulator, double eps, double weightDecay, boolean maximize) {
        this(learningRate, lrDecay, initialAccumulator, eps, weightDecay, maximize, Arithmetic.PYTORCH_1_13);
    }

    /** True if this configuration runs a {@link PyTorchProfile} (another PyTorch version's or code path's arithmetic). */
    private boolean profiled() { return arithmetic == Arithmetic.PYTORCH_2_13 || arithmetic == Arithmetic.PYTORCH_1_13_FOREACH; }


    /** A builder with PyTorch's defaults (see the class comment). */
    public static Builder builder() { return new Builder(); }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().learningRate(learningRate).lrDecay(lrDecay).initialAccumulator(initialAccumulator)
                .eps(eps).weightDecay(weightDecay).maximize(maximize).arithmetic(arithmetic);
    }

    @Override public String kind() { return "adagrad"; }

    @Override public AdagradConfig withLearningRate(double lr) { return toBuilder().learningRate(lr).build(); }

    /** {@code scale}(−1 if maximize), {@code weight_decay} (L2), {@code adagrad}, {@code lr}; lrDecay is the group's schedule ({@link #impliedSchedule()}). */
    @Override public Chain chain() {
        Chain.Builder b = Chain.builder(kind()).learningRate(learningRate);
        if (profiled()) {
            if (maximize) b.add("scale", new Scale(-1));
            return b.add("adagrad", new PyTorchProfile(arithmetic, "adagrad", 0, 0, false, lrDecay, initialAccumulator, 0, 0, 0, eps, false, weightDecay, false)).build();
        }
        if (maximize) b.add("scale", new Scale(-1));
        if (weightDecay > 0) b.add("weight_decay", new AddDecayedWeights(weightDecay));
        return b.add("adagrad", new ScaleByAdagrad(eps, initialAccumulator)).add("lr", new ScaleByLearningRate()).build();
    }

    /** PyTorch's {@code lr / (1 + (t−1)·lr_decay)}: inverse-time decay. */
    @Override public Schedule impliedSchedule() { return lrDecay > 0 && !profiled() ? Schedules.inverseTime(lrDecay) : null; }

    @Override public String squaredGradientSlot() { return SUM; }

    @Override public boolean squaredGradientIsSum() { return true; }

    /** {@code η_t/(√s + ε)}. */
    @Override public double effectiveStep(long t, double lr, SlotValues after, SlotValues before) {
        return lr / (Math.sqrt(after.get(SUM)) + eps);
    }

    @Override public String describe() {
        List<String> p = new ArrayList<>();
        p.add("lr " + Texts.num(learningRate));
        p.add("ε " + Texts.num(eps));
        if (initialAccumulator != 0) p.add("s₀ " + Texts.num(initialAccumulator));
        if (lrDecay > 0) p.add("lr-decay " + Texts.num(lrDecay));
        if (weightDecay > 0) p.add("wd " + Texts.num(weightDecay));
        if (maximize) p.add("maximize");
        if (arithmetic != Arithmetic.PYTORCH_1_13) p.add("arithmetic " + arithmetic.id());
        return kind() + ": " + String.join(", ", p);
    }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", learningRate);
        m.put("lrDecay", lrDecay);
        m.put("initialAccumulator", initialAccumulator);
        m.put("eps", eps);
        m.put("weightDecay", weightDecay);
        m.put("maximize", maximize);
        if (arithmetic != Arithmetic.PYTORCH_1_13) m.put("arithmetic", arithmetic);
        return Collections.unmodifiableMap(m);
    }

    /** Collects values; {@link #build()} validates. */
    public static final class Builder {
        private double learningRate = 0.01;
        private double lrDecay = 0.0;
        private double initialAccumulator = 0.0;
        private double eps = 1e-10;
        private double weightDecay = 0.0;
        private boolean maximize = false;
        private Arithmetic arithmetic = Arithmetic.PYTORCH_1_13;

        private Builder() {}

        /**
         * η, finite and {@code >= 0}; default 0.01.
         *
         * @param v the value
         * @return this builder
         */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /**
         * Inverse-time decay {@code η / (1 + (t−1)·lrDecay)}, finite and {@code >= 0}; default 0.
         *
         * @param v the value
         * @return this builder
         */
        public Builder lrDecay(double v) { lrDecay = v; return this; }
        /**
         * s₀, the sum's starting value, finite and {@code >= 0}; default 0 (Keras: 0.1).
         *
         * @param v the value
         * @return this builder
         */
        public Builder initialAccumulator(double v) { initialAccumulator = v; return this; }
        /**
         * ε, added to {@code √s}, finite and {@code >= 0}; default 1e-10 (Keras: 1e-7).
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
        public AdagradConfig build() { return new AdagradConfig(learningRate, lrDecay, initialAccumulator, eps, weightDecay, maximize, arithmetic); }
    }
}
