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
import org.rmsprop4j.transform.ScaleByLearningRate;
import org.rmsprop4j.transform.Trace;

/**
 * Stochastic gradient descent with optional momentum, dampening and Nesterov, as
 * {@code torch.optim.SGD} (PyTorch 1.13).
 *
 * <pre>{@code
 * g ← −g if maximize;  g ← g + λ·θ
 * b ← g                       on the first step (no dampening), slot "momentum_buffer"
 * b ← β·b + (1−τ)·g           afterwards (τ = dampening)
 * θ ← θ − η·(nesterov ? g + β·b : b)       (no momentum: θ ← θ − η·g)
 * }</pre>
 * <h2>Conventions</h2> Defaults as PyTorch except the learning rate, which PyTorch requires and we
 * default to 0.01. The course the seed article comes from writes momentum as {@code v ← γ·v + η·g; θ ← θ − v},
 * which equals this form while η is constant. Its Nesterov form evaluates the gradient at a
 * look-ahead point; PyTorch's form (this one) keeps the look-ahead point as the parameter.
 *
 * @param learningRate η, finite and {@code >= 0}
 * @param momentum     β, finite and {@code >= 0}; 0 keeps no buffer
 * @param dampening    τ, in {@code [0, 1]}
 * @param nesterov     Nesterov momentum; needs β {@code > 0} and τ = 0
 * @param weightDecay  λ, L2 added to the gradient, finite and {@code >= 0}
 * @param maximize     ascend instead of descend
 * @param arithmetic   whose arithmetic the step follows: a PyTorch version or code path
 */
public record SgdConfig(double learningRate, double momentum, double dampening, boolean nesterov,
                        double weightDecay, boolean maximize, Arithmetic arithmetic) implements OptimizerSpec {

    /** Slot of the momentum buffer b (momentum {@code > 0} only). */
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    /**
     * Validates the configuration.
     *
     * @param learningRate η, finite and {@code >= 0}
     * @param momentum     β, finite and {@code >= 0}; 0 keeps no buffer
     * @param dampening    τ, in {@code [0, 1]}
     * @param nesterov     Nesterov momentum; needs β {@code > 0} and τ = 0
     * @param weightDecay  λ, L2 added to the gradient, finite and {@code >= 0}
     * @param maximize     ascend instead of descend
     * @param arithmetic   whose arithmetic the step follows: a PyTorch version or code path
     * @throws IllegalArgumentException naming the value: {@code learningRate}, {@code momentum} or {@code weightDecay} negative
     *         or not finite, {@code dampening} outside {@code [0, 1]}, {@code nesterov} without momentum or with dampening,
     *         or an {@code arithmetic} that is not PyTorch's
     */
    public SgdConfig {
        Checks.nonNegative("learningRate", learningRate);
        Checks.nonNegative("momentum", momentum);
        Checks.inClosed("dampening", dampening, 0.0, 1.0);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw Checks.invalid("nesterov", true, "false unless momentum > 0 and dampening = 0 (got momentum "
                    + momentum + ", dampening " + dampening + ")");
        }
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.notNull("arithmetic", arithmetic);
        if (!EnumSet.of(Arithmetic.PYTORCH_1_13, Arithmetic.PYTORCH_1_13_FOREACH, Arithmetic.PYTORCH_2_13, Arithmetic.PYTORCH_2_13_FUSED).contains(arithmetic)) {
            throw Checks.invalid("arithmetic of SgdConfig", arithmetic.id(), "one of " + EnumSet.of(Arithmetic.PYTORCH_1_13, Arithmetic.PYTORCH_1_13_FOREACH, Arithmetic.PYTORCH_2_13, Arithmetic.PYTORCH_2_13_FUSED).stream().map(Arithmetic::id).toList());
        }
    }

    /** The configuration with PyTorch 1.13's arithmetic (the fused kernels). */
    public SgdConfig(double learningRate, double momentum, double dampening, boolean nesterov, double weightDecay, boolean maximize) {
        this(learningRate, momentum, dampening, nesterov, weightDecay, maximize, Arithmetic.PYTORCH_1_13);
    }

    /** True if this configuration runs a {@link PyTorchProfile} (another PyTorch version's or code path's arithmetic). */
    private boolean profiled() { return arithmetic == Arithmetic.PYTORCH_2_13_FUSED; }


    /** A builder with the defaults of the class comment (η = 0.01, no momentum). */
    public static Builder builder() { return new Builder(); }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().learningRate(learningRate).momentum(momentum).dampening(dampening).nesterov(nesterov)
                .weightDecay(weightDecay).maximize(maximize).arithmetic(arithmetic);
    }

    @Override public String kind() { return "sgd"; }

    @Override public SgdConfig withLearningRate(double lr) { return toBuilder().learningRate(lr).build(); }

    /** {@code scale}(−1 if maximize), {@code weight_decay} (L2), {@code momentum} (with dampening, Nesterov), {@code lr}. */
    @Override public Chain chain() {
        Chain.Builder b = Chain.builder(kind()).learningRate(learningRate);
        if (profiled()) {
            if (maximize) b.add("scale", new Scale(-1));
            return b.add("sgd", new PyTorchProfile(arithmetic, "sgd", momentum, dampening, nesterov, 0, 0, 0, 0, 0, 0, false, weightDecay, false)).build();
        }
        if (maximize) b.add("scale", new Scale(-1));
        if (weightDecay > 0) b.add("weight_decay", new AddDecayedWeights(weightDecay));
        if (momentum > 0) b.add("momentum", new Trace(momentum, dampening, nesterov));
        return b.add("lr", new ScaleByLearningRate()).build();
    }

    @Override public String momentumSlot() { return momentum > 0 ? MOMENTUM_BUFFER : null; }

    /** η. */
    @Override public double effectiveStep(long t, double lr, SlotValues after, SlotValues before) { return lr; }

    @Override public String describe() {
        List<String> p = new ArrayList<>();
        p.add("lr " + Texts.num(learningRate));
        if (momentum > 0) p.add("momentum " + Texts.num(momentum));
        if (dampening > 0) p.add("dampening " + Texts.num(dampening));
        if (nesterov) p.add("nesterov");
        if (weightDecay > 0) p.add("wd " + Texts.num(weightDecay));
        if (maximize) p.add("maximize");
        if (arithmetic != Arithmetic.PYTORCH_1_13) p.add("arithmetic " + arithmetic.id());
        return kind() + ": " + String.join(", ", p);
    }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", learningRate);
        m.put("momentum", momentum);
        m.put("dampening", dampening);
        m.put("nesterov", nesterov);
        m.put("weightDecay", weightDecay);
        m.put("maximize", maximize);
        if (arithmetic != Arithmetic.PYTORCH_1_13) m.put("arithmetic", arithmetic);
        return Collections.unmodifiableMap(m);
    }

    /** Collects values; {@link #build()} validates. */
    public static final class Builder {
        private double learningRate = 0.01;
        private double momentum = 0.0;
        private double dampening = 0.0;
        private boolean nesterov = false;
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
         * β, finite and {@code >= 0}; default 0 (no buffer).
         *
         * @param v the value
         * @return this builder
         */
        public Builder momentum(double v) { momentum = v; return this; }
        /**
         * τ, in {@code [0, 1]}: the gradient enters the buffer scaled by {@code 1 − τ}; default 0.
         *
         * @param v the value
         * @return this builder
         */
        public Builder dampening(double v) { dampening = v; return this; }
        /**
         * Nesterov momentum, PyTorch's form; needs momentum {@code > 0} and dampening 0; default off.
         *
         * @param v the value
         * @return this builder
         */
        public Builder nesterov(boolean v) { nesterov = v; return this; }
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
        public SgdConfig build() { return new SgdConfig(learningRate, momentum, dampening, nesterov, weightDecay, maximize, arithmetic); }
    }
}
