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
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropConfig;

/**
 * Many small tensors: 1,000 tensors of 1,000 elements as one layout (the optimizer merges the
 * adjacent tensors of a group into one run, so a step is one loop), against one tensor of the
 * same total size (what a single pass costs), against 1,000 optimizers of one tensor each (one
 * loop and one step overhead per tensor, like a per-parameter for-loop).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ManySmallBench {

    @Param({"1000"})
    public int tensors;

    @Param({"1000"})
    public int elements;

    @Param({"1", "2"})
    public int threads;

    Optimizer merged, single;
    Optimizer[] separate;
    float[] p, g;
    float[][] ps, gs;

    @Setup(Level.Trial)
    public void setup() {
        RmsPropConfig c = RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8).build();
        ParamLayout.Builder lb = ParamLayout.builder();
        for (int t = 0; t < tensors; t++) lb.add("t" + t, elements);
        int n = tensors * elements;
        merged = Optimizer.builder(c).layout(lb.build()).threads(threads).build();
        single = Optimizer.builder(c).size(n).threads(threads).build();
        SplittableRandom r = new SplittableRandom(1);
        p = new float[n];
        g = new float[n];
        for (int i = 0; i < n; i++) { p[i] = (float) (r.nextDouble() * 2 - 1); g[i] = (float) (r.nextDouble() * 2 - 1); }
        separate = new Optimizer[tensors];
        ps = new float[tensors][];
        gs = new float[tensors][];
        for (int t = 0; t < tensors; t++) {
            separate[t] = Optimizer.builder(c).size(elements).build();
            ps[t] = java.util.Arrays.copyOfRange(p, t * elements, (t + 1) * elements);
            gs[t] = java.util.Arrays.copyOfRange(g, t * elements, (t + 1) * elements);
        }
    }

    @Benchmark
    public boolean mergedLayout() { return merged.step(p, g); }

    @Benchmark
    public boolean oneTensor() { return single.step(p, g); }

    @Benchmark
    public int optimizerPerTensor() {
        int ok = 0;
        for (int t = 0; t < tensors; t++) if (separate[t].step(ps[t], gs[t])) ok++;
        return ok;
    }
}
