package org.rmsprop4j.testkit;

import java.util.List;
import java.util.Map;

import org.rmsprop4j.optim.Dtype;

/**
 * One conformance case (format {@code rmsprop4j-conformance/1}): an optimizer with a framework's
 * settings, starting parameters, a stream of gradients and the parameters the reference produced
 * after every step. Arrays are held as doubles; for float32 cases every value is exactly a float.
 *
 * @param name       case name
 * @param source     what produced the reference numbers
 * @param optimizer  {@code rmsprop | sgd | adagrad | adadelta | adam | adamw}
 * @param flavor     whose semantics (RMSprop only; {@code pytorch} for the others)
 * @param dtype      element type of params, grads and state
 * @param hyper      the reference framework's own argument names and values (numbers, booleans,
 *                   strings, lists of numbers, or null)
 * @param params     starting parameters in order
 * @param steps      the gradient stream with expectations
 * @param finalState expected state after the last step: param → slot (the framework's name) → values
 */
public record ConformanceCase(String name, String source, String optimizer, String flavor, Dtype dtype,
                              Map<String, Object> hyper, List<Param> params, List<Step> steps,
                              Map<String, Map<String, double[]>> finalState) {

    /** A named tensor with its shape and row-major values. */
    public record Param(String name, int[] shape, double[] value) {}

    /**
     * One step.
     *
     * @param lr     learning rate set before this step, or {@code null} to keep the current one
     * @param grads  gradient per parameter name
     * @param expect parameters after the step per name
     */
    public record Step(Double lr, Map<String, double[]> grads, Map<String, double[]> expect) {}
}
