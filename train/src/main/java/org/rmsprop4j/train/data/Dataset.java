package org.rmsprop4j.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.train.Rng;

/**
 * A labelled classification data set held in memory: {@code size} rows of {@code features} numbers
 * (row-major in one {@code float[]}) and one class label {@code 0..classes-1} per row. Immutable by
 * contract: the arrays are not copied on the way out, and nothing in this library writes to them.
 */
public final class Dataset {
    private final String name;
    private final int features;
    private final List<String> classNames;
    private final float[] x;
    private final int[] y;

    /**
     * @param name        where the data came from (for messages)
     * @param features    numbers per row, {@code >= 1}
     * @param classNames  one name per class, at least 2
     * @param x           {@code size * features} numbers, row-major
     * @param y           {@code size} labels, each in {@code [0, classNames.size())}
     * @throws IllegalArgumentException when the shapes disagree or a label is out of range
     */
    public Dataset(String name, int features, List<String> classNames, float[] x, int[] y) {
        this.name = Checks.notNull("name", name);
        Checks.atLeast("features", features, 1);
        Checks.notNull("classNames", classNames);
        if (classNames.size() < 2) throw Checks.invalid("number of classes of " + name, classNames.size(), ">= 2");
        Checks.notNull("x", x);
        Checks.notNull("y", y);
        if ((long) y.length * features != x.length) {
            throw Checks.invalid("x.length of " + name, x.length, "labels (" + y.length + ") x features (" + features + ")");
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classNames.size()) {
                throw Checks.invalid("label of row " + i + " of " + name, y[i], "in 0.." + (classNames.size() - 1));
            }
        }
        this.features = features;
        this.classNames = List.copyOf(classNames);
        this.x = x;
        this.y = y;
    }

    /** Class names {@code "0".."k-1"}. */
    public static List<String> numberedClasses(int k) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) names.add(Integer.toString(i));
        return Collections.unmodifiableList(names);
    }

    public String name() { return name; }

    public int size() { return y.length; }

    public int features() { return features; }

    public int classes() { return classNames.size(); }

    public List<String> classNames() { return classNames; }

    /** The features, row-major; do not modify. */
    public float[] x() { return x; }

    /** The labels; do not modify. */
    public int[] y() { return y; }

    /** The rows {@code rows} (in that order) as a new data set. */
    public Dataset subset(int[] rows, String newName) {
        float[] nx = new float[rows.length * features];
        int[] ny = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            int src = rows[r];
            if (src < 0 || src >= size()) throw Checks.invalid("row index", src, "in 0.." + (size() - 1));
            System.arraycopy(x, src * features, nx, r * features, features);
            ny[r] = y[src];
        }
        return new Dataset(newName, features, classNames, nx, ny);
    }

    /** This data set with every feature multiplied by {@code factor}, a finite number {@code > 0}. */
    public Dataset scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) throw Checks.invalid("factor", factor, "a finite number > 0");
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) (x[i] * factor);
        return new Dataset(name, features, classNames, out, y);
    }

    /**
     * Splits into a training and a test part: rows are shuffled with {@code seed}, the last
     * {@code round(size * testFraction)} go to the test part.
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) throw Checks.invalid("testFraction", testFraction, "in (0, 1)");
        int nTest = (int) Math.round(size() * testFraction);
        if (nTest < 1 || nTest >= size()) {
            throw Checks.invalid("testFraction", testFraction, "a fraction that leaves at least one row in each part of " + name
                    + " (" + size() + " rows)");
        }
        int[] perm = new int[size()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        new Rng(seed).shuffle(perm);
        int[] tr = new int[size() - nTest];
        int[] te = new int[nTest];
        System.arraycopy(perm, 0, tr, 0, tr.length);
        System.arraycopy(perm, tr.length, te, 0, nTest);
        return new Split(subset(tr, name + " (train)"), subset(te, name + " (test)"));
    }

    @Override public String toString() {
        return name + " [" + size() + " rows, " + features + " features, " + classes() + " classes]";
    }

    /** A training part and a test part with the same features and classes. */
    public record Split(Dataset train, Dataset test) {
        public Split {
            Checks.notNull("train", train);
            Checks.notNull("test", test);
            if (train.features() != test.features()) {
                throw Checks.invalid("features of the test part", test.features(), train.features() + " (as the training part)");
            }
            if (!train.classNames().equals(test.classNames())) {
                throw Checks.invalid("classes of the test part", test.classNames(), train.classNames() + " (as the training part)");
            }
        }

        /**
         * Both parts with every feature multiplied by {@code factor} (e.g. {@code 1/255} for grey levels,
         * the usual preparation of MNIST: per-pixel standardisation blows up rarely inked border pixels).
         */
        public Split scaled(double factor) {
            return new Split(train.scaled(factor), test.scaled(factor));
        }

        /** Both parts standardised with the mean and standard deviation of the training part only. */
        public Split standardized() {
            Standardizer s = Standardizer.fit(train);
            return new Split(s.apply(train), s.apply(test));
        }
    }
}
