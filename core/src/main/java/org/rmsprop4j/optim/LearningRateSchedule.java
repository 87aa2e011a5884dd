package org.rmsprop4j.optim;

/**
 * The learning rate of each step as a function of the base rate and the number of steps already
 * taken ({@code step} = 0 for the first step). Implementations must be pure.
 *
 * <p>Prefer the {@link Schedule} records ({@link Schedules} makes them): they are data, so they are
 * saved with the optimizer's state and compared on resume. A bare lambda still runs, but an
 * optimizer holding one refuses {@link Optimizer#stateDict()} with a message, since nothing could
 * check on resume that the same function is in use; implement {@link Schedule.Custom} instead.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * The learning rate of a step.
     *
     * @param baseLr the group's base learning rate η, {@code >= 0}
     * @param step   steps the group has taken before this one, {@code >= 0} (0 for the first step)
     * @return η_t, finite and {@code >= 0} for the schedules of {@link Schedules}
     */
    double learningRate(double baseLr, long step);

    /**
     * The canonical description saved with the state ({@code "cosine(period=100, minLr=0.0)"}), or
     * {@code null} when this schedule cannot be saved (a lambda).
     */
    default String describe() { return null; }
}
