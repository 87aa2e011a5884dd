package org.rmsprop4j.optim;

import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.transform.Chain;

/**
 * An immutable, validated optimizer configuration: what an {@link Optimizer} is built from. Its
 * semantics are its {@link #chain()} of transforms; the state it keeps lives in the optimizer.
 *
 * <p>The library's families ({@link RmsPropConfig} with its {@link RmsPropPreset}s, {@link SgdConfig},
 * {@link AdagradConfig}, {@link AdadeltaConfig}, {@link AdamConfig}) are records with builders whose
 * chains the optimizer runs as one fused kernel each; a {@link Chain} of any transforms, including
 * a user's own, is a spec as well. Everything a tool needs to know about a family (its slots, the
 * slot drawn as accumulated squared gradients, the effective per-parameter step, a one-line
 * description, its decay knob) is asked of the spec, never found by testing its class.
 */
public interface OptimizerSpec {

    /** Family name: {@code rmsprop}, {@code sgd}, {@code adagrad}, {@code adadelta}, {@code adam}, {@code adamw}, or a chain's kind. */
    String kind();

    /** Base learning rate (a schedule scales it per step). */
    double learningRate();

    /** The same configuration with another base learning rate (validated). */
    OptimizerSpec withLearningRate(double learningRate);

    /** The transforms this configuration means, in order: the semantics and the oracle of the fused kernels. */
    Chain chain();

    /**
     * A schedule the configuration implies (RMSprop's and AdaGrad's inverse-time {@code lrDecay}),
     * or {@code null}. The optimizer uses it as the group's schedule and refuses to stack it on
     * another non-constant one.
     */
    default Schedule impliedSchedule() { return null; }

    /** Qualified names ({@code transform/slot}) of the per-parameter state buffers, in a fixed order. */
    default List<String> stateSlots() { return chain().slots(); }

    /** Every hyper-parameter by name, in declaration order, for reports and state files. */
    default Map<String, Object> hyperParameters() { return chain().hyperParameters(); }

    /** The settings in one short line ({@code "rmsprop: lr 0.1, ρ 0.9, ε 1e-9 in √"}). */
    default String describe() { return chain().describe(); }

    /**
     * The slot (unqualified name) that accumulates squared gradients, drawn as squares by the viewer:
     * RMSprop's {@code square_avg}, AdaGrad's {@code sum}, Adam's {@code exp_avg_sq}; {@code null} when none.
     */
    default String squaredGradientSlot() { return null; }

    /** True if {@link #squaredGradientSlot()} holds a sum (AdaGrad) rather than a decayed mean. */
    default boolean squaredGradientIsSum() { return false; }

    /** The slot (unqualified name) of the momentum buffer or first moment, or {@code null}. */
    default String momentumSlot() { return null; }

    /**
     * The effective step size of step {@code t} for one parameter: the factor the step multiplied
     * the gradient (or first moment, or momentum input) by, e.g. {@code η_t/(√ν_t + ε)} for RMSprop.
     * NaN when the family does not define one.
     *
     * @param t      1-based step number
     * @param lr     the learning rate of step t (schedule applied)
     * @param after  the parameter's state values after step t, by unqualified slot name
     * @param before the same before step t (Adadelta needs it)
     */
    default double effectiveStep(long t, double lr, SlotValues after, SlotValues before) { return Double.NaN; }

    /** Name of the knob that decays squared gradients ({@code decay}, {@code beta2}, {@code rho}), or {@code null}. */
    default String decayKnob() { return null; }

    /** The same configuration with its {@link #decayKnob()} set; refused when it has none. */
    default OptimizerSpec withDecay(double decay) {
        throw Checks.invalid("optimizer", kind(), "one with a decay of squared gradients (rmsprop: decay, adam: beta2, adadelta: rho)");
    }

    /** A parameter's state values by unqualified slot name. */
    @FunctionalInterface
    interface SlotValues {
        /**
         * The value of one state slot of the parameter at hand.
         *
         * @param slot the slot's unqualified name, such as {@code "square_avg"}
         * @return its value (of the element concerned)
         */
        double get(String slot);
    }
}
