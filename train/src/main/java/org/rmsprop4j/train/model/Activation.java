package org.rmsprop4j.train.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.rmsprop4j.internal.Checks;

/** Hidden-layer non-linearities, with the derivative expressed through the output {@code a = act(z)}. */
public enum Activation {
    /** {@code max(z, 0)}; derivative 1 where {@code a > 0}, else 0. */
    RELU,
    /** {@code tanh(z)}; derivative {@code 1 − a²}. */
    TANH,
    /** {@code 1/(1+e^−z)}; derivative {@code a(1 − a)}. */
    SIGMOID;

    double apply(double z) {
        switch (this) {
            case RELU: return z > 0 ? z : 0.0;
            case TANH: return Math.tanh(z);
            default: return 1.0 / (1.0 + Math.exp(-z));
        }
    }

    double derivativeFromOutput(double a) {
        switch (this) {
            case RELU: return a > 0 ? 1.0 : 0.0;
            case TANH: return 1.0 - a * a;
            default: return a * (1.0 - a);
        }
    }

    /** Lower-case name: {@code relu}, {@code tanh}, {@code sigmoid}. */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a name, case-insensitive; refuses others with the list of accepted ones. */
    public static Activation byName(String s) {
        if (s != null) for (Activation a : values()) if (a.name().equalsIgnoreCase(s.trim())) return a;
        throw Checks.invalid("activation", s == null ? null : "'" + s + "'", "one of "
                + Arrays.stream(values()).map(Activation::id).collect(Collectors.joining(", ")));
    }
}
