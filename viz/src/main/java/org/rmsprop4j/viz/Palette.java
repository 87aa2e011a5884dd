package org.rmsprop4j.viz;

import java.awt.Color;

/**
 * Colours. Optimizers get the Okabe–Ito palette (Okabe &amp; Ito 2008, "Color Universal Design"),
 * distinguishable with the common forms of colour blindness, in an order that puts the most
 * distinct colours first; the loss surface gets a light grey-blue ramp that the paths stand out on.
 */
public final class Palette {
    private Palette() {}

    public static final Color BLUE = new Color(0x0072B2);
    public static final Color VERMILLION = new Color(0xD55E00);
    public static final Color BLUISH_GREEN = new Color(0x009E73);
    public static final Color REDDISH_PURPLE = new Color(0xCC79A7);
    public static final Color ORANGE = new Color(0xE69F00);
    public static final Color SKY_BLUE = new Color(0x56B4E9);
    public static final Color BLACK = new Color(0x000000);
    public static final Color YELLOW = new Color(0xF0E442);

    private static final Color[] SERIES = {BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, ORANGE, SKY_BLUE, BLACK, YELLOW};

    /** Text and axis colour. */
    static final Color INK = new Color(0x222222);
    /** Secondary text. */
    static final Color MUTED = new Color(0x555555);

    /** The colour of series {@code i}; cycles after eight. */
    public static Color series(int i) { return SERIES[Math.floorMod(i, SERIES.length)]; }

    /** Number of distinct series colours. */
    public static int seriesCount() { return SERIES.length; }

    private static final float[][] RAMP = {
        {0.985f, 0.985f, 0.975f}, {0.86f, 0.90f, 0.93f}, {0.62f, 0.69f, 0.76f}, {0.36f, 0.42f, 0.50f}};

    /** The surface colour at {@code t} in [0, 1] (0 = lowest loss, light; 1 = highest, dark slate). */
    public static int ramp(double t) {
        if (!(t >= 0)) t = 0;
        if (t > 1) t = 1;
        double s = t * (RAMP.length - 1);
        int i = Math.min((int) s, RAMP.length - 2);
        double f = s - i;
        int r = Math.round(255 * (float) (RAMP[i][0] + f * (RAMP[i + 1][0] - RAMP[i][0])));
        int g = Math.round(255 * (float) (RAMP[i][1] + f * (RAMP[i + 1][1] - RAMP[i][1])));
        int b = Math.round(255 * (float) (RAMP[i][2] + f * (RAMP[i + 1][2] - RAMP[i][2])));
        return (r << 16) | (g << 8) | b;
    }

    /** The surface ramp's stops as {@code 0xRRGGBB}, low to high (linear interpolation between them in sRGB). */
    static int[] rampStops() {
        int[] out = new int[RAMP.length];
        for (int i = 0; i < RAMP.length; i++) out[i] = ramp(i / (double) (RAMP.length - 1));
        return out;
    }

    private static final int[] VIRIDIS = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};

    /** A viridis-like sequential colour at {@code t} in [0, 1] (dark purple to yellow), for sweeps. */
    public static int sequential(double t) {
        if (!(t >= 0)) t = 0;
        if (t > 1) t = 1;
        double s = t * (VIRIDIS.length - 1);
        int i = Math.min((int) s, VIRIDIS.length - 2);
        double f = s - i;
        int a = VIRIDIS[i], b = VIRIDIS[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) + f * (((b >> 16) & 255) - ((a >> 16) & 255)));
        int g = (int) Math.round(((a >> 8) & 255) + f * (((b >> 8) & 255) - ((a >> 8) & 255)));
        int bl = (int) Math.round((a & 255) + f * ((b & 255) - (a & 255)));
        return (r << 16) | (g << 8) | bl;
    }

    /** CSS hex form, {@code #rrggbb}. */
    public static String hex(Color c) { return String.format("#%06x", c.getRGB() & 0xffffff); }
}
