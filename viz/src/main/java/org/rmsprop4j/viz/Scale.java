package org.rmsprop4j.viz;

import java.util.ArrayList;
import java.util.List;

/** A linear or base-10 logarithmic map from data to pixels, with tick positions. */
final class Scale {
    final double d0, d1, p0, p1;
    final boolean log;

    Scale(double d0, double d1, double p0, double p1, boolean log) {
        if (log) {
            if (!(d0 > 0)) d0 = Double.MIN_NORMAL;
            if (!(d1 > d0)) d1 = d0 * 10;
        } else if (!(d1 > d0)) {
            d1 = d0 + (d0 == 0 ? 1 : Math.abs(d0));
        }
        this.d0 = d0;
        this.d1 = d1;
        this.p0 = p0;
        this.p1 = p1;
        this.log = log;
    }

    double map(double v) {
        double t = log ? (Math.log10(v) - Math.log10(d0)) / (Math.log10(d1) - Math.log10(d0)) : (v - d0) / (d1 - d0);
        return p0 + t * (p1 - p0);
    }

    double inverse(double p) {
        double t = (p - p0) / (p1 - p0);
        return log ? Math.pow(10, Math.log10(d0) + t * (Math.log10(d1) - Math.log10(d0))) : d0 + t * (d1 - d0);
    }

    /** Tick values inside the range: "nice" multiples for linear scales, powers of ten for log ones. */
    List<Double> ticks(int target) {
        List<Double> out = new ArrayList<>();
        if (log) {
            int lo = (int) Math.ceil(Math.log10(d0) - 1e-9), hi = (int) Math.floor(Math.log10(d1) + 1e-9);
            int every = Math.max(1, (int) Math.ceil((hi - lo + 1) / (double) target));
            for (int e = lo; e <= hi; e++) if (Math.floorMod(e, every) == 0) out.add(Math.pow(10, e));
            if (out.size() < 2) { // less than a decade: fall back to linear ticks on the log axis
                for (double v : new Scale(d0, d1, p0, p1, false).ticks(target)) if (v > 0) out.add(v);
            }
            return out;
        }
        double step = nice((d1 - d0) / Math.max(1, target));
        // i / (1/step) rather than i * step: 9 / 10 is the double nearest 0.9, 9 * 0.1 is not
        double inv = step < 1 ? Math.rint(1 / step) : 0;
        for (long i = (long) Math.ceil(d0 / step - 1e-9); i * step <= d1 + step * 1e-9; i++) out.add(i == 0 ? 0.0 : inv > 0 ? i / inv : i * step);
        return out;
    }

    static double nice(double x) {
        double e = Math.pow(10, Math.floor(Math.log10(x)));
        double f = x / e;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * e;
    }

    /** A tick label: powers of ten as {@code 1e-3} on log axes. */
    String label(double v) {
        if (log) {
            double e = Math.log10(v);
            if (Math.abs(e - Math.rint(e)) < 1e-9) {
                int k = (int) Math.rint(e);
                return k == 0 ? "1" : k == 1 ? "10" : "1e" + k;
            }
        }
        return Text.num(v);
    }
}
