package org.rmsprop4j.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.model.Model;

/**
 * {@code train --spark}: the {@code spark} module's {@code SparkBackend}, found by name so that this jar neither
 * contains nor loads Spark. The launcher puts the module and Spark on the class path when {@code --spark} is given.
 */
final class SparkHook implements AutoCloseable {
    static final String BACKEND = "org.rmsprop4j.spark.SparkBackend";

    private final Object backend;
    private final Class<?> type;

    private SparkHook(Class<?> type, Object backend) {
        this.type = type;
        this.backend = backend;
    }

    static SparkHook open(String master, int partitions) {
        Class<?> c;
        try {
            c = Class.forName(BACKEND);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CliException("--spark needs the spark module and Spark on the class path: run through the ./rmsprop4j launcher "
                    + "(it adds them when --spark is given), or spark-submit the module's jar (see the README)");
        }
        return new SparkHook(c, call(c, null, "open", new Class<?>[] {String.class, int.class}, master, partitions));
    }

    String describe() { return (String) call(type, backend, "describe", new Class<?>[0]); }

    Trainer.BatchGradients gradients(Dataset train, Model model, TrainConfig cfg, double l2) {
        return (Trainer.BatchGradients) call(type, backend, "gradients", new Class<?>[] {Dataset.class, Model.class, TrainConfig.class, double.class},
                train, model, cfg, l2);
    }

    long jobs() { return (Long) call(type, backend, "jobs", new Class<?>[0]); }

    @Override public void close() { call(type, backend, "close", new Class<?>[0]); }

    private static Object call(Class<?> c, Object target, String name, Class<?>[] types, Object... args) {
        try {
            Method m = c.getMethod(name, types);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error er) throw er;
            throw new IllegalStateException(t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the spark module on the class path does not match this CLI: " + e, e);
        }
    }
}
