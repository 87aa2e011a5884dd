package org.rmsprop4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rmsprop4j.optim.AdadeltaConfig;
import org.rmsprop4j.optim.AdagradConfig;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.SgdConfig;

/** One step of each optimizer family on one float32 tensor, 1 and 2 threads (the comparison optimizers). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx6g"})
public class OptimizerBench {

    @Param({"rmsprop", "sgd", "sgd-momentum", "adagrad", "adadelta", "adam", "adamw"})
    public String optimizer;

    @Param({"1000", "1000000", "10000000"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    Optimizer opt;
    float[] p, g;

    static OptimizerSpec spec(String name) {
        switch (name) {
            case "rmsprop": return RmsPropConfig.builder().learningRate(0.01).build();
            case "sgd": return SgdConfig.builder().learningRate(0.01).build();
            case "sgd-momentum": return SgdConfig.builder().learningRate(0.01).momentum(0.9).build();
            case "adagrad": return AdagradConfig.builder().learningRate(0.01).build();
            case "adadelta": return AdadeltaConfig.builder().build();
            case "adam": return AdamConfig.builder().learningRate(1e-3).build();
            case "adamw": return AdamConfig.builder().learningRate(1e-3).weightDecay(0.01).decoupled(true).build();
            default: throw new IllegalArgumentException("unknown optimizer " + name);
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        opt = Optimizer.builder(spec(optimizer)).size(size).threads(threads).build();
        SplittableRandom r = new SplittableRandom(1);
        p = new float[size];
        g = new float[size];
        for (int i = 0; i < size; i++) { p[i] = (float) (r.nextDouble() * 2 - 1); g[i] = (float) (r.nextDouble() * 2 - 1); }
    }

    @Benchmark
    public boolean step() { return opt.step(p, g); }
}
