package org.rmsprop4j.train.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of the MNIST files (LeCun et al.), plain or gzip-compressed: the full
 * 60,000/10,000 MNIST (and Fashion-MNIST) files load unchanged, as does the shipped 10k subset.
 *
 * <h2>Format</h2> Big-endian. A 4-byte magic number {@code 0x00 0x00 type ndims}: only unsigned
 * bytes ({@code type 0x08}) are accepted, so images have magic 2051 ({@code 0x00000803}, three
 * dimensions: count, rows, columns) and labels 2049 ({@code 0x00000801}, one dimension: count).
 * Then one 4-byte size per dimension, then exactly the product of the sizes in bytes.
 *
 * <h2>Errors</h2> A wrong magic number, a size {@code < 1}, missing bytes (truncated file) or extra
 * bytes after the data are refused with a {@link MalformedDataException} naming the file, the byte
 * offset and the problem; so are image and label files whose counts disagree.
 */
public final class IdxLoader {
    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxLoader() {}

    /** Images: {@code count} images of {@code rows x cols} grey levels 0..255, row-major, image after image. */
    public record Images(int count, int rows, int cols, float[] pixels) {}

    /** Reads an images file ({@code *-images-idx3-ubyte[.gz]}). */
    public static Images readImages(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readImages(in, file.getFileName().toString());
        }
    }

    /** Reads an images stream; {@code source} names it in messages. */
    public static Images readImages(InputStream in, String source) throws IOException {
        byte[] b = readAll(in, source);
        int[] dims = header(b, source, IMAGES_MAGIC, 3, "images");
        int n = dims[0], rows = dims[1], cols = dims[2];
        long need = 16L + (long) n * rows * cols;
        if (need - 16 > Integer.MAX_VALUE - 8) throw new MalformedDataException(source, "offset 4", "too large: " + n + " x " + rows + " x " + cols);
        checkLength(b, need, source);
        float[] px = new float[n * rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = b[16 + i] & 0xff;
        return new Images(n, rows, cols, px);
    }

    /** Reads a labels file ({@code *-labels-idx1-ubyte[.gz]}). */
    public static int[] readLabels(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLabels(in, file.getFileName().toString());
        }
    }

    /** Reads a labels stream; {@code source} names it in messages. */
    public static int[] readLabels(InputStream in, String source) throws IOException {
        byte[] b = readAll(in, source);
        int n = header(b, source, LABELS_MAGIC, 1, "labels")[0];
        checkLength(b, 8L + n, source);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = b[8 + i] & 0xff;
        return y;
    }

    /**
     * Images and labels as one data set with classes {@code 0..classes-1}.
     *
     * @throws MalformedDataException when the counts differ or a label is {@code >= classes}
     */
    public static Dataset dataset(String name, Images images, String imagesSource, int[] labels, String labelsSource, int classes)
            throws MalformedDataException {
        if (images.count() != labels.length) {
            throw new MalformedDataException(labelsSource, "offset 4", "holds " + labels.length + " labels but " + imagesSource
                    + " holds " + images.count() + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new MalformedDataException(labelsSource, "offset " + (8 + i), "label must be in 0.." + (classes - 1) + ", got " + labels[i]);
            }
        }
        return new Dataset(name, images.rows() * images.cols(), Dataset.numberedClasses(classes), images.pixels(), labels);
    }

    /** The number of classes the labels name: max + 1, at least 2. */
    public static int classesOf(int[]... labelSets) {
        int max = 1;
        for (int[] ls : labelSets) for (int l : ls) max = Math.max(max, l);
        return max + 1;
    }

    private static byte[] readAll(InputStream in, String source) throws IOException {
        try {
            return Streams.maybeGunzip(in).readAllBytes();
        } catch (ZipException | EOFException e) {
            throw new MalformedDataException(source, "", "damaged or truncated gzip data (" + e.getMessage() + ")");
        }
    }

    private static int[] header(byte[] b, String source, int magic, int ndims, String what) throws MalformedDataException {
        if (b.length < 4) {
            throw new MalformedDataException(source, "offset 0", "truncated: " + b.length + " bytes, an IDX file starts with a 4-byte magic number");
        }
        int m = readInt(b, 0);
        if (m != magic) {
            throw new MalformedDataException(source, "offset 0", "magic number must be " + magic + " (0x" + String.format("%08x", magic)
                    + ", IDX " + what + " of unsigned bytes), got " + m + " (0x" + String.format("%08x", m) + ")");
        }
        int headerLen = 4 + 4 * ndims;
        if (b.length < headerLen) {
            throw new MalformedDataException(source, "offset " + b.length, "truncated header: expected " + headerLen + " bytes, got " + b.length);
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            dims[i] = readInt(b, 4 + 4 * i);
            if (dims[i] < 1) throw new MalformedDataException(source, "offset " + (4 + 4 * i), "dimension " + i + " must be >= 1, got " + dims[i]);
        }
        return dims;
    }

    private static void checkLength(byte[] b, long need, String source) throws MalformedDataException {
        if (b.length < need) {
            throw new MalformedDataException(source, "offset " + b.length, "truncated: the header promises " + need + " bytes, the file has "
                    + b.length);
        }
        if (b.length > need) {
            throw new MalformedDataException(source, "offset " + need, (b.length - need) + " unexpected bytes after the data the header describes");
        }
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
