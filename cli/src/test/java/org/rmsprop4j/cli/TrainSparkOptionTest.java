package org.rmsprop4j.cli;

import static org.rmsprop4j.cli.TrainAndDemoCommandTest.assertOneLineError;
import static org.rmsprop4j.cli.TrainAndDemoCommandTest.run;

import org.junit.jupiter.api.Test;

/**
 * {@code train --spark} without Spark: this module's tests run without the spark module on the class path (as the
 * plain CLI jar does), so the option must say how to get it. Training on Spark itself is tested in the spark module.
 */
class TrainSparkOptionTest {
    @Test
    void sparkWithoutTheModuleSaysHowToGetIt() {
        assertOneLineError(run("train", "iris", "--epochs", "1", "--spark", "local[2]"),
                "--spark needs the spark module and Spark on the class path: run through the ./rmsprop4j launcher "
                        + "(it adds them when --spark is given), or spark-submit the module's jar (see the README)");
    }

    @Test
    void partitionsAreChecked() {
        assertOneLineError(run("train", "iris", "--partitions", "2"), "--partitions needs --spark");
        assertOneLineError(run("train", "iris", "--spark", "local[2]", "--partitions", "-1"),
                "--partitions must be >= 1 (or 0 for Spark's default), got -1");
        assertOneLineError(run("train", "hdfs://nn/data/x.csv", "--spark", "local[2]"),
                "--spark: train loads DATA on this machine and spreads it over the cluster; to have the executors read "
                        + "'hdfs://nn/data/x.csv', spark-submit the spark module's SparkTrain (see the README)");
        assertOneLineError(run("train", "iris", "--spark", " "),
                "--spark must be a Spark master URL such as local[2] or spark://host:7077, got ''");
    }
}
