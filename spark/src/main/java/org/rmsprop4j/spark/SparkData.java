package org.rmsprop4j.spark;

import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.IdxLoader;
import org.rmsprop4j.train.data.MalformedDataException;

import scala.Tuple2;

/**
 * Reads data sets on the executors, from any path Spark reads ({@code file:}, {@code hdfs:}, {@code s3a:}, a plain
 * local path, ...), in partitions: the cluster's counterpart of {@code CsvLoader} and {@code IdxLoader}, giving the
 * same rows and the same bits.
 *
 * <h2>Errors</h2> A missing path is an {@link IOException} naming it; a malformed file is a
 * {@link MalformedDataException} naming the file, the line (CSV) or byte offset (IDX) and the problem, with the same
 * wording as the single-machine loaders, whichever executor found it.
 */
public final class SparkData {
    private SparkData() {}

    /**
     * Reads a CSV file (or a folder or glob of them, in name order) in the format of {@code CsvLoader}: features then
     * an integer label per line, blank lines skipped, an optional first line {@code rows,features,class0,class1,...}.
     * Lines are split over at least {@code minPartitions} partitions by Spark's text input (a gzip file is one).
     */
    public static SparkRows csv(JavaSparkContext sc, String path, int minPartitions) throws IOException {
        Checks.notNull("sc", sc);
        Checks.notNull("path", path);
        Checks.atLeast("minPartitions", minPartitions, 1);
        String source = checkExists(sc, path);
        JavaRDD<String> lines = sc.textFile(path, minPartitions);
        List<Tuple2<String, Long>> head;
        try {
            head = lines.zipWithIndex().filter(t -> !t._1().isBlank()).take(1);
        } catch (Exception e) { // Spark's Java API throws SparkException (checked) undeclared
            throw unwrap(e, source);
        }
        if (head.isEmpty()) throw new MalformedDataException(source, "", "no data rows");
        String[] f0 = head.get(0)._1().split(",", -1);
        long headerLine = -1;
        int expectRows = -1, features;
        List<String> classNames = null;
        if (!allNumbers(f0)) {
            String where = "line " + (head.get(0)._2() + 1);
            if (f0.length < 4) {
                throw new MalformedDataException(source, where, "a header must be 'rows,features,className0,className1,...' "
                        + "with at least two class names, got '" + abbreviate(head.get(0)._1()) + "'");
            }
            expectRows = headerInt(f0[0], "rows", source, where);
            features = headerInt(f0[1], "features", source, where);
            if (features < 1) throw new MalformedDataException(source, where, "header features must be >= 1, got " + features);
            classNames = new ArrayList<>();
            for (int i = 2; i < f0.length; i++) classNames.add(f0[i].trim());
            headerLine = head.get(0)._2();
        } else {
            if (f0.length < 2) {
                throw new MalformedDataException(source, "line " + (head.get(0)._2() + 1), "expected at least 2 fields (features, then the label), got "
                        + f0.length);
            }
            features = f0.length - 1;
        }
        int d = features, maxClasses = classNames == null ? -1 : classNames.size();
        long skip = headerLine;
        JavaRDD<RowBlock.Row> parsed = lines.zipWithIndex().filter(t -> t._2() != skip && !t._1().isBlank())
                .map(t -> parse(t._1(), t._2() + 1, d, maxClasses, source)).persist(StorageLevel.MEMORY_ONLY());
        JavaRDD<RowBlock> blocks;
        int n;
        int maxLabel;
        try {
            blocks = parsed.zipWithIndex().mapPartitions(it -> {
                List<RowBlock.Row> rs = new ArrayList<>();
                while (it.hasNext()) {
                    Tuple2<RowBlock.Row, Long> t = it.next();
                    rs.add(new RowBlock.Row(Math.toIntExact(t._2()), t._1().x, t._1().y));
                }
                return List.of(SparkRows.block(rs.iterator(), d)).iterator();
            }).filter(b -> b.size() > 0).persist(StorageLevel.MEMORY_ONLY());
            long count = blocks.map(b -> (long) b.size()).fold(0L, Long::sum);
            if (count > Integer.MAX_VALUE - 8) throw new MalformedDataException(source, "", "too many rows for one data set: " + count);
            n = (int) count;
            maxLabel = n == 0 ? -1 : blocks.map(b -> max(b.y)).reduce(Math::max);
        } catch (Exception e) { // Spark's Java API throws SparkException (checked) undeclared
            throw unwrap(e, source);
        } finally {
            parsed.unpersist(false);
        }
        if (n == 0) throw new MalformedDataException(source, "", "no data rows");
        if (expectRows >= 0 && n != expectRows) {
            throw new MalformedDataException(source, "", "the header says " + expectRows + " rows, the file has " + n);
        }
        if (classNames == null) {
            if (maxLabel < 1) throw new MalformedDataException(source, "", "labels must name at least 2 classes, all are " + maxLabel);
            classNames = Dataset.numberedClasses(maxLabel + 1);
        }
        return new SparkRows(sc, blocks, source, n, d, classNames);
    }

    private static RowBlock.Row parse(String line, long lineNo, int features, int classes, String source) throws MalformedDataException {
        if (line.length() > org.rmsprop4j.train.data.CsvLoader.MAX_LINE_CHARS) {
            throw new MalformedDataException(source, "line " + lineNo, "the line is longer than " + org.rmsprop4j.train.data.CsvLoader.MAX_LINE_CHARS
                    + " characters");
        }
        String[] f = line.split(",", -1);
        if (f.length != features + 1) {
            throw new MalformedDataException(source, "line " + lineNo, "expected " + (features + 1) + " fields (" + features
                    + " features and the label), got " + f.length);
        }
        float[] x = new float[features];
        for (int j = 0; j < features; j++) {
            String s = f[j].trim();
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new MalformedDataException(source, "line " + lineNo, "field " + (j + 1) + " must be a number, got '" + abbreviate(s) + "'");
            }
            if (!Double.isFinite(v) || Float.isInfinite((float) v)) {
                throw new MalformedDataException(source, "line " + lineNo, "field " + (j + 1) + " must be a finite number, got '" + abbreviate(s) + "'");
            }
            x[j] = (float) v;
        }
        String ls = f[features].trim();
        int label;
        try {
            label = Integer.parseInt(ls);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(source, "line " + lineNo, "the label (field " + (features + 1)
                    + ") must be a whole number >= 0, got '" + abbreviate(ls) + "'");
        }
        if (label < 0 || (classes >= 0 && label >= classes)) {
            throw new MalformedDataException(source, "line " + lineNo, classes < 0 ? "label must be >= 0, got " + label
                    : "label must be in 0.." + (classes - 1) + " (the header names " + classes + " classes), got " + label);
        }
        return new RowBlock.Row(-1, x, label);
    }

    /**
     * Reads an IDX images file and its labels file (unsigned bytes, as {@code IdxLoader}; plain or gzip) in
     * {@code partitions} partitions of consecutive images: each executor reads only its own range of a plain file
     * (a gzip file is read from its start up to the range). Classes are {@code 0..max label}. Pixels are grey levels
     * 0..255, not scaled (see {@link SparkRows#scaled}).
     */
    public static SparkRows idx(JavaSparkContext sc, String images, String labels, int partitions) throws IOException {
        Checks.notNull("sc", sc);
        Checks.atLeast("partitions", partitions, 1);
        String si = checkExists(sc, images), sl = checkExists(sc, labels);
        Configuration conf = sc.hadoopConfiguration();
        int[] di = idxHeader(conf, images, si, IdxLoader.IMAGES_MAGIC, 3);
        int[] dl = idxHeader(conf, labels, sl, IdxLoader.LABELS_MAGIC, 1);
        int n = di[0], d = di[1] * di[2];
        if (dl[0] != n) throw new MalformedDataException(sl, "", "holds " + dl[0] + " labels for " + n + " images in " + si);
        SerializableConfiguration sconf = new SerializableConfiguration(conf);
        List<int[]> ranges = new ArrayList<>();
        for (int p = 0; p < partitions; p++) ranges.add(new int[] {(int) ((long) n * p / partitions), (int) ((long) n * (p + 1) / partitions)});
        JavaRDD<RowBlock> blocks = sc.parallelize(ranges, partitions).map(r -> {
            int a = r[0], b = r[1];
            byte[] px = readRange(sconf.value(), images, si, 16 + (long) a * d, (long) (b - a) * d);
            byte[] lb = readRange(sconf.value(), labels, sl, 8 + (long) a, b - a);
            float[] x = new float[px.length];
            for (int i = 0; i < x.length; i++) x[i] = px[i] & 0xff;
            int[] y = new int[lb.length];
            for (int i = 0; i < y.length; i++) y[i] = lb[i] & 0xff;
            return new RowBlock(a, d, x, y);
        }).filter(b -> b.size() > 0).persist(StorageLevel.MEMORY_ONLY());
        int maxLabel;
        try {
            maxLabel = blocks.map(b -> max(b.y)).reduce(Math::max);
        } catch (Exception e) {
            throw unwrap(e, si);
        }
        if (maxLabel < 1) throw new MalformedDataException(sl, "", "labels must name at least 2 classes, all are " + maxLabel);
        return new SparkRows(sc, blocks, si, n, d, Dataset.numberedClasses(maxLabel + 1));
    }

    /** Checks magic, dimensions and (for a plain file) length; returns the dimensions. */
    private static int[] idxHeader(Configuration conf, String path, String source, int magic, int dims) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        int[] out = new int[dims];
        long need;
        try (InputStream raw = open(conf, p); DataInputStream in = new DataInputStream(raw)) {
            int m;
            try {
                m = in.readInt();
                if (m != magic) {
                    throw new MalformedDataException(source, "offset 0", String.format("magic number must be 0x%08x (%s), got 0x%08x",
                            magic, dims == 3 ? "unsigned-byte images, 3 dimensions" : "unsigned-byte labels, 1 dimension", m));
                }
                need = 4L + 4L * dims;
                long product = 1;
                for (int i = 0; i < dims; i++) {
                    out[i] = in.readInt();
                    if (out[i] < 1) throw new MalformedDataException(source, "offset " + (4 + 4 * i), "size " + (i + 1) + " must be >= 1, got " + out[i]);
                    product *= out[i];
                }
                if (product > Integer.MAX_VALUE - 8) throw new MalformedDataException(source, "offset 4", "too large: " + product + " bytes");
                need += product;
            } catch (java.io.EOFException e) {
                throw new MalformedDataException(source, "", "truncated header");
            }
        }
        if (codec == null) {
            long len = fs.getFileStatus(p).getLen();
            if (len < need) throw new MalformedDataException(source, "offset " + len, "truncated: " + need + " bytes expected, the file has " + len);
            if (len > need) throw new MalformedDataException(source, "offset " + need, (len - need) + " extra bytes after the data");
        }
        return out;
    }

    private static InputStream open(Configuration conf, Path p) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        FSDataInputStream in = fs.open(p);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        return codec == null ? in : codec.createInputStream(in);
    }

    private static byte[] readRange(Configuration conf, String path, String source, long offset, long length) throws IOException {
        Path p = new Path(path);
        byte[] out = new byte[Math.toIntExact(length)];
        try (InputStream in = open(conf, p)) {
            if (in instanceof FSDataInputStream s) {
                s.seek(offset);
            } else {
                for (long skipped = 0; skipped < offset; ) {
                    long k = in.skip(offset - skipped);
                    if (k <= 0) {
                        if (in.read() < 0) throw new MalformedDataException(source, "offset " + skipped, "truncated");
                        k = 1;
                    }
                    skipped += k;
                }
            }
            int got = in.readNBytes(out, 0, out.length);
            if (got < out.length) throw new MalformedDataException(source, "offset " + (offset + got), "truncated");
        }
        return out;
    }

    /** Refuses a path that matches nothing; returns the name used in messages. */
    private static String checkExists(JavaSparkContext sc, String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
        FileStatus[] st = fs.globStatus(p);
        if (st == null || st.length == 0) throw new FileNotFoundException("data set '" + path + "': no such file or folder (" + fs.getUri() + ")");
        return p.getName();
    }

    /** The first {@link MalformedDataException} (or I/O error) an executor threw, as the driver's exception. */
    static IOException unwrap(Exception e, String source) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MalformedDataException m) return m;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io && !(t instanceof SparkException)) return new IOException(source + ": " + io.getMessage(), io);
        }
        // a failed task's exception often reaches the driver only as text in the job's failure message
        String m = String.valueOf(e.getMessage());
        String tag = MalformedDataException.class.getName() + ": ";
        int at = m.indexOf(tag);
        if (at >= 0) {
            String text = m.substring(at + tag.length()).lines().findFirst().orElse("");
            int colon = text.indexOf(": ");
            if (text.startsWith(source) && colon > 0) {
                String where = text.substring(source.length(), colon).trim();
                return new MalformedDataException(source, where, text.substring(colon + 2));
            }
            return new MalformedDataException(source, "", text);
        }
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof IOException io) return io;
        return new IOException(source + ": " + e.getMessage(), e);
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) m = Math.max(m, v);
        return m;
    }

    private static boolean allNumbers(String[] f) {
        for (String s : f) {
            try {
                Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static int headerInt(String s, String what, String source, String where) throws MalformedDataException {
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new MalformedDataException(source, where, "header " + what + " must be a whole number >= 0, got '" + abbreviate(s) + "'");
        }
    }

    private static String abbreviate(String s) { return s.length() <= 60 ? s : s.substring(0, 57) + "..."; }
}
