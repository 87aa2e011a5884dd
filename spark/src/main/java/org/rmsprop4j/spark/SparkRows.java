package org.rmsprop4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.train.Rng;
import org.rmsprop4j.train.data.Dataset;

import scala.Tuple2;

/**
 * A labelled classification data set spread over a Spark cluster: an RDD of {@link RowBlock}s, each
 * holding consecutive rows, partitions in row order. The cluster's counterpart of {@link Dataset}:
 * {@link #split} and {@link #scaled} give exactly the rows and the bits that {@link Dataset#split}
 * and {@link Dataset#scaled} give on one machine, so training on either gives the same parameters.
 *
 * <p>Made by {@link #of} (from a data set in the driver), {@link SparkData#csv} or
 * {@link SparkData#idx} (read by the executors from any path Spark reads). The RDD is cached; call
 * {@link #unpersist()} when done.
 */
public final class SparkRows {
    private final JavaSparkContext sc;
    private final JavaRDD<RowBlock> blocks;
    private final String name;
    private final int size;
    private final int features;
    private final List<String> classNames;

    SparkRows(JavaSparkContext sc, JavaRDD<RowBlock> blocks, String name, int size, int features, List<String> classNames) {
        this.sc = sc;
        this.blocks = blocks;
        this.name = name;
        this.size = size;
        this.features = features;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * The rows of {@code data} in {@code partitions} partitions of consecutive rows (the last ones may be empty).
     *
     * @throws IllegalArgumentException when {@code partitions < 1}
     */
    public static SparkRows of(JavaSparkContext sc, Dataset data, int partitions) {
        Checks.notNull("sc", sc);
        Checks.notNull("data", data);
        Checks.atLeast("partitions", partitions, 1);
        int n = data.size(), d = data.features();
        List<RowBlock> bs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int a = (int) ((long) n * p / partitions), b = (int) ((long) n * (p + 1) / partitions);
            bs.add(new RowBlock(a, d, Arrays.copyOfRange(data.x(), a * d, b * d), Arrays.copyOfRange(data.y(), a, b)));
        }
        JavaRDD<RowBlock> rdd = sc.parallelize(bs, partitions).persist(StorageLevel.MEMORY_ONLY());
        // cut the lineage: otherwise every task reading these rows would carry its partition's rows from the driver again
        rdd.rdd().localCheckpoint();
        rdd.count();
        return new SparkRows(sc, rdd, data.name(), n, d, data.classNames());
    }

    public JavaSparkContext context() { return sc; }

    /** The blocks (cached). */
    public JavaRDD<RowBlock> blocks() { return blocks; }

    public String name() { return name; }

    public int size() { return size; }

    public int features() { return features; }

    public int classes() { return classNames.size(); }

    public List<String> classNames() { return classNames; }

    public int partitions() { return blocks.getNumPartitions(); }

    /** Every row, in order, as one data set in the driver (for a test part, or to check). */
    public Dataset collect(String newName) {
        List<RowBlock> bs = new ArrayList<>(blocks.collect());
        bs.sort(Comparator.comparingInt(b -> b.start));
        float[] x = new float[size * features];
        int[] y = new int[size];
        int next = 0;
        for (RowBlock b : bs) {
            if (b.start != next) throw new IllegalStateException("rows " + next + ".. missing from " + name);
            System.arraycopy(b.x, 0, x, b.start * features, b.x.length);
            System.arraycopy(b.y, 0, y, b.start, b.y.length);
            next += b.size();
        }
        if (next != size) throw new IllegalStateException(name + " has " + next + " rows, expected " + size);
        return new Dataset(newName, features, classNames, x, y);
    }

    /**
     * Splits as {@link Dataset#split(double, long)} does: the same rows, in the same order, go to
     * each part. The permutation ({@code size} ints) is computed in the driver and broadcast; the
     * rows move once (a shuffle).
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) throw Checks.invalid("testFraction", testFraction, "in (0, 1)");
        int nTest = (int) Math.round(size * testFraction);
        if (nTest < 1 || nTest >= size) {
            throw Checks.invalid("testFraction", testFraction, "a fraction that leaves at least one row in each part of " + name
                    + " (" + size + " rows)");
        }
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) perm[i] = i;
        new Rng(seed).shuffle(perm);
        int nTrain = size - nTest;
        int[] target = new int[size]; // row -> position in train (>= 0) or -(1 + position in test)
        for (int i = 0; i < size; i++) target[perm[i]] = i < nTrain ? i : -(1 + i - nTrain);
        Broadcast<int[]> bt = sc.broadcast(target);
        int parts = partitions();
        SparkRows train = reindex(bt, true, nTrain, parts, name + " (train)");
        SparkRows test = reindex(bt, false, nTest, parts, name + " (test)");
        return new Split(train, test);
    }

    private SparkRows reindex(Broadcast<int[]> target, boolean trainPart, int newSize, int parts, String newName) {
        int d = features;
        JavaPairRDD<Integer, RowBlock.Row> rows = blocks.flatMapToPair(b -> {
            int[] t = target.value();
            List<Tuple2<Integer, RowBlock.Row>> out = new ArrayList<>();
            for (int r = 0; r < b.size(); r++) {
                int to = t[b.start + r];
                if ((to >= 0) != trainPart) continue;
                int idx = trainPart ? to : -to - 1;
                out.add(new Tuple2<>(idx, new RowBlock.Row(idx, Arrays.copyOfRange(b.x, r * d, (r + 1) * d), b.y[r])));
            }
            return out.iterator();
        });
        JavaRDD<RowBlock> out = rows.partitionBy(new RangePartitioner(newSize, parts)).values()
                .mapPartitions(it -> List.of(block(it, d)).iterator()).filter(b -> b.size() > 0)
                .persist(StorageLevel.MEMORY_ONLY());
        return new SparkRows(sc, out, newName, newSize, d, classNames);
    }

    /** The rows of one partition, sorted by index, as one block; they must be consecutive. */
    static RowBlock block(Iterator<RowBlock.Row> it, int d) {
        List<RowBlock.Row> rs = new ArrayList<>();
        it.forEachRemaining(rs::add);
        rs.sort(Comparator.comparingInt(r -> r.index));
        float[] x = new float[rs.size() * d];
        int[] y = new int[rs.size()];
        for (int i = 0; i < rs.size(); i++) {
            RowBlock.Row r = rs.get(i);
            if (r.index != rs.get(0).index + i) throw new IllegalStateException("rows of a block are not consecutive at " + r.index);
            System.arraycopy(r.x, 0, x, i * d, d);
            y[i] = r.y;
        }
        return new RowBlock(rs.isEmpty() ? 0 : rs.get(0).index, d, x, y);
    }

    /** As {@link Dataset#scaled(double)}: every feature multiplied by {@code factor}, a finite number {@code > 0}, rounded to float. */
    public SparkRows scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) throw Checks.invalid("factor", factor, "a finite number > 0");
        JavaRDD<RowBlock> out = blocks.map(b -> {
            float[] x = new float[b.x.length];
            for (int i = 0; i < x.length; i++) x[i] = (float) (b.x[i] * factor);
            return new RowBlock(b.start, b.features, x, b.y);
        }).persist(StorageLevel.MEMORY_ONLY());
        return new SparkRows(sc, out, name, size, features, classNames);
    }

    /**
     * Standardised as {@code Standardizer.fit(this).apply(other)} on one machine, to the same bits:
     * the mean and standard deviation are summed in the driver over the rows in order (streamed one
     * partition at a time, twice), then every executor applies them.
     */
    public SparkRows standardizedBy(double[] mean, double[] scale) {
        JavaRDD<RowBlock> out = blocks.map(b -> {
            int dd = b.features;
            float[] x = new float[b.x.length];
            for (int r = 0; r < b.size(); r++) {
                for (int j = 0; j < dd; j++) x[r * dd + j] = (float) ((b.x[r * dd + j] - mean[j]) * scale[j]);
            }
            return new RowBlock(b.start, dd, x, b.y);
        }).persist(StorageLevel.MEMORY_ONLY());
        return new SparkRows(sc, out, name, size, features, classNames);
    }

    /**
     * The per-feature mean and scale ({@code 1/std}, or 1 for a constant feature) of these rows,
     * computed in the driver exactly as {@code org.rmsprop4j.train.data.Standardizer.fit} does, rows
     * in order; returns {@code {mean, scale}}.
     */
    public double[][] standardization() {
        int d = features, n = size;
        if (n == 0) throw Checks.invalid("size of " + name, 0, ">= 1 row to fit a standardisation");
        // partitions hold ascending row ranges (as every SparkRows is made): stream them in partition order
        double[] mean = new double[d];
        int next = 0;
        for (Iterator<RowBlock> it = blocks.toLocalIterator(); it.hasNext(); ) {
            RowBlock b = it.next();
            if (b.start != next) throw new IllegalStateException("rows of " + name + " are not in partition order at row " + next);
            next += b.size();
            for (int r = 0; r < b.size(); r++) for (int j = 0; j < d; j++) mean[j] += b.x[r * d + j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[] var = new double[d];
        for (Iterator<RowBlock> it = blocks.toLocalIterator(); it.hasNext(); ) {
            RowBlock b = it.next();
            for (int r = 0; r < b.size(); r++) {
                for (int j = 0; j < d; j++) {
                    double c = b.x[r * d + j] - mean[j];
                    var[j] += c * c;
                }
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(var[j] / n);
            scale[j] = sd > 0 ? 1.0 / sd : 1.0;
        }
        return new double[][] {mean, scale};
    }

    /** Drops the cached blocks. */
    public void unpersist() { blocks.unpersist(false); }

    @Override public String toString() {
        return name + " [" + size + " rows, " + features + " features, " + classes() + " classes, " + partitions() + " partitions]";
    }

    /** A training part and a test part. */
    public record Split(SparkRows train, SparkRows test) {}

    /** Row index {@code i} of {@code n} goes to partition {@code i * parts / n}: consecutive ranges. */
    static final class RangePartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int n, parts;

        RangePartitioner(int n, int parts) {
            this.n = Math.max(1, n);
            this.parts = parts;
        }

        @Override public int numPartitions() { return parts; }

        @Override public int getPartition(Object key) { return (int) ((long) (Integer) key * parts / n); }

        @Override public boolean equals(Object o) { return o instanceof RangePartitioner r && r.n == n && r.parts == parts; }

        @Override public int hashCode() { return 31 * n + parts; }
    }
}
