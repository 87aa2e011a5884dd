package org.rmsprop4j.viz;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.SgdConfig;

/** Number formatting, short descriptions of optimizer settings, and the fonts figures use. */
public final class Text {
    private Text() {}

    /** Java's logical sans-serif font: present on every JDK, headless included. */
    static Font font(int style, float size) { return new Font(Font.SANS_SERIF, style, 1).deriveFont(style, size); }

    /** A compact number: {@code 0.1}, {@code 1.79}, {@code 2.4e-4}, {@code 1.2e+3}. */
    public static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "−∞";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            String s = String.format(Locale.ROOT, "%.2e", v);
            // 1.20e-04 -> 1.2e-4
            String mant = s.substring(0, s.indexOf('e')).replaceAll("0+$", "").replaceAll("\\.$", "");
            int exp = Integer.parseInt(s.substring(s.indexOf('e') + 1));
            return mant + "e" + (exp > 0 ? "+" : "") + exp;
        }
        String s = String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.3f" : "%.4f", v);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    /** The settings that define a configuration, in one short line ({@code "lr 0.1, ρ 0.9, ε 1e-9 inside √"}). */
    public static String settings(OptimizerSpec spec) {
        List<String> p = new ArrayList<>();
        if (spec instanceof RmsPropConfig c) {
            p.add("lr " + num(c.learningRate()));
            p.add("ρ " + num(c.decay()));
            p.add("ε " + num(c.eps()) + (c.epsPlacement() == EpsPlacement.INSIDE ? " in √" : " out"));
            if (c.initialMeanSquare() != 0) p.add("ν₀ " + num(c.initialMeanSquare()));
            if (c.centered()) p.add("centered");
            if (c.momentum() > 0) {
                p.add("mom " + num(c.momentum()) + (c.momentumStyle() == MomentumStyle.LR_INSIDE ? " (lr in)" : ""));
            }
            if (c.nesterov()) p.add("nesterov");
            if (c.weightDecay() > 0) p.add("wd " + num(c.weightDecay()) + " " + c.weightDecayStyle().toString().toLowerCase(Locale.ROOT));
            if (c.biasCorrection()) p.add("bias-corr");
            if (c.lrDecay() > 0) p.add("lr-decay " + num(c.lrDecay()));
        } else if (spec instanceof SgdConfig c) {
            p.add("lr " + num(c.learningRate()));
            if (c.momentum() > 0) p.add("momentum " + num(c.momentum()));
            if (c.dampening() > 0) p.add("dampening " + num(c.dampening()));
            if (c.nesterov()) p.add("nesterov");
            if (c.weightDecay() > 0) p.add("wd " + num(c.weightDecay()));
        } else if (spec instanceof AdagradConfig c) {
            p.add("lr " + num(c.learningRate()));
            p.add("ε " + num(c.eps()));
            if (c.initialAccumulator() != 0) p.add("s₀ " + num(c.initialAccumulator()));
            if (c.lrDecay() > 0) p.add("lr-decay " + num(c.lrDecay()));
        } else if (spec instanceof AdamConfig c) {
            p.add("lr " + num(c.learningRate()));
            p.add("β " + num(c.beta1()) + "/" + num(c.beta2()));
            p.add("ε " + num(c.eps()));
            if (c.amsgrad()) p.add("amsgrad");
            if (c.weightDecay() > 0) p.add("wd " + num(c.weightDecay()));
        } else if (spec instanceof AdadeltaConfig c) {
            p.add("lr " + num(c.learningRate()));
            p.add("ρ " + num(c.rho()));
            p.add("ε " + num(c.eps()));
        }
        return spec.kind() + ": " + String.join(", ", p);
    }

    static void left(Graphics2D g, String s, double x, double baseline) { g.drawString(s, (float) x, (float) baseline); }

    static void centre(Graphics2D g, String s, double cx, double baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) baseline);
    }

    static void right(Graphics2D g, String s, double rx, double baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (rx - fm.stringWidth(s)), (float) baseline);
    }

    /** Shortens {@code s} with an ellipsis until it fits {@code maxWidth} pixels in the current font. */
    static String fit(Graphics2D g, String s, double maxWidth) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(s) <= maxWidth) return s;
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > maxWidth) t = t.substring(0, t.length() - 1);
        return t + "…";
    }
}
