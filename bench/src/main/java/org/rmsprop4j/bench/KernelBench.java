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
import org.rmsprop4j.kernel.RmspropKernels;
import org.rmsprop4j.kernel.RmspropKernelsF32;

/**
 * The plain RMSprop loop itself, generic (all coefficients, neutral values; clip = MAX_VALUE keeps the kernel from choosing the lean loop) against the lean
 * loop for the common case, fp32 and fp64: does dropping the neutral operations pay?
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx8g"})
public class KernelBench {

    @Param({"10000", "1000000", "10000000"})
    public int size;

    float[] pf, gf, vf;
    double[] pd, gd, vd;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        pf = new float[size]; gf = new float[size]; vf = new float[size];
        pd = new double[size]; gd = new double[size]; vd = new double[size];
        for (int i = 0; i < size; i++) {
            pf[i] = (float) (r.nextDouble() * 2 - 1); gf[i] = (float) (r.nextDouble() * 2 - 1);
            pd[i] = pf[i]; gd[i] = gf[i];
        }
    }

    @Benchmark
    public void genericFp32() {
        RmspropKernelsF32.step(pf, gf, vf, null, null, 0, size, 1f, 0f, Float.MAX_VALUE, 0f, 0.01f, 0.99f, 0.01f, 1f, 0f, 1e-8f, 0.01f, 0f, 1f, 1f, 0f, 1f);
    }

    @Benchmark
    public void leanFp32() {
        RmspropKernelsF32.step(pf, gf, vf, null, null, 0, size, 1f, 0f, Float.POSITIVE_INFINITY, 0f, 0.01f, 0.99f, 0.01f, 1f, 0f, 1e-8f, 0.01f, 0f, 1f, 1f, 0f, 1f);
    }

    @Benchmark
    public void genericFp64() {
        RmspropKernels.step(pd, gd, vd, null, null, 0, size, 1, 0, Double.MAX_VALUE, 0, 0.01, 0.99, 0.01, 1, 0, 1e-8, 0.01, 0, 1, 1, 0, 1);
    }

    @Benchmark
    public void leanFp64() {
        RmspropKernels.step(pd, gd, vd, null, null, 0, size, 1, 0, Double.POSITIVE_INFINITY, 0, 0.01, 0.99, 0.01, 1, 0, 1e-8, 0.01, 0, 1, 1, 0, 1);
    }
}
