package org.rmsprop4j.viz;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** Test helpers that read our outputs back with the JDK only. */
final class Images {
    private Images() {}

    /** A decoded GIF: composed frames (each drawn over the previous, as a viewer does) and its loop count (-1: no NETSCAPE2.0 extension). */
    record Gif(List<BufferedImage> frames, int loopCount, List<Integer> delays) {}

    static Gif readGif(byte[] bytes) throws IOException {
        ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            r.setInput(in);
            int n = r.getNumImages(true);
            List<BufferedImage> frames = new ArrayList<>();
            List<Integer> delays = new ArrayList<>();
            int loop = -1;
            BufferedImage canvas = null;
            for (int i = 0; i < n; i++) {
                BufferedImage f = r.read(i);
                IIOMetadata m = r.getImageMetadata(i);
                IIOMetadataNode root = (IIOMetadataNode) m.getAsTree(m.getNativeMetadataFormatName());
                int left = 0, top = 0;
                for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
                    IIOMetadataNode e = (IIOMetadataNode) c;
                    if (c.getNodeName().equals("ImageDescriptor")) {
                        left = Integer.parseInt(e.getAttribute("imageLeftPosition"));
                        top = Integer.parseInt(e.getAttribute("imageTopPosition"));
                    }
                    if (c.getNodeName().equals("GraphicControlExtension")) delays.add(Integer.parseInt(e.getAttribute("delayTime")));
                    if (c.getNodeName().equals("ApplicationExtensions")) {
                        for (Node a = c.getFirstChild(); a != null; a = a.getNextSibling()) {
                            IIOMetadataNode app = (IIOMetadataNode) a;
                            if ("NETSCAPE".equals(app.getAttribute("applicationID")) && "2.0".equals(app.getAttribute("authenticationCode"))) {
                                byte[] u = (byte[]) app.getUserObject();
                                if (u.length >= 3 && u[0] == 1) loop = (u[1] & 0xff) | (u[2] & 0xff) << 8;
                            }
                        }
                    }
                }
                if (canvas == null) canvas = new BufferedImage(f.getWidth() + left, f.getHeight() + top, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = canvas.createGraphics();
                g.drawImage(f, left, top, null);
                g.dispose();
                BufferedImage copy = new BufferedImage(canvas.getWidth(), canvas.getHeight(), BufferedImage.TYPE_INT_RGB);
                copy.getGraphics().drawImage(canvas, 0, 0, null);
                frames.add(copy);
            }
            return new Gif(frames, loop, delays);
        } finally {
            r.dispose();
        }
    }

    /** Mean absolute difference per channel between two images of the same size, 0..255. */
    static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                sum += Math.abs(((p >> 16) & 255) - ((q >> 16) & 255)) + Math.abs(((p >> 8) & 255) - ((q >> 8) & 255)) + Math.abs((p & 255) - (q & 255));
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
