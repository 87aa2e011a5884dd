package org.rmsprop4j.optim;

/**
 * The learning rate of each step as a function of the base rate and the number of steps already
 * taken ({@code step} = 0 for the first step). Implementations must be pure; see {@link Schedules}.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    double learningRate(double baseLr, long step);
}
