package org.rmsprop4j.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;

/**
 * Measures where splitting a step across threads starts to pay: for each size, one optimizer with
 * 1 thread and one with K threads (threshold 1, so always split) step their own copies of the same
 * data, batch by batch interleaved, and the medians are compared. Usage: {@code java -cp
 * bench/target/benchmarks.jar org.rmsprop4j.bench.ThresholdAB [threads] [rounds] [sizes...]}.
 */
public final class ThresholdAB {
    public static void main(String[] args) {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String[] sizes = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"8192", "16384", "32768", "65536", "131072", "262144", "524288", "1e6", "1e7"};
        RmsPropConfig c = RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8).build();
        System.out.println("size        1 thread ns/step   " + k + " threads ns/step   speed-up");
        for (String s : sizes) {
            int n = (int) Double.parseDouble(s);
            Optimizer one = Optimizer.builder(c).size(n).build();
            Optimizer many = Optimizer.builder(c).size(n).threads(k).parallelThreshold(1).build();
            SplittableRandom r = new SplittableRandom(1);
            float[] p1 = new float[n], g = new float[n];
            for (int i = 0; i < n; i++) { p1[i] = (float) (r.nextDouble() * 2 - 1); g[i] = (float) (r.nextDouble() * 2 - 1); }
            float[] p2 = p1.clone();
            int inner = Math.max(1, 4_000_000 / n);
            double[] a = new double[rounds], b = new double[rounds];
            for (int pass = 0; pass < 2; pass++) { // first pass warms up
                for (int q = 0; q < rounds; q++) {
                    long t0 = System.nanoTime();
                    for (int j = 0; j < inner; j++) one.step(p1, g);
                    long t1 = System.nanoTime();
                    for (int j = 0; j < inner; j++) many.step(p2, g);
                    long t2 = System.nanoTime();
                    a[q] = (double) (t1 - t0) / inner;
                    b[q] = (double) (t2 - t1) / inner;
                }
            }
            Arrays.sort(a);
            Arrays.sort(b);
            System.out.printf("%-10d %16.0f %18.0f %10.2f%n", n, a[rounds / 2], b[rounds / 2], a[rounds / 2] / b[rounds / 2]);
        }
    }
}
