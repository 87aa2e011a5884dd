package org.rmsprop4j.viz;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rmsprop4j.internal.Texts;
import org.rmsprop4j.optim.OptimizerSpec;

/** Number formatting, short descriptions of optimizer settings, and the fonts figures use. */
public final class Text {
    private Text() {}

    /** Java's logical sans-serif font: present on every JDK, headless included. */
    static Font font(int style, float size) { return new Font(Font.SANS_SERIF, style, 1).deriveFont(style, size); }

    /** A compact number: {@code 0.1}, {@code 1.79}, {@code 2.4e-4}, {@code 1.2e+3}. */
    public static String num(double v) { return Texts.num(v); }

    /** The settings that define a configuration, in one short line ({@link OptimizerSpec#describe()}). */
    public static String settings(OptimizerSpec spec) { return spec.describe(); }

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
