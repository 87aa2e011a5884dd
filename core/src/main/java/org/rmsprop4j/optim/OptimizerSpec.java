package org.rmsprop4j.optim;

import java.util.List;
import java.util.Map;

/**
 * An immutable, validated optimizer configuration. Implementations are records with builders;
 * the state an optimizer keeps lives in an {@link Optimizer}, never in the spec.
 */
public sealed interface OptimizerSpec permits RmsPropConfig, SgdConfig, AdagradConfig, AdadeltaConfig, AdamConfig {

    /** Family name: {@code rmsprop}, {@code sgd}, {@code adagrad}, {@code adadelta}, {@code adam}, {@code adamw}. */
    String kind();

    /** Base learning rate (a schedule scales it per step). */
    double learningRate();

    /** The same configuration with another base learning rate (validated). */
    OptimizerSpec withLearningRate(double learningRate);

    /** Names of the per-parameter state buffers this configuration keeps, in a fixed order. */
    List<String> stateSlots();

    /** Every hyper-parameter by its Java name, in declaration order, for reports and state files. */
    Map<String, Object> hyperParameters();
}
