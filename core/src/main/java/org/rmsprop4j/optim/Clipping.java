package org.rmsprop4j.optim;

import org.rmsprop4j.internal.Checks;

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
    static Clipping byValue(double limit) { return new ByValue(limit); }

    /** Rescale each parameter tensor whose norm exceeds {@code maxNorm} to that norm. */
    static Clipping byNorm(double maxNorm) { return new ByNorm(maxNorm); }

    /** Rescale all gradients together when their joint norm exceeds {@code maxNorm}. */
    static Clipping byGlobalNorm(double maxNorm) { return new ByGlobalNorm(maxNorm); }

    /** No clipping: the gradient is left as it is ({@link #none()}). */
    record None() implements Clipping {
        static final None INSTANCE = new None();
    }

    /** @param limit finite and {@code > 0} */
    record ByValue(double limit) implements Clipping {
        /**
         * Validates the parameter.
         *
         * @param limit finite and {@code > 0}
         * @throws IllegalArgumentException unless {@code limit} is finite and {@code > 0}
         */
        public ByValue {
            Checks.positive("limit", limit);
        }
    }

    /** @param maxNorm finite and {@code > 0} */
    record ByNorm(double maxNorm) implements Clipping {
        /**
         * Validates the parameter.
         *
         * @param maxNorm finite and {@code > 0}
         * @throws IllegalArgumentException unless {@code maxNorm} is finite and {@code > 0}
         */
        public ByNorm {
            Checks.positive("maxNorm", maxNorm);
        }
    }

    /** @param maxNorm finite and {@code > 0} */
    record ByGlobalNorm(double maxNorm) implements Clipping {
        /**
         * Validates the parameter.
         *
         * @param maxNorm finite and {@code > 0}
         * @throws IllegalArgumentException unless {@code maxNorm} is finite and {@code > 0}
         */
        public ByGlobalNorm {
            Checks.positive("maxNorm", maxNorm);
        }
    }
}
