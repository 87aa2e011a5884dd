package org.rmsprop4j.bench;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rmsprop4j.parallel.ChunkPool;

/**
 * Round trip of the chunk pool with an empty task (the fixed cost a parallel step pays), against
 * a ForkJoinPool round trip. {@code pause} microseconds of caller-side work between round trips
 * let the worker go from spinning to parked, as between two real training steps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolBench {

    @Param({"0", "200"})
    public int pauseMicros;

    static final ChunkPool.RangeTask NOTHING = (off, len) -> { };
    static final ForkJoinPool FJ = new ForkJoinPool(2);

    private void pause() {
        if (pauseMicros == 0) return;
        long end = System.nanoTime() + pauseMicros * 1000L;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    @Benchmark
    public void chunkPool() {
        pause();
        ChunkPool.shared().run(NOTHING, 0, 4096, 2);
    }

    @Benchmark
    public void forkJoin() throws Exception {
        pause();
        FJ.submit(() -> { }).get();
    }
}
