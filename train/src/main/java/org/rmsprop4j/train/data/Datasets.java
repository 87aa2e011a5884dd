package org.rmsprop4j.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.rmsprop4j.internal.Checks;

/**
 * The data sets shipped inside this jar (see {@code org/rmsprop4j/data/README.md} for origin and
 * licence) and loading by name or path.
 *
 * <table>
 * <caption>Shipped data sets</caption>
 * <tr><th>name</th><th>rows</th><th>features</th><th>classes</th><th>split</th></tr>
 * <tr><td>{@code digits}</td><td>1,797</td><td>64 (8x8, 0..16)</td><td>10</td><td>random, seeded</td></tr>
 * <tr><td>{@code breast-cancer}</td><td>569</td><td>30</td><td>2</td><td>random, seeded</td></tr>
 * <tr><td>{@code iris}</td><td>150</td><td>4</td><td>3</td><td>random, seeded</td></tr>
 * <tr><td>{@code wine}</td><td>178</td><td>13</td><td>3</td><td>random, seeded</td></tr>
 * <tr><td>{@code mnist10k}</td><td>10,000</td><td>784 (28x28, 0..255)</td><td>10</td><td>as shipped: 8,000 / 2,000</td></tr>
 * </table>
 *
 * A path may name a CSV file ({@link CsvLoader}), an IDX images file whose labels file has the same
 * name with {@code images-idx3} replaced by {@code labels-idx1}, or a folder holding the MNIST
 * files ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]} and the
 * {@code t10k-} or {@code test-} pair), whose own split is kept.
 */
public final class Datasets {
    /** Names of the shipped data sets. */
    public static final List<String> SHIPPED = List.of("digits", "breast-cancer", "iris", "wine", "mnist10k");

    private static final String BASE = "/org/rmsprop4j/data/";

    private Datasets() {}

    /**
     * Loads a shipped data set by name, or a file or folder by path, and splits it: data sets that
     * come with a split keep it, the others are split with {@code testFraction} and {@code seed}.
     * The parts are not standardised (see {@link Dataset.Split#standardized()}).
     *
     * @throws IllegalArgumentException for an unknown name or a path that does not exist
     * @throws MalformedDataException   for a file that cannot be read as its format
     */
    public static Dataset.Split load(String nameOrPath, double testFraction, long seed) throws IOException {
        return load(nameOrPath, testFraction, seed, null);
    }

    /**
     * As {@link #load(String, double, long)}, with the label column of a CSV file: a 1-based number, or
     * a column name of its header (see {@link CsvLoader}); {@code null} for the last column.
     *
     * @throws IllegalArgumentException also when {@code labelColumn} is given for data that is not a CSV file
     */
    public static Dataset.Split load(String nameOrPath, double testFraction, long seed, String labelColumn) throws IOException {
        Checks.notNull("data set", nameOrPath);
        if (labelColumn != null && !isCsvPath(nameOrPath)) {
            throw new IllegalArgumentException("labelColumn applies to CSV files only, not to '" + nameOrPath + "'");
        }
        String key = nameOrPath.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (key) {
            case "digits": return csvResource("digits.csv.gz", "digits").split(testFraction, seed);
            case "breast-cancer": return csvResource("breast_cancer.csv", "breast-cancer").split(testFraction, seed);
            case "iris": return csvResource("iris.csv", "iris").split(testFraction, seed);
            case "wine": return csvResource("wine_data.csv", "wine").split(testFraction, seed);
            case "mnist10k": return mnist10k();
            default: break;
        }
        Path p = Path.of(nameOrPath);
        if (!Files.exists(p)) {
            throw Checks.invalid("data set", "'" + nameOrPath + "'", "one of " + String.join(", ", SHIPPED) + " or an existing file or folder");
        }
        if (Files.isDirectory(p)) return idxFolder(p);
        String fn = p.getFileName().toString();
        if (fn.contains("images-idx3")) {
            Path labels = p.resolveSibling(fn.replace("images-idx3", "labels-idx1"));
            if (!Files.exists(labels)) throw Checks.invalid("labels file for " + fn, "'" + labels + "'", "an existing file (it does not exist)");
            IdxLoader.Images im = IdxLoader.readImages(p);
            int[] y = IdxLoader.readLabels(labels);
            return IdxLoader.dataset(fn, im, fn, y, labels.getFileName().toString(), IdxLoader.classesOf(y)).split(testFraction, seed);
        }
        return CsvLoader.load(p, labelColumn).split(testFraction, seed);
    }

    /** Whether {@code nameOrPath} is read as a CSV file: an existing regular file that is neither a shipped name nor IDX images. */
    private static boolean isCsvPath(String nameOrPath) {
        if (SHIPPED.contains(nameOrPath.trim().toLowerCase(Locale.ROOT).replace('_', '-'))) return false;
        Path p = Path.of(nameOrPath);
        return !Files.isDirectory(p) && (p.getFileName() == null || !p.getFileName().toString().contains("images-idx3"));
    }

    /**
     * Whether {@code nameOrPath} names image data in IDX form (mnist10k, an IDX file or a folder of
     * them), which is usually scaled by 1/255 rather than standardised.
     */
    public static boolean isImages(String nameOrPath) {
        String key = nameOrPath.trim().toLowerCase(Locale.ROOT);
        if (key.equals("mnist10k")) return true;
        if (SHIPPED.contains(key.replace('_', '-'))) return false;
        Path p = Path.of(nameOrPath);
        return Files.isDirectory(p) || p.getFileName().toString().contains("-idx3");
    }

    /** The shipped MNIST subset with its own split (8,000 training and 2,000 test images). */
    public static Dataset.Split mnist10k() throws IOException {
        IdxLoader.Images trI = images("mnist10k-train-images-idx3-ubyte.gz");
        int[] trY = labels("mnist10k-train-labels-idx1-ubyte.gz");
        IdxLoader.Images teI = images("mnist10k-test-images-idx3-ubyte.gz");
        int[] teY = labels("mnist10k-test-labels-idx1-ubyte.gz");
        int k = IdxLoader.classesOf(trY, teY);
        return new Dataset.Split(
                IdxLoader.dataset("mnist10k (train)", trI, "mnist10k-train-images-idx3-ubyte.gz", trY, "mnist10k-train-labels-idx1-ubyte.gz", k),
                IdxLoader.dataset("mnist10k (test)", teI, "mnist10k-test-images-idx3-ubyte.gz", teY, "mnist10k-test-labels-idx1-ubyte.gz", k));
    }

    private static IdxLoader.Images images(String file) throws IOException {
        try (InputStream in = resource(file)) {
            return IdxLoader.readImages(in, file);
        }
    }

    private static int[] labels(String file) throws IOException {
        try (InputStream in = resource(file)) {
            return IdxLoader.readLabels(in, file);
        }
    }

    private static Dataset.Split idxFolder(Path dir) throws IOException {
        Path trI = find(dir, "train-images-idx3-ubyte"), trL = find(dir, "train-labels-idx1-ubyte");
        Path teI = find(dir, "t10k-images-idx3-ubyte"), teL = find(dir, "t10k-labels-idx1-ubyte");
        if (teI == null) teI = find(dir, "test-images-idx3-ubyte");
        if (teL == null) teL = find(dir, "test-labels-idx1-ubyte");
        if (trI == null || trL == null || teI == null || teL == null) {
            throw Checks.invalid("data set folder", "'" + dir + "'", "a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                    + "t10k- (or test-) images and labels (optionally .gz, optionally with a prefix)");
        }
        IdxLoader.Images a = IdxLoader.readImages(trI), c = IdxLoader.readImages(teI);
        int[] b = IdxLoader.readLabels(trL), d = IdxLoader.readLabels(teL);
        int k = IdxLoader.classesOf(b, d);
        String n = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        return new Dataset.Split(IdxLoader.dataset(n + " (train)", a, trI.getFileName().toString(), b, trL.getFileName().toString(), k),
                IdxLoader.dataset(n + " (test)", c, teI.getFileName().toString(), d, teL.getFileName().toString(), k));
    }

    private static Path find(Path dir, String stem) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(stem) || n.endsWith(stem + ".gz");
            }).sorted().findFirst().orElse(null);
        }
    }

    private static Dataset csvResource(String file, String name) throws IOException {
        try (InputStream in = resource(file)) {
            Dataset d = CsvLoader.load(in, file);
            return new Dataset(name, d.features(), d.classNames(), d.x(), d.y());
        }
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = Datasets.class.getResourceAsStream(BASE + file);
        if (in == null) throw new IOException("shipped data file " + BASE + file + " is missing from the class path");
        return in;
    }
}
