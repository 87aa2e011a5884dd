package org.rmsprop4j.optim;

import java.util.Map;

/** Called after every applied step (not after a skipped one). The one hook type of {@link Optimizer}. */
@FunctionalInterface
public interface StepListener {

    /** What a step did: the optimizer's step count after it and the learning rate each group used. */
    record StepEvent(long step, Map<String, Double> learningRates) {}

    void onStep(StepEvent event);

    /** Removes a listener; closing twice does nothing. */
    interface Registration extends AutoCloseable {
        @Override void close();
    }
}
