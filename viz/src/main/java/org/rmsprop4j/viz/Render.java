package org.rmsprop4j.viz;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Writes a {@link Drawing} as PNG or SVG. Files are written to a temporary sibling and renamed, so
 * a reader never sees half a file. Runs headless ({@code java.awt.headless=true} is set unless
 * already chosen) and uses only Java's logical fonts, so no installed font is required.
 */
public final class Render {
    private Render() {}

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** Renders into a new RGB image. */
    public static BufferedImage image(Drawing d) {
        BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            hints(g);
            d.draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** PNG bytes of the drawing. */
    public static byte[] png(Drawing d) {
        return png(image(d));
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The drawing as an SVG document ({@code <svg>} element with namespace, no XML prolog). */
    public static String svg(Drawing d) {
        return svg(d, "svg");
    }

    /**
     * The drawing as an {@code <svg>} element with a {@code viewBox} (so it scales in a page) whose
     * internal ids start with {@code idPrefix}: use distinct prefixes for several SVGs in one page.
     */
    public static String svg(Drawing d, String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(d.width(), d.height());
        g.setDefsKeyPrefix(idPrefix);
        hints(g);
        d.draw(g);
        return g.getSVGElement(idPrefix + "-root", true, new ViewBox(0, 0, d.width(), d.height()), null, null);
    }

    /** Writes the drawing as PNG to {@code file}. */
    public static Path writePng(Drawing d, Path file) {
        return write(file, png(d));
    }

    /** Writes the drawing as a standalone SVG file (with an XML declaration) to {@code file}. */
    public static Path writeSvg(Drawing d, Path file) {
        String doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg(d) + "\n";
        return write(file, doc.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes atomically (temporary file beside it, synced, then renamed: core's {@code StateIO.writeAtomically}). */
    public static Path write(Path file, byte[] bytes) {
        try {
            org.rmsprop4j.optim.StateIO.writeAtomically(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + org.rmsprop4j.internal.IoErrors.reason(e), e);
        }
    }

    static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }
}
