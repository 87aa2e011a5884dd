package org.rmsprop4j.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.rmsprop4j.kernel.RmspropKernels;
import org.rmsprop4j.kernel.RmspropKernelsF32;

/**
 * Interleaved A/B timing of the generic and the lean plain RMSprop loop on the same arrays: on a
 * shared, noisy machine, alternating the two call by call and comparing medians shows a difference
 * that separate JMH runs drown in noise. Usage: {@code java -cp bench/target/benchmarks.jar
 * org.rmsprop4j.bench.KernelAB [size] [rounds] [fp32|fp64]}.
 */
public final class KernelAB {
    public static void main(String[] args) {
        int n = args.length > 0 ? (int) Double.parseDouble(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        boolean f64 = args.length > 2 && args[2].equals("fp64");
        SplittableRandom r = new SplittableRandom(1);
        float[] p = new float[n], g = new float[n], v = new float[n];
        double[] pd = new double[n], gd = new double[n], vd = new double[n];
        for (int i = 0; i < n; i++) { p[i] = (float) (r.nextDouble() * 2 - 1); g[i] = (float) (r.nextDouble() * 2 - 1); pd[i] = p[i]; gd[i] = g[i]; }
        int inner = Math.max(1, 2_000_000 / n);
        double[] ta = new double[rounds], tb = new double[rounds];
        for (int warm = 0; warm < 2; warm++) {
            for (int k = 0; k < rounds; k++) {
                long t0 = System.nanoTime();
                for (int j = 0; j < inner; j++) {
                    if (f64) RmspropKernels.step(pd, gd, vd, null, null, 0, n, 1, 0, Double.MAX_VALUE, 0, 0.01, 0.99, 0.01, 1, 0, 1e-8, 0.01, 0, 1, 1, 0, 1);
                    else RmspropKernelsF32.step(p, g, v, null, null, 0, n, 1f, 0f, Float.MAX_VALUE, 0f, 0.01f, 0.99f, 0.01f, 1f, 0f, 1e-8f, 0.01f, 0f, 1f, 1f, 0f, 1f);
                }
                long t1 = System.nanoTime();
                for (int j = 0; j < inner; j++) {
                    if (f64) RmspropKernels.step(pd, gd, vd, null, null, 0, n, 1, 0, Double.POSITIVE_INFINITY, 0, 0.01, 0.99, 0.01, 1, 0, 1e-8, 0.01, 0, 1, 1, 0, 1);
                    else RmspropKernelsF32.step(p, g, v, null, null, 0, n, 1f, 0f, Float.POSITIVE_INFINITY, 0f, 0.01f, 0.99f, 0.01f, 1f, 0f, 1e-8f, 0.01f, 0f, 1f, 1f, 0f, 1f);
                }
                long t2 = System.nanoTime();
                ta[k] = (double) (t1 - t0) / inner / n;
                tb[k] = (double) (t2 - t1) / inner / n;
            }
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        System.out.printf("size %d %s: generic median %.4f ns/el (min %.4f), lean median %.4f ns/el (min %.4f), generic/lean %.3f%n",
                n, f64 ? "fp64" : "fp32", ta[rounds / 2], ta[0], tb[rounds / 2], tb[0], ta[rounds / 2] / tb[rounds / 2]);
    }
}
