package org.rmsprop4j.transform;

/**
 * What a transform may know about the step in progress: the group's step number and learning
 * rate, and where the group's parameters lie in the flat arrays. Provided by the optimizer; read
 * only. Implementations are reused from step to step, so a transform must not keep a reference.
 */
public interface StepContext {

    /** The 1-based number of this step within the group (1 on the first step). */
    long step();

    /** The group's learning rate for this step: its base rate with its schedule applied. */
    double learningRate();

    /** Number of tensors in the group. */
    int tensorCount();

    /** Offset of tensor {@code i} of the group in the flat arrays. */
    int tensorOffset(int i);

    /** Element count of tensor {@code i} of the group. */
    int tensorLength(int i);

    /** Number of contiguous runs the group's tensors form (adjacent tensors merged). */
    int runCount();

    /** Offset of run {@code r}. */
    int runOffset(int r);

    /** Length of run {@code r}. */
    int runLength(int r);

    /**
     * The same context with another step number, for a transform that runs an inner transform on
     * its own clock ({@link MultiSteps}). Returns a reused object: call it
     * again for every step, never keep it.
     */
    StepContext withStep(long step);
}
