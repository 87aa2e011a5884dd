package org.rmsprop4j.optim;

/** What a step does when a gradient holds NaN or an infinity. */
public enum NonFinitePolicy {
    /** Compute the step anyway and let NaN/inf flow into parameters and state, as PyTorch does. */
    PROPAGATE,
    /** Leave parameters, state and the step counter untouched; {@link Optimizer#step} returns false. */
    SKIP,
    /** Leave everything untouched and throw {@link NonFiniteGradientException}. */
    THROW
}
