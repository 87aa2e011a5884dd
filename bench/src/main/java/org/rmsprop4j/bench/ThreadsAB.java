package org.rmsprop4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;

/**
 * The 2-thread step at a large size against the C loop, round after round in one run: per round,
 * our step on 1 and on K threads (same arrays, interleaved batches) and then the C loop on K threads
 * ({@code bench/native/rmsprop_bench.c}, built by the caller; run as a child process). Data and
 * hyper-parameters as {@code rmsprop4j bench} (SplitMix64 values, lr 0.01, alpha 0.99, eps 1e-8).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.rmsprop4j.bench.ThreadsAB [elements]
 * [threads] [rounds] [ms per measurement] [C bench path or -] [order]}, order = {@code pg-opt}
 * (parameters and gradients allocated before the optimizer's state, as {@code bench} does) or
 * {@code opt-pg} (state first). Prints each round, then the medians.
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
        System.out.println("round  ours 1t ns/el  ours " + k + "t ns/el  C " + k + "t ns/el  ours/C (" + k + "t)");
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double a = SeedNeuronAB.measure(s1, ms) / n;
            double b = SeedNeuronAB.measure(sk, ms) / n;
            double cc = cBin == null ? Double.NaN : runC(cBin, n, k, ms) / n;
            rows.add(new double[] {a, b, cc});
            System.out.printf(Locale.ROOT, "%5d %14.4f %14.4f %12.4f %10.2f%n", r, a, b, cc, cc / b);
        }
        double[] ma = rows.stream().mapToDouble(x -> x[0]).toArray(), mb = rows.stream().mapToDouble(x -> x[1]).toArray(),
                mc = rows.stream().mapToDouble(x -> x[2]).toArray();
        System.out.printf(Locale.ROOT, "median %13.4f %14.4f %12.4f %10.2f%n", SeedNeuronAB.median(ma), SeedNeuronAB.median(mb),
                SeedNeuronAB.median(mc), SeedNeuronAB.median(mc) / SeedNeuronAB.median(mb));
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
