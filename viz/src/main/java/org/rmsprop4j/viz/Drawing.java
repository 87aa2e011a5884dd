package org.rmsprop4j.viz;

import java.awt.Graphics2D;

/**
 * A picture of a fixed size drawn by one piece of Java2D code. {@link Render} turns it into PNG
 * (a {@code BufferedImage}), SVG (JFreeSVG's {@code SVGGraphics2D}) or GIF frames, so every output
 * format shows exactly the same drawing.
 */
public interface Drawing {
    /** Width in pixels. */
    int width();

    /** Height in pixels. */
    int height();

    /** Draws onto {@code g}, whose origin is the top-left corner; must not keep {@code g}. */
    void draw(Graphics2D g);
}
