package org.rmsprop4j.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 */
public record AdadeltaConfig(double learningRate, double rho, double eps, double weightDecay, boolean maximize)
        implements OptimizerSpec {

    public static final String SQUARE_AVG = "square_avg";
    public static final String ACC_DELTA = "acc_delta";

    public AdadeltaConfig {
        Checks.nonNegative("learningRate", learningRate);
        Checks.inClosed("rho", rho, 0.0, 1.0);
        Checks.nonNegative("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        return new Builder().learningRate(learningRate).rho(rho).eps(eps).weightDecay(weightDecay).maximize(maximize);
    }

    @Override public String kind() { return "adadelta"; }

    @Override public AdadeltaConfig withLearningRate(double lr) { return toBuilder().learningRate(lr).build(); }

    @Override public List<String> stateSlots() { return List.of(SQUARE_AVG, ACC_DELTA); }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", learningRate);
        m.put("rho", rho);
        m.put("eps", eps);
        m.put("weightDecay", weightDecay);
        m.put("maximize", maximize);
        return Collections.unmodifiableMap(m);
    }

    public static final class Builder {
        private double learningRate = 1.0;
        private double rho = 0.9;
        private double eps = 1e-6;
        private double weightDecay = 0.0;
        private boolean maximize = false;

        private Builder() {}

        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder rho(double v) { rho = v; return this; }
        public Builder eps(double v) { eps = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder maximize(boolean v) { maximize = v; return this; }

        public AdadeltaConfig build() { return new AdadeltaConfig(learningRate, rho, eps, weightDecay, maximize); }
    }
}
