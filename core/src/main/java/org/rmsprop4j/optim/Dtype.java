package org.rmsprop4j.optim;

import org.rmsprop4j.internal.Checks;

/** Storage type of parameters, gradients and optimizer state. */
public enum Dtype {
    /** IEEE 754 single precision, 4 bytes per value: PyTorch's default and the fused kernels' fast path. */
    FLOAT32("float32"),
    /** IEEE 754 double precision, 8 bytes per value: for reference runs and ill-conditioned problems. */
    FLOAT64("float64");

    private final String label;

    Dtype(String label) { this.label = label; }

    /** The name used in files and on the command line ({@code float32}, {@code float64}). */
    public String label() { return label; }

    /** Parses {@code float32}/{@code f32}/{@code float64}/{@code f64}, case-insensitive. */
    public static Dtype parse(String s) {
        switch (s == null ? "" : s.toLowerCase(java.util.Locale.ROOT)) {
            case "float32": case "f32": case "fp32": case "float": return FLOAT32;
            case "float64": case "f64": case "fp64": case "double": return FLOAT64;
            default: throw Checks.invalid("dtype", s, "one of float32, float64");
        }
    }
}
