package org.rmsprop4j.internal;

import java.util.Locale;

/** Number formatting shared by descriptions and figures. <b>Not API</b>: not exported by the module. */
public final class Texts {
    private Texts() {}

    /** A compact number: {@code 0.1}, {@code 1.79}, {@code 2.4e-4}, {@code 1.2e+3}. */
    public static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "−∞";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            String s = String.format(Locale.ROOT, "%.2e", v);
            String mant = s.substring(0, s.indexOf('e')).replaceAll("0+$", "").replaceAll("\\.$", "");
            int exp = Integer.parseInt(s.substring(s.indexOf('e') + 1));
            return mant + "e" + (exp > 0 ? "+" : "") + exp;
        }
        String s = String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.3f" : "%.4f", v);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }
}
