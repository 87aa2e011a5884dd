package org.rmsprop4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.rmsprop4j.optim.Optimizer;

/**
 * Interleaved timing of every arithmetic profile against the fused PyTorch 1.13 kernel in one
 * process: each round times a batch of steps of every optimizer in turn, on arrays of their own,
 * so that load hits them alike; prints each one's median ms per step and its ratio to the fused
 * kernel's median, and the same for the calling thread's CPU time (which a busy machine inflates
 * less: time spent descheduled is not counted; with threads &gt; 1 it counts only the caller's
 * share). Only the public API is used, so the same class times an older core jar.
 * Usage: {@code java -cp bench/target/benchmarks.jar org.rmsprop4j.bench.ProfileAB [size=1e6] [fp32|fp64]
 * [threads=1] [rounds=15] [fused|chain|both] [variant=plain|momentum|centered-momentum] [profiles=all, comma-separated]}. The yardstick is
 * {@code pytorch} or one of {@link #YARDSTICKS}, e.g. {@code adam,adam_2_13,adamw_2_13,adam_2_13_fused} (ProfileBench#pytorchSpec).
 */
public final class ProfileAB {
    /** PyTorch's other fused 1.13 kernels, yardsticks for their 2.13 profiles ({@link ProfileBench#pytorchSpec}). */
    static final List<String> YARDSTICKS = List.of("sgd", "adagrad", "adadelta", "adam", "adamw");

    static final String ALL = "pytorch,keras,tf1,optax,dl4j,tribuo,tfjs,timm_tf,pytorch_2_13,keras_3_graph,keras_3_xla";

    public static void main(String[] args) {
        int n = args.length > 0 ? (int) Double.parseDouble(args[0]) : 1_000_000;
        boolean f64 = args.length > 1 && args[1].equals("fp64");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        String paths = args.length > 4 ? args[4] : "fused";
        String variant = args.length > 5 ? args[5] : "plain";
        String[] profiles = (args.length > 6 ? args[6] : ALL).split(",");
        List<String> names = new ArrayList<>();
        List<Optimizer> opts = new ArrayList<>();
        for (String prof : profiles) {
            if (prof.equals("pytorch") || YARDSTICKS.contains(prof)) {   // a fused PyTorch 1.13 kernel: the yardstick
                names.add(0, prof + " (1.13 kernel)");
                opts.add(0, ProfileBench.build(prof, variant, f64, n, threads, true));
                continue;
            }
            for (String path : paths.equals("both") ? new String[] {"fused", "chain"} : new String[] {paths}) {
                names.add(prof + " " + path);
                opts.add(ProfileBench.build(prof, variant, f64, n, threads, path.equals("fused")));
            }
        }
        int k = opts.size();
        SplittableRandom r = new SplittableRandom(1);
        float[][] pf = new float[k][], gf = new float[k][];
        double[][] pd = new double[k][], gd = new double[k][];
        for (int j = 0; j < k; j++) {
            if (f64) {
                pd[j] = new double[n]; gd[j] = new double[n];
                for (int i = 0; i < n; i++) { pd[j][i] = r.nextDouble() * 2 - 1; gd[j][i] = (r.nextDouble() * 2 - 1) * 1e-3; }
            } else {
                pf[j] = new float[n]; gf[j] = new float[n];
                for (int i = 0; i < n; i++) { pf[j][i] = (float) (r.nextDouble() * 2 - 1); gf[j][i] = (float) ((r.nextDouble() * 2 - 1) * 1e-3); }
            }
        }
        int inner = Math.max(1, 20_000_000 / n);
        double[][] ms = new double[k][rounds], cpu = new double[k][rounds];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean amx = (com.sun.management.ThreadMXBean) mx;   // the caller's allocation per step, measured rounds only
        long[] alloc = new long[k];
        for (int warm = 0; warm < 2; warm++) {
            for (int round = 0; round < rounds; round++) {
                for (int j = 0; j < k; j++) {
                    long a0 = amx.getCurrentThreadAllocatedBytes(), c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                    for (int s = 0; s < inner; s++) {
                        if (f64) opts.get(j).step(pd[j], gd[j]);
                        else opts.get(j).step(pf[j], gf[j]);
                    }
                    ms[j][round] = (System.nanoTime() - t0) / 1e6 / inner;
                    cpu[j][round] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / inner;
                    if (warm == 1) alloc[j] += amx.getCurrentThreadAllocatedBytes() - a0;
                }
            }
        }
        double base = names.get(0).endsWith("(1.13 kernel)") ? 0 : Double.NaN, cpuBase = 0;
        System.out.printf("size %d %s threads %d variant %s, %d rounds of %d steps, interleaved%n", n, f64 ? "fp64" : "fp32", threads,
                variant, rounds, inner);
        for (int j = 0; j < k; j++) {
            double[] t = ms[j].clone(), c = cpu[j].clone();
            Arrays.sort(t);
            Arrays.sort(c);
            double med = t[rounds / 2], cmed = c[rounds / 2];
            if (j == 0 && base == 0) { base = med; cpuBase = cmed; }
            System.out.printf("  %-24s wall median %8.3f ms/step (min %8.3f), %6.3f ns/el, %6.2fx the 1.13 kernel; caller's CPU time %8.3f ms (%6.2fx); %.0f B allocated per step%n",
                    names.get(j), med, t[0], med * 1e6 / n, med / base, cmed, cmed / cpuBase, (double) alloc[j] / rounds / inner);
        }
    }
}
