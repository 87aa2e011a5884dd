package org.rmsprop4j.cli;

import java.util.Locale;

/** Number formats of the command line's output, so that every magnitude reads well. */
final class Fmt {
    private Fmt() {}

    /** A loss or accuracy: 4 decimals between 1e-3 and 1e5 (and for 0), else 4 significant digits in scientific form. */
    static String loss(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return Double.toString(x);
        double a = Math.abs(x);
        if (a == 0 || (a >= 1e-3 && a < 1e5)) return String.format(Locale.ROOT, "%.4f", x);
        return String.format(Locale.ROOT, "%.3e", x);
    }

    /** A learning rate: 3 significant digits, {@code 0} for zero, scientific below 1e-4. */
    static String lr(double x) {
        if (x == 0) return "0";
        if (Double.isNaN(x) || Double.isInfinite(x)) return Double.toString(x);
        double a = Math.abs(x);
        if (a < 1e-4 || a >= 1e5) return String.format(Locale.ROOT, "%.3g", x);
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** {@code "1 epoch"}, {@code "2 epochs"}. */
    static String count(long n, String noun) { return n + " " + noun + (n == 1 ? "" : "s"); }

    /** True when the file descriptor's target (as {@code /proc/self/fd/N} links it) is a terminal device. */
    static boolean isTerminalDevice(String target) {
        return target != null && (target.startsWith("/dev/pts/") || target.matches("/dev/tty\\w*") || target.equals("/dev/console"));
    }

    /**
     * Whether stderr is a terminal (where the progress bar is drawn): on Linux from
     * {@code /proc/self/fd/2}, elsewhere from {@link System#console()} (stdin and stdout); never when
     * {@code TERM} is {@code dumb}.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) return false;
        java.nio.file.Path fd = java.nio.file.Path.of("/proc/self/fd/2");
        if (java.nio.file.Files.isSymbolicLink(fd)) {
            try {
                return isTerminalDevice(java.nio.file.Files.readSymbolicLink(fd).toString());
            } catch (java.io.IOException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
