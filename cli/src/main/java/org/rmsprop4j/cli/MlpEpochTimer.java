package org.rmsprop4j.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.TrainingListener;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * Java half of the end-to-end comparison with {@code bench/python/torch_mlp_epoch.py}: the MLP
 * 784-128-64-10 (ReLU, softmax cross-entropy) on the 8,000 MNIST-10k training images scaled to
 * [0, 1], mini-batches of 64, RMSprop lr 1e-3 (alpha 0.99, eps 1e-8), float32; the trainer gets {@code threads} threads, the optimizer step runs on one. Warm-up runs until the JIT is done
 * (see {@link #MAX_WARMUP_RUNS}), then one untimed and {@code epochs} timed epochs; an epoch's time runs from its first batch to the end of its last
 * optimizer step (shuffling included, evaluation excluded, as in the Python script).
 */
final class MlpEpochTimer {
    private MlpEpochTimer() {}

    /**
     * Warm-up. The JIT compiles the hot loops during the first epochs, and on a busy machine its compiler
     * threads get less CPU, so that took up to five epochs here (under a load average of 12 the CPU time of
     * epochs 1 to 5 was 0.67, 0.24, 0.18, 0.14, 0.075 s, then steady at 0.073–0.076 s). So whole warm-up runs
     * (each on a fresh trainer, results discarded) are repeated, as long as the measured run (with one-epoch runs
     * the epoch loop of {@code Trainer.fit} was still being compiled, 150–180 ms of C2, inside the timed epochs; docs/speed-history.md,
     * "MLP epoch on 2 threads: where the extra CPU went"), at least {@link #MIN_WARMUP_RUNS}
     * times and until one passes without JIT compilation (under {@link #STEADY_COMPILE_MS} ms of it), at most
     * {@link #MAX_WARMUP_RUNS}; then the measured run trains
     * one untimed epoch and {@code epochs} timed ones, as PyTorch's script does (its kernels are compiled
     * ahead of time). Both report steady-state epochs 2, 3, ... of a run.
     */
    static final int MIN_WARMUP_RUNS = 6, MAX_WARMUP_RUNS = 15;
    static final long STEADY_COMPILE_MS = 5;

    /**
     * Median seconds per epoch and the individual timed epochs; also the CPU seconds of the whole process
     * per epoch (all threads, as {@code torch_mlp_epoch.py} reports them; NaN when the JVM cannot tell),
     * which swing much less than the wall time on a shared machine.
     */
    record Result(double secondsPerEpoch, double[] epochSeconds, int parameters, double cpuSecondsPerEpoch, double[] epochCpuSeconds,
                  int warmupRuns) {}

    /** CPU nanoseconds of this process so far, or -1. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
    }

    static Result run(int threads, int epochs) throws IOException {
        Dataset train = Datasets.mnist10k().train().scaled(1.0 / 255);
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean canTell = jit != null && jit.isCompilationTimeMonitoringSupported();
        int warmups = 0;
        while (warmups < MAX_WARMUP_RUNS) {
            long before = canTell ? jit.getTotalCompilationTime() : 0;
            train(train, threads, 1 + epochs, 1 + epochs, new ArrayList<>(), new ArrayList<>());
            warmups++;
            if (warmups >= MIN_WARMUP_RUNS && (!canTell || jit.getTotalCompilationTime() - before < STEADY_COMPILE_MS)) break;
        }
        List<Double> times = new ArrayList<>(), cpu = new ArrayList<>();
        int parameters = train(train, threads, 1 + epochs, 1, times, cpu);
        double[] s = times.stream().mapToDouble(Double::doubleValue).toArray(), c = cpu.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(median(s), s, parameters, median(c), c, warmups);
    }

    /** One run of {@code epochs} epochs; epochs after the first {@code untimed} add their wall and CPU seconds to the lists. */
    private static int train(Dataset train, int threads, int epochs, int untimed, List<Double> times, List<Double> cpu) throws IOException {
        Model m = Models.parse("mlp:128,64:relu", train.features(), train.classes(), 0);
        Optimizer opt = Optimizer.builder(RmsPropConfig.builder().learningRate(1e-3).decay(0.99).eps(1e-8).build())
                .layout(m.layout()).build(); // one thread: splitting the step measured no faster (0.0995 against 0.091 s per epoch)
        TrainConfig cfg = TrainConfig.builder().epochs(epochs).batchSize(64).seed(0).threads(threads).build();
        TrainingListener timer = new TrainingListener() {
            long start, cpuStart;

            @Override public void epochStarted(int epoch, int batches, int firstBatch) {
                cpuStart = processCpuNanos();
                start = System.nanoTime();
            }

            @Override public void batchDone(int epoch, int batch, int batches, double loss) {
                if (batch == batches && epoch > untimed) {
                    times.add((System.nanoTime() - start) / 1e9);
                    cpu.add(cpuStart < 0 ? Double.NaN : (processCpuNanos() - cpuStart) / 1e9);
                }
            }
        };
        try (Trainer t = new Trainer(m, opt, cfg)) {
            t.fit(train, null, null, timer);
        }
        return m.layout().size();
    }

    static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
