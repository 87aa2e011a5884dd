package org.rmsprop4j.viz;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Animated GIFs with the JDK's ImageIO GIF writer and no other library: each frame carries a
 * graphic control extension with its delay, and the first one a {@code NETSCAPE2.0} application
 * extension with loop count 0 (loop forever). One 255-colour palette serves all frames, and every
 * frame after the first only carries the pixels that changed (the rest transparent over the
 * previous frame, which is kept), so an animation over a fixed background stays small.
 */
public final class AnimatedGif {
    private AnimatedGif() {}

    /** Largest accepted number of frames. */
    public static final int MAX_FRAMES = 2000;

    /**
     * Encodes {@code frames}, each shown for {@code delayCentis} hundredths of a second except the
     * last, which is held for {@code lastDelayCentis} (so a looping animation pauses on its result).
     */
    public static byte[] encode(List<BufferedImage> frames, int delayCentis, int lastDelayCentis) {
        if (frames == null || frames.isEmpty() || frames.size() > MAX_FRAMES) {
            throw new IllegalArgumentException("frames must hold 1.." + MAX_FRAMES + " images, got " + (frames == null ? 0 : frames.size()));
        }
        if (delayCentis < 1 || delayCentis > 65535) throw new IllegalArgumentException("delayCentis must be in [1, 65535], got " + delayCentis);
        if (lastDelayCentis < 1 || lastDelayCentis > 65535) {
            throw new IllegalArgumentException("lastDelayCentis must be in [1, 65535], got " + lastDelayCentis);
        }
        int w = frames.get(0).getWidth(), h = frames.get(0).getHeight();
        for (BufferedImage f : frames) {
            if (f.getWidth() != w || f.getHeight() != h) {
                throw new IllegalArgumentException("frames must all be " + w + "x" + h + ", got one of " + f.getWidth() + "x" + f.getHeight());
            }
        }
        Quantizer q = new Quantizer(frames.get(0), frames.get(frames.size() - 1));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(streamMetadata(writer, q));
            int[] prev = null;
            for (int i = 0; i < frames.size(); i++) {
                int[] rgb = frames.get(i).getRGB(0, 0, w, h, null, 0, w);
                BufferedImage img = q.indexed(rgb, prev, w, h);
                prev = rgb;
                int delay = i == frames.size() - 1 ? lastDelayCentis : delayCentis;
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
                configure(meta, delay, i == 0, i > 0, q);
                writer.writeToSequence(new IIOImage(img, null, meta), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * One palette for the whole animation, built from the first and last frames: colours far
     * apart first, then the most frequent ones, 255 in all; index 255 is transparent. Colours not in
     * the palette are ordered-dithered (see {@link #indexed}). Frames after the first mark unchanged
     * pixels transparent, so a frame costs only what moved.
     */
    private static final class Quantizer {
        static final int TRANSPARENT = 255;
        final int[] palette = new int[256];
        int size;
        final Map<Integer, Byte> nearest = new HashMap<>();
        final Map<Integer, Byte> exactIndex = new HashMap<>();
        final IndexColorModel model;

        Quantizer(BufferedImage first, BufferedImage last) {
            Map<Integer, Integer> counts = new HashMap<>();
            for (BufferedImage img : List.of(first, last)) {
                int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
                for (int p : px) counts.merge(p & 0xffffff, 1, Integer::sum);
            }
            List<Map.Entry<Integer, Integer>> byCount = new ArrayList<>(counts.entrySet());
            byCount.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
            // coarse to fine: first colours far from each other (every hue in the picture gets a
            // slot), then ever closer ones in order of frequency
            for (int minDist : new int[] {64, 32, 16, 8, 4, 2, 0}) {
                for (Map.Entry<Integer, Integer> e : byCount) {
                    if (size >= TRANSPARENT) break;
                    int c = e.getKey();
                    if (size == 0 || distanceToPalette(c) > 9 * minDist * minDist) palette[size++] = c;
                }
            }
            byte[] r = new byte[256], g = new byte[256], b = new byte[256];
            for (int i = 0; i < 256; i++) {
                int c = i < size ? palette[i] : 0;
                r[i] = (byte) (c >> 16);
                g[i] = (byte) (c >> 8);
                b[i] = (byte) c;
            }
            model = new IndexColorModel(8, 256, r, g, b, TRANSPARENT);
            for (int i = 0; i < size; i++) exactIndex.putIfAbsent(palette[i], (byte) i);
        }

        private int distanceToPalette(int c) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i < size; i++) best = Math.min(best, dist(c, palette[i]));
            return best;
        }

        private static int dist(int a, int b) {
            int dr = ((a >> 16) & 255) - ((b >> 16) & 255), dg = ((a >> 8) & 255) - ((b >> 8) & 255), db = (a & 255) - (b & 255);
            return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
        }

        private byte index(int c) {
            Byte cached = nearest.get(c);
            if (cached != null) return cached;
            int best = 0, bd = Integer.MAX_VALUE;
            for (int i = 0; i < size; i++) {
                int d = dist(c, palette[i]);
                if (d < bd) { bd = d; best = i; }
            }
            nearest.put(c, (byte) best);
            return (byte) best;
        }

        /** 4×4 Bayer matrix: thresholds 0..15 spread evenly over every 4×4 block. */
        private static final int[] BAYER = {0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5};
        /** Amplitude of the ordered dither, in levels per channel: about the spacing of the palette's shades. */
        static final int DITHER = 14;

        /**
         * The frame as palette indices. A colour that is in the palette is used as it is (lines,
         * text, flat areas stay crisp); any other colour (the smooth shading of the surface) is
         * ordered-dithered: nudged by a fixed per-position threshold before the nearest palette
         * colour is taken, so a smooth ramp becomes a fine even pattern instead of false contour
         * bands. The pattern depends only on the position, so a pixel that did not change between
         * frames maps to the same index (and is sent as transparent).
         */
        BufferedImage indexed(int[] rgb, int[] prev, int w, int h) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
            byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < rgb.length; i++) {
                int c = rgb[i] & 0xffffff;
                if (prev != null && (prev[i] & 0xffffff) == c) {
                    data[i] = (byte) TRANSPARENT;
                    continue;
                }
                Byte exact = exactIndex.get(c);
                data[i] = exact != null ? exact : index(dithered(c, i % w, i / w));
            }
            return img;
        }

        private static int dithered(int c, int x, int y) {
            int off = (BAYER[(y & 3) * 4 + (x & 3)] * 2 - 15) * DITHER / 32; // -DITHER/2 .. +DITHER/2
            int r = clamp(((c >> 16) & 255) + off), g = clamp(((c >> 8) & 255) + off), b = clamp((c & 255) + off);
            return (r << 16) | (g << 8) | b;
        }

        private static int clamp(int v) { return v < 0 ? 0 : Math.min(v, 255); }
    }

    /** Encodes and writes atomically to {@code file}. */
    public static Path write(List<BufferedImage> frames, int delayCentis, int lastDelayCentis, Path file) {
        return Render.write(file, encode(frames, delayCentis, lastDelayCentis));
    }

    /** Stream metadata whose global colour table is the quantizer's palette (frames carry no local table). */
    private static IIOMetadata streamMetadata(ImageWriter writer, Quantizer q) throws IIOInvalidTreeException {
        IIOMetadata meta = writer.getDefaultStreamMetadata(writer.getDefaultWriteParam());
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode table = child(root, "GlobalColorTable");
        table.setAttribute("sizeOfGlobalColorTable", "256");
        table.setAttribute("backgroundColorIndex", "0");
        table.setAttribute("sortFlag", "FALSE");
        fillTable(table, q);
        meta.setFromTree(format, root);
        return meta;
    }

    private static void fillTable(IIOMetadataNode table, Quantizer q) {
        while (table.getFirstChild() != null) table.removeChild(table.getFirstChild());
        for (int i = 0; i < 256; i++) {
            int c = i < q.size ? q.palette[i] : 0;
            IIOMetadataNode e = new IIOMetadataNode("ColorTableEntry");
            e.setAttribute("index", Integer.toString(i));
            e.setAttribute("red", Integer.toString((c >> 16) & 255));
            e.setAttribute("green", Integer.toString((c >> 8) & 255));
            e.setAttribute("blue", Integer.toString(c & 255));
            table.appendChild(e);
        }
    }

    private static void configure(IIOMetadata meta, int delayCentis, boolean first, boolean transparent, Quantizer q)
            throws IIOInvalidTreeException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        child(root, "ImageDescriptor").setAttribute("interlaceFlag", "FALSE");
        // the writer otherwise emits a local table of its own choosing; state ours explicitly
        IIOMetadataNode local = child(root, "LocalColorTable");
        local.setAttribute("sizeOfLocalColorTable", "256");
        local.setAttribute("sortFlag", "FALSE");
        fillTable(local, q);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "doNotDispose");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", transparent ? "TRUE" : "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCentis));
        gce.setAttribute("transparentColorIndex", Integer.toString(Quantizer.TRANSPARENT));
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {0x1, 0, 0}); // sub-block 1, loop count 0 (little endian) = forever
            apps.appendChild(app);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }
}
