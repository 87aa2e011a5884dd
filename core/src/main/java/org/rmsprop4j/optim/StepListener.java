package org.rmsprop4j.optim;

import java.util.Map;

/** Called after every applied step (not after a skipped one). The one hook type of {@link Optimizer}. */
@FunctionalInterface
public interface StepListener {

    /** What a step did: the optimizer's step count after it and the learning rate each group used. */
    record StepEvent(long step, Map<String, Double> learningRates) {}

    /**
     * Called on the stepping thread after every applied step (parameters and state already updated), in registration order.
     *
     * @param event the step count after the step and each group's learning rate
     */
    void onStep(StepEvent event);

    /** Removes a listener; closing twice does nothing. */
    interface Registration extends AutoCloseable {
        @Override void close();
    }
}
