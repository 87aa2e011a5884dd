package org.rmsprop4j.testkit;

import java.util.List;

import org.rmsprop4j.optim.OptimizerSpec;

/**
 * A case's optimizer, through the library's flavour tables ({@link org.rmsprop4j.optim.Flavors}):
 * the framework's own argument names onto our settings, one parser for the command line, the
 * simulator and conformance.
 */
public final class Flavors {
    private Flavors() {}

    /** The flavours RMSprop cases may name. */
    public static final List<String> RMSPROP_FLAVORS = org.rmsprop4j.optim.Flavors.RMSPROP_FLAVORS;

    /** Our spec for a case. */
    public static OptimizerSpec spec(ConformanceCase c) {
        return org.rmsprop4j.optim.Flavors.spec(c.optimizer(), c.flavor(), c.hyper());
    }

    /** Our slot for a framework's state-slot name in a flavour, or {@code null}. */
    public static org.rmsprop4j.optim.Flavors.SlotRef slot(String flavor, String name) {
        return org.rmsprop4j.optim.Flavors.slot(flavor, name);
    }
}
