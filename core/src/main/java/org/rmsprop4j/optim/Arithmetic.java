package org.rmsprop4j.optim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.rmsprop4j.internal.Checks;

/**
 * Whose arithmetic an RMSprop step performs: the same equations ({@link RmsPropConfig}) evaluated in
 * one framework's order and precision, to the bit. {@code docs/arithmetic.md} gives each one's
 * per-element operations and the evidence (recorded runs of the framework replayed at 0 ULP).
 *
 * <p>{@link #PYTORCH_1_13} is the library's own order (the fused kernels); every other value runs
 * as an {@link org.rmsprop4j.transform.RmsPropProfile}, whose own fused loop (one pass, threads,
 * allocation-free) the optimizer runs straight on the parameters when the profile is alone in its
 * chain; those built on {@code rsqrtps} stay several times slower (a table lookup per element). Those marked <b>Zen 4</b> use square roots or reciprocal square roots built on
 * the CPU's {@code rsqrtps} estimate, reproduced from a table of an AMD Zen 4 CPU
 * ({@link org.rmsprop4j.transform.CpuMath}): they match the framework run on AMD Zen 4; on an
 * Intel CPU the framework itself gives other bits.
 */
public enum Arithmetic {
    /** PyTorch 1.13 {@code torch.optim.RMSprop} (for-loop and foreach): FMAs where ATen has them, IEEE sqrt. The default. */
    PYTORCH_1_13,
    /** PyTorch 1.13 with {@code foreach=True}: the same as {@link #PYTORCH_1_13} except AdaGrad, whose step size is computed in float32. */
    PYTORCH_1_13_FOREACH,
    /** PyTorch 2.13 CPU wheel, for-loop and foreach: 1.13's order, {@code lerp_} for the centered mean and Adam's first moment, Intel MKL's {@code sqrt} (Zen 4). */
    PYTORCH_2_13,
    /**
     * PyTorch 2.13 {@code fused=True} CPU kernels (Adam, AdamW, SGD, AdaGrad; RMSprop and Adadelta have none): IEEE sqrt,
     * and a contraction that differs between the vector body (first {@code n − n mod L} elements of a tensor, L = 8 floats or
     * 4 doubles) and the scalar tail.
     */
    PYTORCH_2_13_FUSED,
    /** Keras 3 eager {@code apply_gradients} (TensorFlow backend; JAX eager float32 is the same): no FMA, float32 learning rate. */
    KERAS_3,
    /** Keras 3 inside {@code tf.function} ({@code model.fit} on a CPU): Grappler's rewrites, Eigen's {@code Rsqrt} (Zen 4, float32). */
    KERAS_3_GRAPH,
    /** Keras 3 compiled by XLA (JAX backend under {@code jax.jit}): contracted FMAs, XLA's {@code rsqrt} (Zen 4, float32). */
    KERAS_3_XLA,
    /** TensorFlow's {@code ApplyRMSProp}/{@code ApplyCenteredRMSProp} (TF1's optimizer): incremental mean, float32 hyper-parameters. */
    TF1,
    /** Optax {@code rmsprop} under {@code jax.jit} on CPU: contracted FMAs, {@code 1/d·g·(−lr)}, XLA's {@code rsqrt} (Zen 4, float32). */
    OPTAX,
    /** ND4J / DL4J {@code RmsPropUpdater}: state from ε, {@code 1−ρ} in the working precision, {@code (lr·g)/(√G+ε)}. */
    ND4J,
    /** Tribuo {@code RMSProp}: lazily scaled accumulator (elements × multiplier), negated gradient added. */
    TRIBUO,
    /** TensorFlow.js {@code tf.train.rmsprop} ({@code cpu} backend): one rounding per op; centered subtracts ε. */
    TFJS,
    /** timm {@code RMSpropTF} on PyTorch 2.13: {@code sq += (g²−sq)(1−α)}, ε inside the root, MKL's {@code sqrt} (Zen 4). */
    TIMM_TF;

    /** Lower-case name as in settings strings and cases ({@code keras_3}). */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** Finds an arithmetic by name, case-insensitive, {@code -} and {@code .} read as {@code _}; refuses unknown names with the list. */
    public static Arithmetic byName(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
            for (Arithmetic a : values()) if (a.name().equals(n)) return a;
        }
        throw Checks.invalid("arithmetic", name == null ? null : "'" + name + "'", "one of "
                + Arrays.stream(values()).map(Arithmetic::id).collect(Collectors.joining(", ")));
    }
}
