package org.rmsprop4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

import scala.Tuple2;

/**
 * A {@link Trainer.BatchGradients} whose gradients the executors of a Spark cluster compute:
 * synchronous data parallelism that gives the bits of the single-machine {@link Trainer}.
 *
 * <h2>How</h2>
 * <ol>
 * <li>At the start of every epoch the trainer's row order is broadcast and the rows are moved once
 * (one shuffle) so that every chunk of {@code chunkSize} consecutive positions of the epoch lies whole,
 * in order, in one partition: chunk {@code g} (counting over the whole epoch) goes to partition
 * {@code g mod partitions}.</li>
 * <li>Every step is one Spark job: the parameters are broadcast, each partition computes the gradient of
 * each of its chunks of that batch ({@link Model#accumulate} over the chunk's rows in order, from zero,
 * exactly as the trainer's threads do) and the chunks' gradients come back to the driver
 * ({@code collect}), keyed by their index in the batch.</li>
 * <li>The driver sums them in chunk order, as {@link Trainer} does; the trainer divides, adds the
 * penalty and steps the optimizer.</li>
 * </ol>
 * No tree reduce: its order of additions would depend on the partitions. The cost is one gradient
 * ({@code 8 × parameters} bytes) per chunk through the driver per step, which is why larger chunks and
 * batches pay off on a cluster (see the module's README section).
 *
 * <p>Not thread-safe; one per {@link Trainer}. {@link #close()} drops the cached epoch layout.
 */
public final class SparkGradients implements Trainer.BatchGradients, AutoCloseable {
    private final SparkRows train;
    private final ModelKey model;
    private final int batchSize, chunkSize, partitions;
    private JavaRDD<EpochPart> epoch;
    private int[] lastOrder;
    private long jobs;

    /**
     * @param train      the training rows (as {@link SparkRows#split} or {@link SparkRows#of} made them)
     * @param model      the model the trainer trains (re-made from its spec on the executors)
     * @param batchSize  the trainer's {@code TrainConfig.batchSize()}
     * @param chunkSize  the trainer's {@code TrainConfig.chunkSize()}
     * @param partitions partitions of the epoch layout ({@code >= 1}; usually the executors' cores)
     * @param l2         the model's L2 strength (to re-make the same model)
     */
    public SparkGradients(SparkRows train, Model model, int batchSize, int chunkSize, int partitions, double l2) {
        this.train = Checks.notNull("train", train);
        Checks.notNull("model", model);
        Checks.atLeast("batchSize", batchSize, 1);
        Checks.atLeast("chunkSize", chunkSize, 1);
        Checks.atLeast("partitions", partitions, 1);
        if (train.features() != model.inputs()) {
            throw Checks.invalid("features of " + train.name(), train.features(), model.inputs() + " (the model's inputs)");
        }
        if (train.classes() > model.classes()) {
            throw Checks.invalid("classes of " + train.name(), train.classes(), "<= " + model.classes() + " (the model's outputs)");
        }
        this.model = new ModelKey(model.spec(), model.inputs(), model.classes(), l2, train.classes());
        this.batchSize = batchSize;
        this.chunkSize = chunkSize;
        this.partitions = partitions;
    }

    /** Spark jobs run for steps so far (one per step). */
    public long jobs() { return jobs; }

    @Override public void epochStarted(int[] order) {
        if (order.length != train.size()) throw Checks.invalid("order length", order.length, train.size() + " (training rows)");
        if (lastOrder != null && Arrays.equals(lastOrder, order)) return;
        int[] pos = new int[order.length];
        for (int i = 0; i < order.length; i++) pos[order[i]] = i;
        Broadcast<int[]> bp = train.context().broadcast(pos);
        int bs = batchSize, cs = chunkSize, parts = partitions, d = train.features();
        int perBatch = (bs + cs - 1) / cs;
        JavaRDD<EpochPart> next = train.blocks().flatMapToPair(b -> {
            int[] p = bp.value();
            List<Tuple2<Integer, RowBlock.Row>> out = new ArrayList<>(b.size());
            for (int r = 0; r < b.size(); r++) {
                int at = p[b.start + r];
                int batch = at / bs, chunk = (at - batch * bs) / cs;
                out.add(new Tuple2<>(batch * perBatch + chunk, new RowBlock.Row(at, Arrays.copyOfRange(b.x, r * d, (r + 1) * d), b.y[r])));
            }
            return out.iterator();
        }).partitionBy(new ModPartitioner(parts)).mapPartitions(it -> List.of(EpochPart.of(it, bs, cs, d)).iterator())
                .persist(StorageLevel.MEMORY_ONLY());
        next.count(); // the shuffle happens now, not inside the first step
        bp.destroy();
        if (epoch != null) epoch.unpersist(false);
        epoch = next;
        lastOrder = order.clone();
    }

    @Override public double sum(double[] params, int[] order, int from, int to, double[] grad) {
        if (epoch == null) throw new IllegalStateException("epochStarted was not called");
        if (from % batchSize != 0) throw Checks.invalid("from", from, "a multiple of the batch size " + batchSize);
        int batch = from / batchSize;
        int chunks = (to - from + chunkSize - 1) / chunkSize;
        Broadcast<double[]> bp = train.context().broadcast(params.clone());
        ModelKey mk = model;
        List<ChunkGradient> got;
        try {
            got = epoch.flatMap(part -> part.gradients(batch, bp.value(), mk)).collect();
        } finally {
            bp.destroy();
        }
        jobs++;
        List<ChunkGradient> gs = new ArrayList<>(got);
        gs.sort(Comparator.comparingInt(g -> g.index));
        if (gs.size() != chunks) throw new IllegalStateException("batch " + batch + ": " + gs.size() + " chunk gradients, expected " + chunks);
        System.arraycopy(gs.get(0).grad, 0, grad, 0, grad.length);
        double loss = gs.get(0).loss;
        for (int c = 1; c < chunks; c++) {
            ChunkGradient g = gs.get(c);
            if (g.index != c) throw new IllegalStateException("batch " + batch + ": chunk " + c + " missing");
            for (int i = 0; i < grad.length; i++) grad[i] += g.grad[i];
            loss += g.loss;
        }
        return loss;
    }

    /** The executors compute float32 chunks too, for models with a float32 path (the trainer asks only then). */
    @Override public boolean float32() { return true; }

    /** {@link #sum} in float32: each chunk's {@code Model.accumulate32}, summed on the driver in chunk order in float32. */
    @Override public double sum32(float[] params, int[] order, int from, int to, float[] grad) {
        if (epoch == null) throw new IllegalStateException("epochStarted was not called");
        if (from % batchSize != 0) throw Checks.invalid("from", from, "a multiple of the batch size " + batchSize);
        int batch = from / batchSize;
        int chunks = (to - from + chunkSize - 1) / chunkSize;
        Broadcast<float[]> bp = train.context().broadcast(params.clone());
        ModelKey mk = model;
        List<ChunkGradient32> got;
        try {
            got = epoch.flatMap(part -> part.gradients32(batch, bp.value(), mk)).collect();
        } finally {
            bp.destroy();
        }
        jobs++;
        List<ChunkGradient32> gs = new ArrayList<>(got);
        gs.sort(Comparator.comparingInt(g -> g.index));
        if (gs.size() != chunks) throw new IllegalStateException("batch " + batch + ": " + gs.size() + " chunk gradients, expected " + chunks);
        System.arraycopy(gs.get(0).grad, 0, grad, 0, grad.length);
        double loss = gs.get(0).loss;
        for (int c = 1; c < chunks; c++) {
            ChunkGradient32 g = gs.get(c);
            if (g.index != c) throw new IllegalStateException("batch " + batch + ": chunk " + c + " missing");
            for (int i = 0; i < grad.length; i++) grad[i] += g.grad[i];
            loss += g.loss;
        }
        return loss;
    }

    @Override public void close() {
        if (epoch != null) epoch.unpersist(false);
        epoch = null;
        lastOrder = null;
    }

    /** How the executors re-make the model: from its spec. */
    record ModelKey(String spec, int inputs, int classes, double l2, int dataClasses) implements Serializable {
        private static final Map<ModelKey, Model> MODELS = new ConcurrentHashMap<>();

        Model get() { return MODELS.computeIfAbsent(this, k -> Models.parse(k.spec, k.inputs, k.classes, k.l2)); }
    }

    /** One chunk's summed gradient and loss. */
    static final class ChunkGradient implements Serializable {
        private static final long serialVersionUID = 1L;
        final int index;
        final double loss;
        final double[] grad;

        ChunkGradient(int index, double loss, double[] grad) {
            this.index = index;
            this.loss = loss;
            this.grad = grad;
        }
    }

    /** One chunk's float32 gradient and its loss. */
    static final class ChunkGradient32 implements Serializable {
        private static final long serialVersionUID = 1L;
        final int index;
        final double loss;
        final float[] grad;

        ChunkGradient32(int index, double loss, float[] grad) {
            this.index = index;
            this.loss = loss;
            this.grad = grad;
        }
    }

    /** The chunks of one epoch that one partition holds, by batch. */
    static final class EpochPart implements Serializable {
        private static final long serialVersionUID = 1L;
        final Map<Integer, List<Chunk>> byBatch = new HashMap<>();
        final int features;

        private EpochPart(int features) { this.features = features; }

        static EpochPart of(Iterator<Tuple2<Integer, RowBlock.Row>> it, int bs, int cs, int d) {
            Map<Integer, List<RowBlock.Row>> rows = new HashMap<>();
            while (it.hasNext()) {
                Tuple2<Integer, RowBlock.Row> t = it.next();
                rows.computeIfAbsent(t._1(), k -> new ArrayList<>()).add(t._2());
            }
            EpochPart p = new EpochPart(d);
            for (List<RowBlock.Row> rs : rows.values()) {
                rs.sort(Comparator.comparingInt(r -> r.index));
                int first = rs.get(0).index, batch = first / bs;
                float[] x = new float[rs.size() * d];
                int[] y = new int[rs.size()];
                for (int i = 0; i < rs.size(); i++) {
                    System.arraycopy(rs.get(i).x, 0, x, i * d, d);
                    y[i] = rs.get(i).y;
                }
                p.byBatch.computeIfAbsent(batch, k -> new ArrayList<>()).add(new Chunk((first - batch * bs) / cs, x, y));
            }
            return p;
        }

        Iterator<ChunkGradient> gradients(int batch, double[] params, ModelKey mk) {
            List<Chunk> cs = byBatch.get(batch);
            if (cs == null) return java.util.Collections.emptyIterator();
            Model m = mk.get();
            Object scratch = m.newScratch();
            List<ChunkGradient> out = new ArrayList<>(cs.size());
            for (Chunk c : cs) {
                Dataset data = new Dataset("chunk", features, Dataset.numberedClasses(mk.dataClasses()), c.x, c.y);
                int[] rows = new int[c.y.length];
                for (int i = 0; i < rows.length; i++) rows[i] = i;
                double[] g = new double[params.length];
                double loss = m.accumulate(params, data, rows, 0, rows.length, g, scratch);
                out.add(new ChunkGradient(c.index, loss, g));
            }
            return out.iterator();
        }

        Iterator<ChunkGradient32> gradients32(int batch, float[] params, ModelKey mk) {
            List<Chunk> cs = byBatch.get(batch);
            if (cs == null) return java.util.Collections.emptyIterator();
            Model m = mk.get();
            Object scratch = m.newScratch32();
            Object prepared = m.prepare32(params, null);
            List<ChunkGradient32> out = new ArrayList<>(cs.size());
            for (Chunk c : cs) {
                Dataset data = new Dataset("chunk", features, Dataset.numberedClasses(mk.dataClasses()), c.x, c.y);
                int[] rows = new int[c.y.length];
                for (int i = 0; i < rows.length; i++) rows[i] = i;
                float[] g = new float[params.length];
                double loss = m.accumulate32(prepared, data, rows, 0, rows.length, g, scratch);
                out.add(new ChunkGradient32(c.index, loss, g));
            }
            return out.iterator();
        }
    }

    /** Rows of one chunk, in epoch order. */
    record Chunk(int index, float[] x, int[] y) implements Serializable {}

    /** Chunk {@code g} of the epoch goes to partition {@code g mod parts}. */
    static final class ModPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int parts;

        ModPartitioner(int parts) { this.parts = parts; }

        @Override public int numPartitions() { return parts; }

        @Override public int getPartition(Object key) { return (Integer) key % parts; }

        @Override public boolean equals(Object o) { return o instanceof ModPartitioner m && m.parts == parts; }

        @Override public int hashCode() { return parts; }
    }
}
