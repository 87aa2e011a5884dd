package org.rmsprop4j.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropConfig;

/**
 * The seed article's 2-scalar step, three ways in one run, round after round: {@code Optimizer.step}
 * (as {@code rmsprop4j bench} times it: 2 tensors of 1 element, PyTorch defaults lr 0.01, alpha 0.99,
 * eps 1e-8), a bare Java loop doing the same arithmetic (the floor for any facade), and the C loop
 * ({@code bench/native/rmsprop_bench.c --elements 1 --tensors 2}, built by the caller) when its path is
 * given, and the same C loop over one array of 2 elements ({@code --elements 2 --tensors 1}: one call
 * instead of one per tensor, as our step runs the two adjacent tensors as one run). Each measurement is the median of batches of at least 50 µs, as {@code bench} does.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.rmsprop4j.bench.SeedNeuronAB [rounds]
 * [ms per measurement] [path of the built C bench, or -] [after-1e6 | after-others]}; {@code after-1e6}
 * first times a 1e6-element step for a second, as {@code bench} does before its 2-scalar row;
 * {@code after-others} first steps Adam, SGD and AdaGrad optimizers of 2 scalars. Prints each round and
 * the medians over rounds.
 */
public final class SeedNeuronAB {

    private SeedNeuronAB() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        long ms = args.length > 1 ? Long.parseLong(args[1]) : 300;
        String cBin = args.length > 2 && !args[2].equals("-") ? args[2] : null;
        if (args.length > 3 && args[3].equals("after-1e6")) {
            // as in `rmsprop4j bench`, where the 2-scalar row comes after the 1e6 rows: the JIT has profiled the same
            // step with long runs first
            Optimizer big = Optimizer.builder(RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8).build()).size(1_000_000).build();
            float[] bp0 = new float[1_000_000], bg0 = new float[1_000_000];
            java.util.Arrays.fill(bg0, 0.5f);
            measure(() -> big.step(bp0, bg0), 1000);
        }
        if (args.length > 3 && args[3].equals("after-others")) {
            // a JVM that has also stepped other optimizers: the rule's call site has seen several classes
            float[] q = {0.25f, -0.5f}, h = {0.75f, -0.125f};
            for (org.rmsprop4j.optim.OptimizerSpec other : new org.rmsprop4j.optim.OptimizerSpec[] {
                    org.rmsprop4j.optim.AdamConfig.builder().build(), org.rmsprop4j.optim.SgdConfig.builder().learningRate(0.01).momentum(0.9).build(),
                    org.rmsprop4j.optim.AdagradConfig.builder().build()}) {
                Optimizer o = Optimizer.builder(other).layout(ParamLayout.builder().add("t0", 1).add("t1", 1).build()).build();
                measure(() -> o.step(q, h), 300);
            }
        }
        RmsPropConfig c = RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8).build();
        ParamLayout layout = ParamLayout.builder().add("t0", 1).add("t1", 1).build();
        Optimizer opt = Optimizer.builder(c).layout(layout).build();
        float[] p = {0.25f, -0.5f}, g = {0.75f, -0.125f};
        float[] bp = p.clone(), bv = new float[2];
        Runnable ours = () -> opt.step(p, g);
        Runnable bare = () -> bareStep(bp, g, bv);
        double[] o = new double[rounds], b = new double[rounds], cc = new double[rounds], cf = new double[rounds];
        System.out.println("round  ours ns/step  bare-java ns/step  C ns/step  ours/C (C time / ours)  C one loop of 2 ns/step  ours/that");
        for (int r = 0; r < rounds; r++) {
            o[r] = measure(ours, ms);
            b[r] = measure(bare, ms);
            cc[r] = cBin == null ? Double.NaN : runC(cBin, ms);
            cf[r] = cBin == null ? Double.NaN : runCArgs(cBin, ms, "--elements", "2", "--tensors", "1", "--threads", "1");
            System.out.printf(Locale.ROOT, "%5d %13.2f %18.2f %10.2f %8.2f %24.2f %10.2f%n", r, o[r], b[r], cc[r], cc[r] / o[r],
                    cf[r], cf[r] / o[r]);
        }
        System.out.printf(Locale.ROOT, "median %12.2f %18.2f %10.2f %8.2f %24.2f %10.2f%n", median(o), median(b), median(cc),
                median(cc) / median(o), median(cf), median(cf) / median(o));
        if (!Float.isFinite(p[0] + bp[0])) System.out.println("(non-finite parameters)");
    }

    /** The arithmetic of PyTorch's RMSprop step on 2 scalars, with nothing around it. */
    private static final float DECAY = (float) 0.99, OMD = (float) (1 - 0.99), EPS = (float) 1e-8, LR = (float) 0.01;

    static void bareStep(float[] p, float[] g, float[] v) {
        for (int i = 0; i < 2; i++) {
            float gi = g[i];
            float vi = Math.fma(OMD * gi, gi, DECAY * v[i]);
            v[i] = vi;
            p[i] = p[i] - (LR * gi) / ((float) Math.sqrt(vi) + EPS);
        }
    }

    static double measure(Runnable step, long ms) {
        long t0 = System.nanoTime();
        long n = 0;
        while (System.nanoTime() - t0 < 200_000_000L) { step.run(); n++; }   // warm-up 200 ms
        double est = 2e8 / n;
        int batch = (int) Math.max(1, Math.ceil(50_000 / Math.max(est, 1.0)));
        List<Double> s = new ArrayList<>();
        long start = System.nanoTime();
        while (System.nanoTime() - start < ms * 1_000_000L || s.size() < 5) {
            long a = System.nanoTime();
            for (int i = 0; i < batch; i++) step.run();
            s.add((double) (System.nanoTime() - a) / batch);
        }
        return median(s.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double runC(String bin, long ms) throws Exception {
        return runCArgs(bin, ms, "--elements", "1", "--tensors", "2", "--threads", "1");
    }

    /** Runs the C bench (plain, fp32) with {@code more} arguments; its median ns per step. */
    static double runCArgs(String bin, long ms, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(bin, "--kernel", "plain", "--dtype", "fp32", "--min-time-ms", String.valueOf(ms),
                "--warmup-ms", "200"));
        cmd.addAll(List.of(more));
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(pr.getInputStream(), StandardCharsets.UTF_8))) {
            out = String.join("\n", r.lines().toList());
        }
        if (pr.waitFor() != 0) throw new IllegalStateException("C bench failed: " + out);
        Matcher m = Pattern.compile("\"ns_per_step\":([0-9.]+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no ns_per_step in " + out);
        return Double.parseDouble(m.group(1));
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
