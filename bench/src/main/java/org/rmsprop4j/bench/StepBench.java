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
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;

/**
 * One {@link Optimizer#step} of RMSprop on a single tensor: every kernel variant (plain, centered,
 * momentum, both), eps outside / inside the square root, fp32 / fp64, 1e3 to 1e8 elements, 1 and
 * 2 threads. The full cross product is large; pick with {@code -p}, for example
 * {@code -p kernel=plain -p eps=outside -p dtype=fp32 -p size=10000000}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class StepBench {

    @Param({"plain", "centered", "momentum", "centered-momentum"})
    public String kernel;

    @Param({"outside", "inside"})
    public String eps;

    @Param({"fp32", "fp64"})
    public String dtype;

    @Param({"1000", "10000", "100000", "1000000", "10000000", "100000000"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    Optimizer opt;
    float[] pf, gf;
    double[] pd, gd;

    static RmsPropConfig config(String kernel, String eps) {
        RmsPropConfig.Builder b = RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8)
                .epsInsideSqrt("inside".equals(eps));
        if (kernel.startsWith("centered")) b.centered(true);
        if (kernel.endsWith("momentum")) b.momentum(0.9);
        return b.build();
    }

    @Setup(Level.Trial)
    public void setup() {
        boolean f64 = "fp64".equals(dtype);
        opt = Optimizer.builder(config(kernel, eps)).size(size).dtype(f64 ? Dtype.FLOAT64 : Dtype.FLOAT32).threads(threads).build();
        SplittableRandom r = new SplittableRandom(1);
        if (f64) {
            pd = new double[size]; gd = new double[size];
            for (int i = 0; i < size; i++) { pd[i] = r.nextDouble() * 2 - 1; gd[i] = r.nextDouble() * 2 - 1; }
        } else {
            pf = new float[size]; gf = new float[size];
            for (int i = 0; i < size; i++) { pf[i] = (float) (r.nextDouble() * 2 - 1); gf[i] = (float) (r.nextDouble() * 2 - 1); }
        }
    }

    @Benchmark
    public boolean step() {
        return pf != null ? opt.step(pf, gf) : opt.step(pd, gd);
    }
}
