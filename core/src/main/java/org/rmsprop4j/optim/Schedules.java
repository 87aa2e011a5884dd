package org.rmsprop4j.optim;

/**
 * Common learning-rate schedules. {@code step} counts the steps already taken (0 before the first).
 * Each factory validates its arguments; every schedule returns a finite rate {@code >= 0}.
 */
public final class Schedules {
    private Schedules() {}

    /** η_t = η. */
    public static LearningRateSchedule constant() {
        return new Named("constant", (lr, t) -> lr);
    }

    /** η_t = η·γ^⌊t/stepSize⌋ (PyTorch StepLR). */
    public static LearningRateSchedule step(long stepSize, double gamma) {
        Checks.atLeast("stepSize", stepSize, 1);
        Checks.nonNegative("gamma", gamma);
        return new Named("step(" + stepSize + ", " + gamma + ")", (lr, t) -> lr * Math.pow(gamma, Math.floorDiv(t, stepSize)));
    }

    /** η_t = η·γ^t (PyTorch ExponentialLR). */
    public static LearningRateSchedule exponential(double gamma) {
        Checks.nonNegative("gamma", gamma);
        return new Named("exponential(" + gamma + ")", (lr, t) -> lr * Math.pow(gamma, t));
    }

    /**
     * Cosine annealing from η to {@code minLr} over {@code period} steps, then held at {@code minLr}:
     * η_t = minLr + (η − minLr)·(1 + cos(π·min(t, T)/T))/2.
     */
    public static LearningRateSchedule cosine(long period, double minLr) {
        Checks.atLeast("period", period, 1);
        Checks.nonNegative("minLr", minLr);
        return new Named("cosine(" + period + ", " + minLr + ")", (lr, t) -> {
            double x = Math.min(t, period) / (double) period;
            return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * x)) / 2;
        });
    }

    /** Linear warm-up from η/warmupSteps·1 to η over {@code warmupSteps}, then {@code after} (shifted by warmupSteps). */
    public static LearningRateSchedule linearWarmup(long warmupSteps, LearningRateSchedule after) {
        Checks.atLeast("warmupSteps", warmupSteps, 1);
        Checks.notNull("after", after);
        return new Named("warmup(" + warmupSteps + ", " + after + ")", (lr, t) -> t < warmupSteps
                ? lr * (t + 1) / (double) warmupSteps
                : after.learningRate(lr, t - warmupSteps));
    }

    /** η_t = η/(1 + decay·t) (Tribuo, Keras 1 {@code decay}). */
    public static LearningRateSchedule inverseTime(double decay) {
        Checks.nonNegative("decay", decay);
        return new Named("inverseTime(" + decay + ")", (lr, t) -> lr / (1 + decay * t));
    }

    private record Named(String name, LearningRateSchedule f) implements LearningRateSchedule {
        @Override public double learningRate(double baseLr, long step) { return f.learningRate(baseLr, step); }

        @Override public String toString() { return name; }
    }
}
