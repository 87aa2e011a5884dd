package org.rmsprop4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.StateQuantization;

/**
 * The 8-bit state rows of {@code rmsprop4j bench --state ...}: our RMSprop step (PyTorch defaults, as
 * {@link StepTimer}) with float32 state and with block-wise 8-bit state, timed A/B interleaved in this
 * JVM (rounds of fp32, then each 8-bit block size, each round a third of the time), so that load
 * drifts hit both alike. Every row also carries the float32 C loop of the same run
 * ({@code bench/native/rmsprop_bench.c}), so each state is reported against the same C time.
 */
final class Bench8bit {
    private Bench8bit() {}

    /** Bytes a step moves per element: p, g read; p written; state read and written (4 + 4/block or 1 + 4/block each way). */
    static double bytesPerElement(StateQuantization q) {
        return q.quantized() ? 4 + 4 + 4 + 2 * (1 + 4.0 / q.blockSize()) : 20;
    }

    /**
     * One measured state at one size and thread count; {@code path}: "" for fp32, "vector" (the
     * {@code jdk.incubator.vector} loops) or "scalar" for 8-bit state.
     */
    record Row(StateQuantization state, String path, int elements, int threads, double nsPerElement, double minNsPerElement, long stateBytes, Double c8) {
        Row withC8(Double c) { return new Row(state, path, elements, threads, nsPerElement, minNsPerElement, stateBytes, c); }

        /** The state's label, with the 8-bit path when both were measured ("8bit-2048/vec", "8bit-2048/scalar"). */
        String label() { return state.label() + ("vector".equals(path) ? "/vec" : "scalar".equals(path) && vector() ? "/scalar" : ""); }
    }

    /** The 8-bit vector loops run in this JVM (started with {@code --add-modules jdk.incubator.vector}): then each 8-bit state is timed with and without them. */
    static boolean vector() { return org.rmsprop4j.kernel.Blockwise8.vectorAvailable(); }

    /** Builds with the 8-bit vector loops on or off (core reads this property when an optimizer is built). */
    static Optimizer build(StateQuantization q, int elements, int threads, boolean vector) {
        String key = "rmsprop4j.blockwise8.vector", old = System.getProperty(key);
        System.setProperty(key, String.valueOf(vector));
        try {
            return Optimizer.builder(StepTimer.config()).layout(StepTimer.layout(elements, 1)).threads(threads).stateQuantization(q).build();
        } finally {
            if (old == null) System.clearProperty(key);
            else System.setProperty(key, old);
        }
    }

    /** Times fp32 and every 8-bit block size at {@code elements} elements on {@code threads} threads, interleaved in {@code rounds} rounds. */
    static List<Row> measure(List<StateQuantization> states, int elements, int threads, long minTimeMs, long warmupMs, int rounds) {
        // placed like StepTimer's arrays: no two a multiple of 128 MiB apart (at 1e8, G1's arrays 384 MiB apart ran the float32 step 1.7x slower)
        float[] p = StepTimer.placed(float[]::new, elements);
        float[] g = StepTimer.placed(float[]::new, elements, p);
        StepTimer.fill(p, 0, elements, 0, 0);
        StepTimer.fill(g, 0, elements, 1, 0);
        List<StateQuantization> qs = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (StateQuantization q : states) {
            if (q.quantized() && vector()) {
                qs.add(q);
                paths.add("vector");
            }
            qs.add(q);
            paths.add(q.quantized() ? "scalar" : "");
        }
        Optimizer[] opts = new Optimizer[qs.size()];
        for (int i = 0; i < opts.length; i++) {
            StepTimer.spacerAbove(p, g); // so that the state follows p and g instead of filling a hole 384 MiB from them
            opts[i] = build(qs.get(i), elements, threads, "vector".equals(paths.get(i)));
        }
        double[][] medians = new double[opts.length][rounds];
        double[] mins = new double[opts.length];
        Arrays.fill(mins, Double.MAX_VALUE);
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < opts.length; i++) {
                Optimizer o = opts[i];
                StepTimer.Timing t = StepTimer.measure(() -> o.step(p, g), Math.max(1, minTimeMs / rounds), r == 0 ? warmupMs : warmupMs / 4);
                medians[i][r] = t.nsPerStep() / elements;
                mins[i] = Math.min(mins[i], t.minNsPerStep() / elements);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < opts.length; i++) {
            double[] m = medians[i].clone();
            Arrays.sort(m);
            rows.add(new Row(qs.get(i), paths.get(i), elements, threads, m[m.length / 2], mins[i], opts[i].stateBytes(), null));
        }
        return rows;
    }

    /** The states of {@code --state}, fp32 first; checked before anything runs. */
    static List<StateQuantization> parse(List<String> names, String dtype) {
        if (!"fp32".equals(dtype)) throw new CliException("--state needs --dtype float32 (8-bit state is float32 only), got " + dtype);
        try {
            vector();   // a bad -Drmsprop4j.vector.bits is refused here, with the other arguments
        } catch (IllegalArgumentException e) {
            throw new CliException("--state: " + e.getMessage());
        }
        List<StateQuantization> states = new ArrayList<>(List.of(StateQuantization.none()));
        for (String n : names) {
            StateQuantization q;
            try {
                q = StateQuantization.parse(n);
            } catch (IllegalArgumentException e) {
                throw new CliException("--state: " + e.getMessage());
            }
            if (!states.contains(q)) states.add(q);
        }
        return states;
    }

    /**
     * The hook of {@code bench --state}: for every single-tensor size and thread count of {@code work},
     * the fp32 step and each listed 8-bit state, interleaved, plus the fp32 C loop of the same size.
     */
    static void run(BenchCommand cmd, List<StateQuantization> states, List<BenchCommand.Workload> work, Baselines base, long minMs, long warmMs,
                    List<Row> rows, List<Baselines.Result> cs, PrintWriter err) {
        java.nio.file.Path c8 = cmd.noC ? null : compileC8(base.repo(), err);
        for (BenchCommand.Workload w : work) {
            if (!w.name().equals("single")) continue;
            err.printf(Locale.ROOT, "bench: state %s, %d elements, %d thread(s)%n",
                    String.join(", ", states.stream().map(StateQuantization::label).toList()), w.elements(), w.threads());
            err.flush();
            List<Row> rs = measure(states, w.elements(), w.threads(), minMs, warmMs, 3);
            System.gc();
            Baselines.Result c = cmd.noC ? Baselines.Result.missing("--no-c")
                    : base.runC(new Baselines.Args("plain", "fp32", w.elements(), 1, w.threads(), minMs, warmMs));
            Map<String, Double> c8s = new LinkedHashMap<>();      // one C run per block size and map (vector, scalar and unbiased rows share it)
            for (Row r : rs) {
                String key = r.state().blockSize() + "/" + r.state().map();
                if (r.state().quantized() && !c8s.containsKey(key)) {
                    c8s.put(key, runC8(c8, w.elements(), r.state().blockSize(), r.state().map(), w.threads(), minMs, warmMs, err));
                }
                rows.add(r.state().quantized() ? r.withC8(c8s.get(key)) : r);
                cs.add(c);
            }
        }
    }

    /** The C loop of the 8-bit step, in the source tree. */
    static final String C8_SOURCE = "bench/native/rmsprop8bit_bench.c";

    /**
     * Compiles {@link #C8_SOURCE} with {@code gcc -O3 -march=native -fopenmp} into a temporary folder;
     * null (and the reason on {@code err}) when there is no source or no gcc.
     */
    static java.nio.file.Path compileC8(java.nio.file.Path repo, PrintWriter err) {
        try {
            java.nio.file.Path src = repo == null ? null : repo.resolve(C8_SOURCE);
            if (src == null || !java.nio.file.Files.isRegularFile(src)) {
                err.println("bench: 8-bit C loop unavailable: no " + C8_SOURCE);
                return null;
            }
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rmsprop8bit");
            dir.toFile().deleteOnExit();
            java.nio.file.Path bin = dir.resolve("rmsprop8bit_bench");
            Process pr = new ProcessBuilder("gcc", "-O3", "-march=native", "-fopenmp", "-o", bin.toString(), src.toString(), "-lm")
                    .redirectErrorStream(true).start();
            String outText = new String(pr.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!pr.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) || pr.exitValue() != 0) {
                err.println("bench: 8-bit C loop unavailable: gcc failed: " + outText.lines().findFirst().orElse(""));
                return null;
            }
            bin.toFile().deleteOnExit();
            return bin;
        } catch (java.io.IOException e) {
            err.println("bench: 8-bit C loop unavailable: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** ns per element of the C 8-bit loop, or null (reason on {@code err}). */
    static Double runC8(java.nio.file.Path bin, int elements, int block, String map, int threads, long minMs, long warmMs, PrintWriter err) {
        if (bin == null) return null;
        try {
            Process pr = new ProcessBuilder(bin.toString(), "--elements", String.valueOf(elements), "--block", String.valueOf(block), "--map", map,
                    "--threads", String.valueOf(threads), "--min-time-ms", String.valueOf(minMs), "--warmup-ms", String.valueOf(warmMs))
                    .redirectErrorStream(true).start();
            String outText = new String(pr.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            pr.waitFor();
            var m = java.util.regex.Pattern.compile("\"ns_per_element\": ([0-9.eE+-]+)").matcher(outText);
            if (pr.exitValue() != 0 || !m.find()) {
                err.println("bench: 8-bit C loop failed: " + outText.strip());
                return null;
            }
            return Double.parseDouble(m.group(1));
        } catch (java.io.IOException e) {
            err.println("bench: 8-bit C loop failed: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** JSON rows, one per state, in {@code bench --json}'s {@code rows} (field {@code state}: "fp32", "8bit-2048"). */
    static Map<String, Object> json(Row r, Baselines.Result c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", "state");
        m.put("kernel", "rmsprop");
        m.put("dtype", "fp32");
        m.put("state", r.state().label());
        m.put("state_path", r.path().isEmpty() ? null : r.path());
        m.put("elements", r.elements());
        m.put("tensors", 1);
        m.put("threads", r.threads());
        m.put("ours_ns_per_element", r.nsPerElement());
        m.put("ours_min_ns_per_element", r.minNsPerElement());
        m.put("state_bytes_per_element", r.stateBytes() / (double) r.elements());
        m.put("bytes_moved_per_element", bytesPerElement(r.state()));
        m.put("c_fp32_ns_per_element", c.nsPerElement());
        m.put("ours_vs_c_fp32", c.ok() ? c.nsPerElement() / r.nsPerElement() : null);
        m.put("c_8bit_ns_per_element", r.c8());
        m.put("ours_vs_c_8bit", r.c8() == null ? null : r.c8() / r.nsPerElement());
        return m;
    }

    static void printTable(PrintWriter out, List<Row> rows, List<Baselines.Result> cs) {
        out.println();
        if (vector()) out.println("8-bit vector loops: " + org.rmsprop4j.kernel.Blockwise8.vectorBits() + " bits (-Drmsprop4j.vector.bits)");
        int w = 16; // the state column fits its longest label (fp8-256-unbiased/vec is 20)
        for (Row r : rows) w = Math.max(w, r.label().length());
        out.println(String.format(Locale.ROOT, "%-" + w + "s", "state")
                + "  elements thr | ours ns/e   min ns/e | state B/el  moved B/el | C fp32 ns/e | ours/C fp32 | C 8bit ns/e | ours/C 8bit | vs fp32 (same run)");
        Map<String, Double> fp32 = new LinkedHashMap<>();
        for (Row r : rows) if (!r.state().quantized()) fp32.put(r.elements() + "/" + r.threads(), r.nsPerElement());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Baselines.Result c = cs.get(i);
            Double f = fp32.get(r.elements() + "/" + r.threads());
            out.printf(Locale.ROOT, "%-" + w + "s %9d %3d | %9.3f %10.3f | %10.4f %11.2f | %11s | %11s | %11s | %11s | %s%n", r.label(), r.elements(),
                    r.threads(), r.nsPerElement(), r.minNsPerElement(), r.stateBytes() / (double) r.elements(), bytesPerElement(r.state()),
                    c.ok() ? String.format(Locale.ROOT, "%.3f", c.nsPerElement()) : "n/a",
                    c.ok() ? String.format(Locale.ROOT, "%.2f×", c.nsPerElement() / r.nsPerElement()) : "n/a",
                    r.c8() != null ? String.format(Locale.ROOT, "%.3f", r.c8()) : r.state().quantized() ? "n/a" : "",
                    r.c8() != null ? String.format(Locale.ROOT, "%.2f×", r.c8() / r.nsPerElement()) : r.state().quantized() ? "n/a" : "",
                    f == null ? "" : String.format(Locale.ROOT, "%.2f× (fp32 time / this time)", f / r.nsPerElement()));
        }
    }

    /** Standalone: {@code java -cp rmsprop4j.jar org.rmsprop4j.cli.Bench8bit 1e8 1 1000 8bit-2048,fp8-256}: size, threads, ms, states (a bare number: 8bit-<it>). */
    public static void main(String[] args) {
        int n = BenchCommand.parseCount("size", args.length > 0 ? args[0] : "1e7");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        long ms = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        List<StateQuantization> states = new ArrayList<>(List.of(StateQuantization.none()));
        for (String b : (args.length > 3 ? args[3] : "2048").split(",")) {
            String t = b.trim();
            states.add(t.chars().allMatch(Character::isDigit) ? StateQuantization.blockwise8(Integer.parseInt(t)) : StateQuantization.parse(t));
        }
        PrintWriter out = new PrintWriter(System.out, true);
        List<Row> rows = measure(states, n, threads, ms, 300, 3);
        List<Baselines.Result> none = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) none.add(Baselines.Result.missing("standalone"));
        printTable(out, rows, none);
        out.flush();
    }
}
