package org.rmsprop4j.transform;

import java.util.List;
import java.util.Map;

/**
 * One step of an optimizer as a composable unit, in the spirit of Optax's
 * {@code GradientTransformation(init, update)}: it turns the update it is handed into the next
 * update, in place, and keeps named per-parameter state. An optimizer is a {@link Chain} of them.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Configuration is data</b>: an implementation is immutable (a record, typically), names
 *       itself with {@link #type()} and lists every hyper-parameter in {@link #hyperParameters()};
 *       state files and resume checks compare these, so a hyper-parameter hidden in a lambda would
 *       break resume.</li>
 *   <li><b>State is explicit</b>: {@link #slots()} names the per-parameter buffers; the optimizer
 *       allocates them (one array per slot, laid out like the parameters), fills them with
 *       {@link #initialValue(String)}, saves and restores them by name
 *       ({@code transform/param/slot}). A transform keeps no other mutable state.</li>
 *   <li><b>Sign convention</b>: the update {@code u} starts as the gradient and the optimizer applies
 *       {@code θ ← θ − u} at the end. So {@link ScaleByLearningRate} multiplies by {@code +η} and a
 *       momentum {@link Trace} holds buffers in the gradient's direction, as PyTorch and Keras store
 *       them. (Optax adds updates and scales by {@code −η}; its traces hold the negated buffer.)</li>
 *   <li><b>Update</b>: {@link #update(float[], float[], float[][], int, int, int, StepContext)}
 *       works on {@code [off, off+len)}: {@code u} and this transform's slots are Modified,
 *       {@code p} (the parameters before the step) is Not modified. It must not allocate. An
 *       {@linkplain #elementwise() element-wise} transform may be called on any sub-range, from any
 *       thread, in any order of sub-ranges: element {@code i} may depend only on element
 *       {@code i} of its arrays and on the {@link StepContext}. A transform that needs the whole
 *       group at once (a norm, a finiteness check) returns {@code false} from {@link #elementwise()}
 *       and overrides {@link #updateGroup}.</li>
 *   <li>Slot arrays: {@code s[slot0 + k]} is the array of this transform's k-th slot, indexed like
 *       the parameters (absolute positions, the same {@code off} as {@code u}).</li>
 * </ul>
 * Write both the {@code float[]} and the {@code double[]} form; the optimizer calls the one of its
 * dtype. {@code org.rmsprop4j.examples.CustomTransform} shows one written outside the library.
 */
public interface GradientTransform {

    /** The type name ({@code "scale_by_rms"}); with {@link #hyperParameters()} it identifies the transform. */
    String type();

    /** Every hyper-parameter by name, in a fixed order (numbers, booleans, strings, enums or nested transforms). */
    Map<String, Object> hyperParameters();

    /** Names of the per-parameter state slots, in a fixed order; empty when the transform keeps none. */
    default List<String> slots() { return List.of(); }

    /** The value a fresh state slot is filled with. */
    default double initialValue(String slot) { return 0.0; }

    /** True if no step can make values of {@code slot} negative (a mean or sum of squares); loading refuses negative values there. */
    default boolean nonNegative(String slot) { return false; }

    /** True if element {@code i} of the result depends only on element {@code i} of the inputs (see the class comment). */
    default boolean elementwise() { return true; }

    /**
     * True if the update this transform leaves in {@code u} is the parameters' new value
     * {@code θ_{t+1}}, not a step to subtract: the optimizer then assigns {@code θ ← u}. For a
     * framework's whole step that ends in a fused multiply-add with the parameter
     * ({@link RmsPropProfile}); such a transform must be the last member of its chain.
     */
    default boolean producesParameters() { return false; }

    /** Transforms {@code u[off, off+len)} in place (float32). */
    void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c);

    /** Transforms {@code u[off, off+len)} in place (float64). */
    void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c);

    /** Transforms the whole group's update: every run of {@link StepContext#runCount()}. Override when not element-wise. */
    default void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        for (int r = 0, n = c.runCount(); r < n; r++) update(u, p, s, slot0, c.runOffset(r), c.runLength(r), c);
    }

    /** Transforms the whole group's update (float64); see {@link #updateGroup(float[], float[], float[][], int, StepContext)}. */
    default void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        for (int r = 0, n = c.runCount(); r < n; r++) update(u, p, s, slot0, c.runOffset(r), c.runLength(r), c);
    }

    /** One line for reports: the type and its hyper-parameters. */
    default String describe() {
        StringBuilder b = new StringBuilder(type()).append('(');
        boolean first = true;
        for (var e : hyperParameters().entrySet()) {
            if (!first) b.append(", ");
            first = false;
            Object v = e.getValue();
            b.append(e.getKey()).append('=').append(v instanceof GradientTransform t ? t.describe() : String.valueOf(v));
        }
        return b.append(')').toString();
    }
}
