package org.rmsprop4j.sim;

import java.util.Objects;

import org.rmsprop4j.optim.OptimizerSpec;

/**
 * One runner in a race: an optimizer configuration and the label it is shown under.
 *
 * @param label non-empty name for legends and tables ({@code "rmsprop-pytorch"}, {@code "adam"})
 * @param spec  the optimizer configuration
 */
public record Contender(String label, OptimizerSpec spec) {
    public Contender {
        if (label == null || label.isBlank()) throw new IllegalArgumentException("label must be a non-empty name, got '" + label + "'");
        Objects.requireNonNull(spec, "spec must not be null");
    }
}
