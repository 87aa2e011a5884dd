package org.rmsprop4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rmsprop4j bench}: our RMSprop step next to a fused C loop and PyTorch, on this machine,
 * in one run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times one RMSprop step (PyTorch defaults: lr 0.01, alpha 0.99, eps 1e-8; fp32",
                "unless --dtype) of rmsprop4j (in this JVM), of a fused C loop",
                "(" + Baselines.C_SOURCE + ", built now with gcc -O3 -march=native -fopenmp;",
                "not with --no-c) and of torch.optim.RMSprop",
                "(" + Baselines.TORCH_SCRIPT + ", run by --python, default " + Baselines.DEFAULT_PYTHON + ";",
                "not with --no-torch), for single tensors of 1e6, 1e7 and 1e8 elements, 1,000",
                "tensors of 1,000 elements, and the seed article's 2-parameter problem (2 scalar",
                "tensors).",
                "Prints ns per element, GB/s (20 bytes per fp32 element: read p, g, v; write p, v;",
                "40 for fp64) and ratios = baseline time / our time (above 1: we are faster). A",
                "baseline that cannot run is shown as n/a (null in --json), the reason on stderr.",
                "Default run: a few minutes; --quick: under one minute (no 1e8)."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Short run: 200 ms per measurement, no 1e8-element tensor.")
    boolean quick;

    @Option(names = "--json", description = "Print {\"rows\": [...]} instead of the table (progress still goes to stderr).")
    boolean json;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32",
            description = "float32 or float64 (also fp32, fp64; default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--threads", split = ",", paramLabel = "K", description = "Thread counts to run single and many-small workloads with (default 1,2).")
    List<Integer> threads = new ArrayList<>(List.of(1, 2));

    @Option(names = "--sizes", split = ",", paramLabel = "N",
            description = "Single-tensor sizes (default 1e6,1e7,1e8; --quick 1e6,1e7). Accepts 1e6 notation.")
    List<String> sizes;

    @Option(names = "--min-time-ms", paramLabel = "MS", description = "Timed time per measurement (default 1000, --quick 200).")
    Long minTimeMs;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Ours and the C loop alternate in N rounds of --min-time-ms/N each, the C process kept warm between them, so that a "
                    + "change of load falls on both (default 5); reported: the median of the rounds' medians, each round's ours/C in --json. "
                    + "1: ours, then C, once each (as before 2026-11-27).")
    int rounds = 5;

    @Option(names = "--mlp",
            description = "Also time one training epoch of the MLP 784-128-64-10 on MNIST-10k (batch 64, RMSprop 1e-3) against "
                    + Baselines.TORCH_MLP_SCRIPT + ", and the sgemm limit (" + Baselines.SGEMM_SCRIPT + ": the dense epoch's FLOPs at "
                    + "torch.mm's rate on square products), both with --python (adds one to two minutes). JSON: an extra \"mlp\" list beside \"rows\".")
    boolean mlp;

    @Option(names = "--shared",
            description = "Also time shared-state (Hogwild!, lock-free, racy) training against synchronous training on the MLP epoch: "
                    + "s/epoch, samples/s and the test accuracy after the same epochs (BenchShared). JSON: an extra \"shared\" list beside \"rows\".")
    boolean shared;

    @Option(names = "--shared-workers", split = ",", paramLabel = "K", description = "With --shared: worker counts of shared-state training (default 1,2,4; synchronous training runs --threads).")
    List<Integer> sharedWorkers = new ArrayList<>(List.of(1, 2, 4));

    @Option(names = "--shared-rounds", paramLabel = "N", description = "With --shared: rounds over all configurations (default 3, --quick 1); each trains 3 epochs (--quick 2), the first untimed.")
    Integer sharedRounds;

    @Option(names = "--python", paramLabel = "PATH",
            description = "Python interpreter with torch for the PyTorch baselines (default ${DEFAULT-VALUE}, Debian's PyTorch 1.13; "
                    + "e.g. a venv's bin/python with the PyTorch 2 CPU wheel).")
    String python = Baselines.DEFAULT_PYTHON;

    @Option(names = "--state", split = ",", paramLabel = "STATE",
            description = "Also time the fp32 step against 8-bit state, interleaved in this JVM, at every --sizes and --threads: "
                    + "8bit-2048, 8bit-256 (any 8bit-<block>, and 8bit-<block>-unbiased for unbiased rounding of mean squares; see Bench8bit), "
                    + "fp8-2048, fp8-256, fp8-256-unbiased (the float8 maps). Rows with workload \"state\" and a \"state\" field.")
    List<String> states;

    @Option(names = "--no-c", description = "Do not build and run the C baseline.")
    boolean noC;

    @Option(names = "--no-dl4j", description = "With --mlp: do not run DL4J's MLP epoch (module bench-dl4j, built with -Pdl4j).")
    boolean noDl4j;

    @Option(names = "--no-torch", description = "Do not run the PyTorch baseline.")
    boolean noTorch;

    @Option(names = "--repo", paramLabel = "DIR",
            description = "Source tree holding " + Baselines.C_SOURCE + " and " + Baselines.TORCH_SCRIPT
                    + " (default: the checkout this jar was built in, else the working directory or a parent).")
    Path repo;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Rows timed in alternating rounds with the C loop (--rounds), by workload. */
    private final Map<Workload, BenchRounds.Timed> roundTimings = new java.util.IdentityHashMap<>();

    /** One workload to measure. */
    record Workload(String name, int elements, int tensors, int threads) {}

    /** One line of the result. */
    record Row(Workload w, StepTimer.Timing ours, Baselines.Result c, Baselines.Result torch, int bytesPerElement) {
        double oursNsPerElement() { return ours.nsPerStep() / ((double) w.elements * w.tensors); }
        Double vsC() { return c.ok() ? c.nsPerElement() / oursNsPerElement() : null; }
        Double vsTorch() { return torch.ok() ? torch.nsPerElement() / oursNsPerElement() : null; }
    }

    @Override public Integer call() throws Exception {
        switch (dtype.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "float32": case "fp32": dtype = "fp32"; break;
            case "float64": case "fp64": dtype = "fp64"; break;
            default: throw new CliException("--dtype must be float32 or float64 (or fp32, fp64), got '" + dtype + "'");
        }
        for (int k : threads) if (k < 1 || k > 256) throw new CliException("--threads must be in 1..256, got " + k);
        for (int k : sharedWorkers) if (k < 1 || k > 256) throw new CliException("--shared-workers must be in 1..256, got " + k);
        if (rounds < 1 || rounds > 100) throw new CliException("--rounds must be in 1..100, got " + rounds);
        if (sharedRounds != null && (sharedRounds < 1 || sharedRounds > 100)) throw new CliException("--shared-rounds must be in 1..100, got " + sharedRounds);
        if (minTimeMs != null && (minTimeMs < 1 || minTimeMs > 600_000)) {
            throw new CliException("--min-time-ms must be in 1..600000, got " + minTimeMs);
        }
        if (repo != null && !java.nio.file.Files.isDirectory(repo)) {
            throw new CliException("--repo " + repo + ": not a folder (give the source tree that holds " + Baselines.C_SOURCE + ")");
        }
        long minMs = minTimeMs != null ? minTimeMs : quick ? 200 : 1000;
        if (minMs < 0) throw new CliException("--min-time-ms must be >= 0, got " + minMs);
        long warmMs = quick ? 100 : 300;
        boolean pythonGiven = spec.commandLine().getParseResult().hasMatchedOption("--python");
        if (pythonGiven && !noTorch && !(Files.isRegularFile(Path.of(python)) && Files.isExecutable(Path.of(python)))) {
            throw new CliException("--python must be an executable file (a Python with torch), got '" + python + "'");
        }
        List<org.rmsprop4j.optim.StateQuantization> stateList = states == null ? null : Bench8bit.parse(states, dtype);
        List<Workload> work = workloads();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int bpe = dtype.equals("fp64") ? 40 : 20;
        String loadBefore = loadAverage();
        List<Row> rows = new ArrayList<>();
        try (Baselines base = new Baselines(Baselines.locateRepo(repo), python)) {
            if (!noC) base.prepareC();
            if (!noTorch) base.prepareTorch();
            if (!noC && base.cUnavailable() != null) err.println("bench: C baseline unavailable: " + base.cUnavailable());
            if (!noTorch && base.torchUnavailable() != null) err.println("bench: torch baseline unavailable: " + base.torchUnavailable());
            for (Workload w : work) {
                err.printf(Locale.ROOT, "bench: %s, %d × %d elements, %d thread(s): ours", w.name, w.tensors, w.elements, w.threads);
                err.flush();
                Baselines.Args a = new Baselines.Args("plain", dtype, w.elements, w.tensors, w.threads, minMs, warmMs);
                BenchRounds.Timed timed = null;
                StepTimer.lastPlacement = null;
                if (rounds > 1 && !noC && base.cBinary() != null) {
                    err.print(" and C in " + rounds + " rounds");
                    err.flush();
                    try {
                        timed = BenchRounds.time(StepTimer.stepper(dtype, w.elements, w.tensors, w.threads), base.cBinary(), a, rounds, minMs, warmMs);
                        roundTimings.put(w, timed);
                    } catch (java.io.IOException e) {
                        err.print(" (failed: " + e.getMessage() + "; one after the other instead)");
                    }
                    System.gc();
                }
                StepTimer.Timing ours = timed != null ? timed.ours() : StepTimer.time(dtype, w.elements, w.tensors, w.threads, minMs, warmMs);
                if (timed == null) System.gc();
                if (!noC && timed == null) {
                    err.print(", C");
                    err.flush();
                }
                Baselines.Result c = noC ? Baselines.Result.missing("--no-c")
                        : timed != null ? timed.c((long) w.elements * w.tensors, bpe) : base.runC(a);
                if (!noTorch) {
                    err.print(", torch");
                    err.flush();
                }
                Baselines.Result t = noTorch ? Baselines.Result.missing("--no-torch") : base.runTorch(a, "auto");
                err.println();
                if (w.elements >= 10_000_000 && StepTimer.lastPlacement != null) err.println("bench:   ours, placement: " + StepTimer.lastPlacement);
                if (!c.ok() && !noC && base.cUnavailable() == null) err.println("bench:   C: " + c.unavailable());
                if (!t.ok() && !noTorch && base.torchUnavailable() == null) err.println("bench:   torch: " + t.unavailable());
                rows.add(new Row(w, ours, c, t, bpe));
            }
            List<Bench8bit.Row> stateRows = new ArrayList<>();
            List<Baselines.Result> stateC = new ArrayList<>();
            if (stateList != null) Bench8bit.run(this, stateList, work, base, minMs, warmMs, stateRows, stateC, err);
            List<Map<String, Object>> mlpRows = new ArrayList<>();
            if (mlp) {
                for (int k : threads) {
                    err.printf(Locale.ROOT, "bench: MLP epoch on MNIST-10k, %d thread(s): ours", k);
                    err.flush();
                    MlpEpochTimer.Result ours = MlpEpochTimer.run(k, quick ? 1 : 3);
                    if (!noTorch) {
                        err.print(", torch");
                        err.flush();
                    }
                    Baselines.EpochResult t = noTorch ? Baselines.EpochResult.missing("--no-torch") : base.runTorchMlp(k, quick ? 1 : 3);
                    err.print(", DL4J");
                    err.flush();
                    Baselines.EpochResult dl = noDl4j ? Baselines.EpochResult.missing("--no-dl4j") : base.runDl4jMlp(k, quick ? 1 : 3);
                    err.print(", sgemm limit");
                    err.flush();
                    Baselines.SgemmLimit lim = noTorch ? Baselines.SgemmLimit.missing("--no-torch") : base.runSgemmLimit(k, quick ? 0.3 : 1.0);
                    err.println();
                    if (!t.ok() && !noTorch) err.println("bench:   torch: " + t.unavailable());
                    if (!lim.ok() && !noTorch) err.println("bench:   sgemm limit: " + lim.unavailable());
                    if (!dl.ok() && !noDl4j) err.println("bench:   DL4J: " + dl.unavailable());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("workload", "mlp-epoch");
                    m.put("threads", k);
                    m.put("ours_seconds_per_epoch", ours.secondsPerEpoch());
                    m.put("ours_epoch_seconds", ours.epochSeconds());
                    m.put("ours_cpu_seconds_per_epoch", Double.isNaN(ours.cpuSecondsPerEpoch()) ? null : ours.cpuSecondsPerEpoch());
                    m.put("ours_warmup_runs", ours.warmupRuns());
                    m.put("python", noTorch ? null : base.python());
                    m.put("torch_version", t.torchVersion() != null ? t.torchVersion() : noTorch ? null : base.torchVersion());
                    m.put("torch_seconds_per_epoch", t.secondsPerEpoch());
                    m.put("ours_vs_torch", t.ok() ? t.secondsPerEpoch() / ours.secondsPerEpoch() : null);
                    m.put("dl4j_seconds_per_epoch", dl.secondsPerEpoch());
                    m.put("ours_vs_dl4j", dl.ok() ? dl.secondsPerEpoch() / ours.secondsPerEpoch() : null);
                    m.put("sgemm_impl", lim.impl());
                    m.put("sgemm_gflops", lim.gflops());
                    m.put("epoch_gflop", lim.epochGflop());
                    m.put("sgemm_limit_seconds_per_epoch", lim.epochSeconds());
                    m.put("ours_over_sgemm_limit", lim.ok() ? ours.secondsPerEpoch() / lim.epochSeconds() : null);
                    mlpRows.add(m);
                }
            }
            List<Map<String, Object>> sharedRows = shared ? BenchShared.run(threads, sharedWorkers, quick ? 2 : 3, sharedRounds != null ? sharedRounds : quick ? 1 : 3, err) : null;
            String loadAfter = loadAverage();
            if (json) {
                printJson(out, rows, mlpRows, sharedRows, stateRows, stateC);
                err.println("bench: " + machine(base) + "; load average before " + loadBefore + ", after " + loadAfter);
            } else {
                printTable(out, rows, base, loadBefore, loadAfter, minMs);
                if (!stateRows.isEmpty()) Bench8bit.printTable(out, stateRows, stateC);
                for (Map<String, Object> m : mlpRows) {
                    out.printf(Locale.ROOT, "mlp-epoch  MNIST-10k 784-128-64-10, batch 64, %s thread(s): ours %.3f s/epoch, torch %s %s s/epoch, "
                                    + "ours/torch %s; DL4J %s s/epoch, ours/DL4J %s; sgemm limit %s s/epoch (%s GFLOP/s), ours/limit time %s%n",
                            m.get("threads"), (Double) m.get("ours_seconds_per_epoch"), m.get("torch_version") == null ? "" : m.get("torch_version"),
                            num((Double) m.get("torch_seconds_per_epoch")), ratio((Double) m.get("ours_vs_torch")),
                            num((Double) m.get("dl4j_seconds_per_epoch")), ratio((Double) m.get("ours_vs_dl4j")),
                            num((Double) m.get("sgemm_limit_seconds_per_epoch")), num((Double) m.get("sgemm_gflops")),
                            ratio((Double) m.get("ours_over_sgemm_limit")));
                }
                if (sharedRows != null) BenchShared.print(out, sharedRows);
            }
        }
        out.flush();
        return 0;
    }

    List<Workload> workloads() {
        List<String> ss = sizes != null ? sizes : quick ? List.of("1e6", "1e7") : List.of("1e6", "1e7", "1e8");
        List<Workload> w = new ArrayList<>();
        for (String s : ss) {
            int n = parseCount("--sizes", s);
            long need = (long) n * ("fp64".equals(dtype) ? 24L : 12L);
            if (need > Runtime.getRuntime().maxMemory() * 0.8) {
                throw new CliException("--sizes " + s + " needs about " + need / (1 << 20) + " MiB for parameters, gradients and state, but the JVM may use "
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; use a smaller size or RMSPROP4J_JAVA_OPTS=-Xmx<size>");
            }
            for (int k : threads) w.add(new Workload("single", n, 1, k));
        }
        for (int k : threads) w.add(new Workload("many-small", 1000, 1000, k));
        w.add(new Workload("seed-neuron", 1, 2, 1));
        return w;
    }

    static int parseCount(String opt, String s) {
        double d;
        try {
            d = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new CliException(opt + " must be a whole number like 1000000 or 1e6, got '" + s + "'");
        }
        if (!(d >= 1 && d <= 1.5e9) || d != Math.floor(d)) throw new CliException(opt + " must be a whole number in 1..1.5e9, got '" + s + "'");
        return (int) d;
    }

    private void printJson(PrintWriter out, List<Row> rows, List<Map<String, Object>> mlpRows, List<Map<String, Object>> sharedRows,
                           List<Bench8bit.Row> stateRows, List<Baselines.Result> stateC) throws Exception {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", r.w.name);
            m.put("kernel", "rmsprop");
            m.put("dtype", dtype);
            m.put("elements", r.w.elements);
            m.put("tensors", r.w.tensors);
            m.put("threads", r.w.threads);
            m.put("ours_ns_per_element", r.oursNsPerElement());
            m.put("c_ns_per_element", r.c.nsPerElement());
            m.put("torch_ns_per_element", r.torch.nsPerElement());
            m.put("ours_vs_c", r.vsC());
            m.put("ours_vs_torch", r.vsTorch());
            m.put("state", dtype);
            BenchRounds.Timed timed = roundTimings.get(r.w);
            if (timed != null) timed.json(m, (long) r.w.elements * r.w.tensors);
            list.add(m);
        }
        for (int i = 0; i < stateRows.size(); i++) list.add(Bench8bit.json(stateRows.get(i), stateC.get(i)));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("rows", list);
        if (mlp) root.put("mlp", mlpRows);
        if (sharedRows != null) root.put("shared", sharedRows);
        out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
    }

    private void printTable(PrintWriter out, List<Row> rows, Baselines base, String loadBefore, String loadAfter, long minMs) {
        out.println("rmsprop4j bench — RMSprop step, " + dtype + ", PyTorch defaults; " + Instant.now());
        out.println(machine(base) + "; load average before " + loadBefore + ", after " + loadAfter + "; " + minMs + " ms per measurement");
        out.printf(Locale.ROOT, "%-12s %10s %7s %3s | %9s %7s | %9s %7s | %9s %7s | %8s %9s%n",
                "workload", "elements", "tensors", "thr", "ours ns/e", "GB/s", "C ns/e", "GB/s", "torch ns/e", "GB/s", "ours/C", "ours/torch");
        for (Row r : rows) {
            double ours = r.oursNsPerElement();
            out.printf(Locale.ROOT, "%-12s %10d %7d %3d | %9s %7s | %9s %7s | %9s %7s | %8s %9s%n",
                    r.w.name, r.w.elements, r.w.tensors, r.w.threads,
                    num(ours), num(r.bytesPerElement / ours), num(r.c.nsPerElement()), gb(r.c, r.bytesPerElement),
                    num(r.torch.nsPerElement()), gb(r.torch, r.bytesPerElement), ratio(r.vsC()), ratio(r.vsTorch()));
        }
        out.println("ours/X = X's time / our time (above 1: rmsprop4j is faster). GB/s counts " + rows.get(0).bytesPerElement
                + " bytes per element. n/a: baseline not run (reason on stderr).");
        if (!roundTimings.isEmpty()) out.println("Ours and C in " + rounds + " alternating rounds (--rounds); ours and C above are medians over rounds:");
        for (Row r : rows) {
            BenchRounds.Timed timed = roundTimings.get(r.w);
            if (timed != null) timed.print(out, r.w.name, r.w.elements, r.w.tensors, r.w.threads);
        }
    }

    private static String gb(Baselines.Result r, int bpe) { return r.ok() ? num(bpe / r.nsPerElement()) : "n/a"; }

    private static String num(Double v) {
        if (v == null) return "n/a";
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 0.1) return String.format(Locale.ROOT, "%.3f", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String ratio(Double v) { return v == null ? "n/a" : num(v) + "×"; }

    private static String machine(Baselines base) {
        String cpu = "unknown CPU";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version")
                + (base.cCompiler() != null ? ", " + base.cCompiler() : "");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
