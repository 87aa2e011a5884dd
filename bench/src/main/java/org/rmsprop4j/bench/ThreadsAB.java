package org.rmsprop4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.parallel.ChunkPool;

/**
 * The 2-thread step at a large size against the C loop, round after round in one run: per round,
 * our step on 1 and on K threads (same arrays, interleaved batches) and then the C loop on K threads
 * ({@code bench/native/rmsprop_bench.c}, built by the caller; run as a child process). Data and
 * hyper-parameters as {@code rmsprop4j bench} (SplitMix64 values, lr 0.01, alpha 0.99, eps 1e-8).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.rmsprop4j.bench.ThreadsAB [elements]
 * [threads] [rounds] [ms per measurement] [C bench path or -] [order] [schedules]}, order = {@code pg-opt}
 * (parameters and gradients allocated before the optimizer's state, as {@code bench} does) or
 * {@code opt-pg} (state first); schedules = a comma-separated list of the pool's block plans to
 * time on K threads in every round, {@code guided} (the default) and {@code even} (the plan before
 * 2026-11-27 evening) and {@code halves} (one block per thread, as OpenMP's static schedule), each optionally {@code /MINBLOCK/SPINUS[/PAUSEUS]} (the guided plan's shortest block, the
 * idle worker's spin in µs and the waiting caller's pause before it yields in µs; defaults 16384, 200 and 2; {@code guided/65536/50} is the first guided plan). Prints each round with the pool's worker statistics, then the medians.
 */
public final class ThreadsAB {

    private ThreadsAB() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? (int) Double.parseDouble(args[0]) : 10_000_000;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long ms = args.length > 3 ? Long.parseLong(args[3]) : 1000;
        String cBin = args.length > 4 && !args[4].equals("-") ? args[4] : null;
        String order = args.length > 5 ? args[5] : "pg-opt";
        String[] schedules = (args.length > 6 ? args[6] : "guided").split(",");
        int[] plans = new int[schedules.length], minBlocks = new int[schedules.length];
        long[] spins = new long[schedules.length], pauses = new long[schedules.length];
        for (int i = 0; i < plans.length; i++) {
            String[] f = schedules[i].split("/");
            plans[i] = switch (f[0]) {
                case "guided" -> ChunkPool.GUIDED;
                case "even" -> ChunkPool.EVEN;
                case "halves" -> ChunkPool.HALVES;
                default -> throw new IllegalArgumentException("schedules must be guided, even or halves (optionally /MINBLOCK/SPINUS), got '" + schedules[i] + "'");
            };
            minBlocks[i] = f.length > 1 ? Integer.parseInt(f[1]) : 1 << 14;
            spins[i] = f.length > 2 ? Long.parseLong(f[2]) * 1000 : 200_000;
            pauses[i] = f.length > 3 ? Long.parseLong(f[3]) * 1000 : 2_000;
        }
        RmsPropConfig c = RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8).build();
        float[] p = null, g = null;
        if (order.equals("pg-opt")) { p = new float[n]; g = new float[n]; }
        Optimizer one = Optimizer.builder(c).size(n).build();
        Optimizer many = Optimizer.builder(c).size(n).threads(k).build();
        if (p == null) { p = new float[n]; g = new float[n]; }
        fill(p, 0);
        fill(g, 1);
        float[] fp = p, fg = g;
        Runnable s1 = () -> one.step(fp, fg), sk = () -> many.step(fp, fg);
        System.out.printf(Locale.ROOT, "elements %d, threads %d, order %s, %d ms per measurement%n", n, k, order, ms);
        StringBuilder head = new StringBuilder("round  ours 1t ns/el");
        for (String sc : schedules) head.append(String.format(Locale.ROOT, "  %9s %dt  ours/C", sc, k));
        head.append("  C ").append(k).append("t ns/el   worker share / withdrawn / late starts / mean start µs per schedule");
        System.out.println(head);
        ChunkPool pool = ChunkPool.shared();
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] row = new double[2 + plans.length];
            row[0] = SeedNeuronAB.measure(s1, ms) / n;
            StringBuilder stats = new StringBuilder();
            for (int i = 0; i < plans.length; i++) {
                // alternate the order of the schedules from round to round
                int j = r % 2 == 0 ? i : plans.length - 1 - i;
                pool.useSchedule(plans[j]);
                pool.tune(minBlocks[j], spins[j], pauses[j]);
                long[] c0 = pool.counters();
                row[1 + j] = SeedNeuronAB.measure(sk, ms) / n;
                long[] c1 = pool.counters();
                long runs = c1[0] - c0[0], blocks = c1[2] - c0[2] + c1[3] - c0[3], starts = c1[5] - c0[5];
                stats.append(String.format(Locale.ROOT, "  %s %.0f%%/%.1f%%/%.0f%%/%.0f", schedules[j], 100.0 * (c1[3] - c0[3]) / Math.max(1, blocks),
                        100.0 * (c1[1] - c0[1]) / Math.max(1, runs), 100.0 * (c1[7] - c0[7]) / Math.max(1, starts),
                        (c1[6] - c0[6]) / 1e3 / Math.max(1, starts)));
            }
            pool.useSchedule(ChunkPool.GUIDED);
            pool.tune(1 << 14, 200_000, 2_000);
            double cc = cBin == null ? Double.NaN : runC(cBin, n, k, ms) / n;
            row[1 + plans.length] = cc;
            rows.add(row);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d %14.4f", r, row[0]));
            for (int i = 0; i < plans.length; i++) line.append(String.format(Locale.ROOT, "  %12.4f %7.2f", row[1 + i], cc / row[1 + i]));
            line.append(String.format(Locale.ROOT, "  %12.4f", cc)).append(stats);
            System.out.println(line);
        }
        StringBuilder med = new StringBuilder(String.format(Locale.ROOT, "median %13.4f", col(rows, 0)));
        double mc = col(rows, 1 + plans.length);
        for (int i = 0; i < plans.length; i++) med.append(String.format(Locale.ROOT, "  %12.4f %7.2f", col(rows, 1 + i), mc / col(rows, 1 + i)));
        med.append(String.format(Locale.ROOT, "  %12.4f", mc));
        System.out.println(med);
    }

    private static double col(List<double[]> rows, int i) {
        return SeedNeuronAB.median(rows.stream().mapToDouble(x -> x[i]).toArray());
    }

    static double runC(String bin, int n, int k, long ms) throws Exception {
        return SeedNeuronAB.runCArgs(bin, ms, "--elements", String.valueOf(n), "--tensors", "1", "--threads", String.valueOf(k));
    }

    /** SplitMix64 values in [-1, 1), as {@code rmsprop4j bench} and the C loop fill tensor 0 of a stream. */
    static void fill(float[] a, long stream) {
        for (int i = 0; i < a.length; i++) {
            long z = ((stream << 62) | i) + 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            a[i] = (float) ((double) (z >>> 40) * 0x1p-23 - 1.0);
        }
    }
}
