package org.rmsprop4j.optim;

/**
 * Factories for the {@link Schedule} records. {@code step} counts the steps already taken (0 before
 * the first). Each validates its arguments; every schedule returns a finite rate {@code >= 0}.
 */
public final class Schedules {
    private Schedules() {}

    /** η_t = η. */
    public static Schedule constant() { return new Schedule.Constant(); }

    /** η_t = η·γ^⌊t/stepSize⌋ (PyTorch StepLR). */
    public static Schedule step(long stepSize, double gamma) { return new Schedule.StepDecay(stepSize, gamma); }

    /** η_t = η·γ^t (PyTorch ExponentialLR). */
    public static Schedule exponential(double gamma) { return new Schedule.Exponential(gamma); }

    /** Cosine annealing from η to {@code minLr} over {@code period} steps, then held at {@code minLr}. */
    public static Schedule cosine(long period, double minLr) { return new Schedule.Cosine(period, minLr); }

    /** Linear warm-up over {@code warmupSteps}, then {@code after} (shifted by warmupSteps). */
    public static Schedule linearWarmup(long warmupSteps, Schedule after) { return new Schedule.Warmup(warmupSteps, after); }

    /** η_t = η/(1 + decay·t) (Tribuo, Keras 1 {@code decay}). */
    public static Schedule inverseTime(double decay) { return new Schedule.InverseTime(decay); }

    /** True if {@code s} is the constant schedule. */
    public static boolean isConstant(LearningRateSchedule s) { return s instanceof Schedule.Constant; }
}
