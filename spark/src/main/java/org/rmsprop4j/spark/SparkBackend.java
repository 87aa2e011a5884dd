package org.rmsprop4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.model.Model;

/**
 * A Spark context and the gradients of one training run, for callers that must not link against Spark:
 * {@code rmsprop4j train --spark URL} finds this class by name (the CLI's jar does not contain Spark; the launcher
 * adds this module and Spark to the class path only when {@code --spark} is given). Library users use
 * {@link SparkRows}, {@link SparkData} and {@link SparkGradients} directly.
 */
public final class SparkBackend implements AutoCloseable {
    private final JavaSparkContext sc;
    private final boolean owned;
    private final int partitions;
    private SparkRows rows;
    private SparkGradients gradients;

    private SparkBackend(JavaSparkContext sc, boolean owned, int partitions) {
        this.sc = sc;
        this.owned = owned;
        this.partitions = partitions;
    }

    /**
     * Starts a Spark context on {@code master} ({@code local[2]}, {@code spark://host:7077}, ...; {@code null}: the
     * one spark-submit gives). A local master binds to 127.0.0.1; the web UI is off unless configured. When this JVM
     * already has an active Spark context, that one is used (and {@link #close()} leaves it running).
     *
     * @param partitions partitions of the training rows, or {@code 0} for Spark's default parallelism
     */
    public static SparkBackend open(String master, int partitions) {
        Checks.atLeast("partitions", partitions, 0);
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "rmsprop4j-spark-log4j2.properties");
        }
        SparkConf conf = new SparkConf().setAppName("rmsprop4j train").setIfMissing("spark.ui.enabled", "false");
        if (master != null) {
            if (master.isBlank()) throw Checks.invalid("--spark", "''", "a Spark master URL such as local[2] or spark://host:7077");
            conf.setMaster(master.trim());
        }
        if (conf.get("spark.master", "").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        } else {
            // executors of a cluster need our classes: ship the jars they come from (spark-submit sets spark.jars itself)
            conf.setIfMissing("spark.jars", String.join(",", ourJars()));
        }
        long before = System.currentTimeMillis();
        SparkContext c = SparkContext.getOrCreate(conf); // the running one, if any (conf is then ignored)
        boolean owned = c.startTime() >= before;
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(c);
        if (owned) sc.setLogLevel("WARN");
        return new SparkBackend(sc, owned, partitions == 0 ? sc.defaultParallelism() : partitions);
    }

    /** The jar files holding this module, train and core (one jar when they are shaded together). */
    static java.util.List<String> ourJars() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {SparkBackend.class, Trainer.class, org.rmsprop4j.optim.Optimizer.class}) {
            java.security.CodeSource cs = c.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) continue;
            String f = cs.getLocation().toString();
            if (f.endsWith(".jar")) out.add(f);
        }
        return new java.util.ArrayList<>(out);
    }

    /** The Spark context ({@link #close()} stops it if {@link #open} started it). */
    public JavaSparkContext context() { return sc; }

    /** Partitions used for the training rows and the epoch layout. */
    public int partitions() { return partitions; }

    /** A description for the command's header line, e.g. {@code "local[2], 2 partitions, Spark 4.1.0"}. */
    public String describe() { return sc.master() + ", " + partitions + " partitions, Spark " + sc.version(); }

    /**
     * Spreads {@code train} over the cluster and returns the gradients a {@link Trainer} with {@code config} uses
     * in {@link Trainer#fit(int, Trainer.BatchGradients, Dataset, Dataset, org.rmsprop4j.train.TrainingListener)}.
     */
    public Trainer.BatchGradients gradients(Dataset train, Model model, TrainConfig config, double l2) {
        if (gradients != null) throw new IllegalStateException("gradients already made; one run per backend");
        rows = SparkRows.of(sc, train, partitions);
        gradients = new SparkGradients(rows, model, config.batchSize(), config.chunkSize(), partitions, l2);
        return gradients;
    }

    /** Spark jobs run by the gradients so far (one per step). */
    public long jobs() { return gradients == null ? 0 : gradients.jobs(); }

    /** Drops cached data and stops the Spark context. */
    @Override public void close() {
        try {
            if (gradients != null) gradients.close();
            if (rows != null && !owned) rows.unpersist(); // stopping an owned context frees everything anyway
        } finally {
            if (owned) sc.stop();
        }
    }
}
