package org.rmsprop4j.optim;

/**
 * Gradient clipping, applied to the gradient array in place before a step (as PyTorch's
 * {@code clip_grad_value_} / {@code clip_grad_norm_}). Norms are Euclidean and accumulated in double.
 * A norm of 0 or a non-finite norm leaves the gradient as it is (a non-finite gradient is the
 * business of {@link NonFinitePolicy}).
 */
public sealed interface Clipping {

    /** No clipping. */
    static Clipping none() { return None.INSTANCE; }

    /** Clamp every element to {@code [-limit, limit]}. */
    static Clipping byValue(double limit) { return new ByValue(Checks.positive("limit", limit)); }

    /** Rescale each parameter tensor whose norm exceeds {@code maxNorm} to that norm. */
    static Clipping byNorm(double maxNorm) { return new ByNorm(Checks.positive("maxNorm", maxNorm)); }

    /** Rescale all gradients together when their joint norm exceeds {@code maxNorm}. */
    static Clipping byGlobalNorm(double maxNorm) { return new ByGlobalNorm(Checks.positive("maxNorm", maxNorm)); }

    record None() implements Clipping {
        static final None INSTANCE = new None();
    }

    record ByValue(double limit) implements Clipping {}

    record ByNorm(double maxNorm) implements Clipping {}

    record ByGlobalNorm(double maxNorm) implements Clipping {}
}
