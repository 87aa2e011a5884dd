package org.rmsprop4j.sim;

/** Why a {@link Trajectory} ended. */
public enum StopReason {
    /** All requested steps were taken. */
    COMPLETED,
    /** The loss, the gradient or the position became NaN or infinite; the last finite point is kept. */
    NON_FINITE,
    /** The position left the surface's domain by more than {@link Simulator#DIVERGENCE_FACTOR} times its size. */
    DIVERGED
}
