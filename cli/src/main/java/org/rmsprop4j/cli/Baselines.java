package org.rmsprop4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The two external baselines of {@code rmsprop4j bench}: the fused C loop
 * ({@code bench/native/rmsprop_bench.c}, compiled at run time with the machine's gcc) and
 * PyTorch's {@code torch.optim.RMSprop} ({@code bench/python/torch_rmsprop_bench.py}, run with
 * the Python given by {@code --python}, default {@code /usr/bin/python3}, i.e. Debian's PyTorch
 * 1.13). For the MLP epoch the same Python runs {@code torch_mlp_epoch.py} and
 * {@code sgemm_limit.py} (the machine's sgemm rate through {@code torch.mm}). Both are read from the source tree (found from the jar's location or
 * the working directory, or given with {@code --repo}); a baseline that cannot run is reported as
 * unavailable with the reason, never replaced by a guess.
 */
final class Baselines implements AutoCloseable {

    static final String C_SOURCE = "bench/native/rmsprop_bench.c";
    static final String TORCH_SCRIPT = "bench/python/torch_rmsprop_bench.py";
    static final String TORCH_MLP_SCRIPT = "bench/python/torch_mlp_epoch.py";
    static final String SGEMM_SCRIPT = "bench/python/sgemm_limit.py";
    static final String DL4J_MODULE = "bench-dl4j";
    static final String DL4J_MAIN = "org.rmsprop4j.benchdl4j.Dl4jMlpEpoch";
    static final String DEFAULT_PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One measurement of a baseline, or the reason there is none. */
    record Result(Double nsPerStep, Double nsPerElement, Double gbPerS, String detail, String unavailable) {
        static Result missing(String why) { return new Result(null, null, null, null, why); }
        boolean ok() { return nsPerElement != null; }
    }

    /** Arguments shared by both baseline programs. */
    record Args(String kernel, String dtype, long elements, int tensors, int threads, long minTimeMs, long warmupMs) {
        List<String> list() {
            return List.of("--kernel", kernel, "--dtype", dtype, "--elements", Long.toString(elements),
                    "--tensors", Integer.toString(tensors), "--threads", Integer.toString(threads),
                    "--min-time-ms", Long.toString(minTimeMs), "--warmup-ms", Long.toString(warmupMs));
        }
    }

    /** Seconds per training epoch of the PyTorch MLP (and the torch version), or the reason there is none. */
    record EpochResult(Double secondsPerEpoch, String torchVersion, String unavailable) {
        static EpochResult missing(String why) { return new EpochResult(null, null, why); }
        boolean ok() { return secondsPerEpoch != null; }
    }

    /** The sgemm rate (square products) and the dense MLP epoch's time at that rate, or the reason there is none. */
    record SgemmLimit(Double gflops, Double epochSeconds, Double epochGflop, String impl, String unavailable) {
        static SgemmLimit missing(String why) { return new SgemmLimit(null, null, null, null, why); }
        boolean ok() { return epochSeconds != null; }
    }

    private final Path repo;
    private final String python;
    private final Path tmp;
    private Path cBinary;
    private String cUnavailable;
    private String cCompiler;
    private String torchUnavailable;
    private String torchVersion;

    Baselines(Path repo) throws IOException {
        this(repo, DEFAULT_PYTHON);
    }

    /** @param python the interpreter for the PyTorch baselines (one that can {@code import torch}) */
    Baselines(Path repo, String python) throws IOException {
        this.repo = repo;
        this.python = python;
        this.tmp = Files.createTempDirectory("rmsprop4j-bench");
    }

    /** The source tree: {@code explicit} if given, else the checkout the jar was built in, else the working directory or a parent. */
    static Path locateRepo(Path explicit) {
        if (explicit != null) return explicit.toAbsolutePath().normalize();
        List<Path> starts = new ArrayList<>();
        try {
            var src = Baselines.class.getProtectionDomain().getCodeSource();
            if (src != null) starts.add(Path.of(src.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // fall through to the working directory
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path s : starts) {
            for (Path d = s; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve(C_SOURCE)) || Files.isRegularFile(d.resolve(TORCH_SCRIPT))) return d;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    Path repo() { return repo; }

    /** Compiles the C baseline once; afterwards {@link #cUnavailable()} says why it cannot run, or null. */
    void prepareC() {
        Path src = repo.resolve(C_SOURCE);
        if (!Files.isRegularFile(src)) {
            cUnavailable = "no " + C_SOURCE + " under " + repo;
            return;
        }
        Proc v = exec(List.of("gcc", "--version"), 30);
        if (v.error != null || v.code != 0) {
            cUnavailable = "gcc not runnable" + (v.error != null ? " (" + v.error + ")" : "");
            return;
        }
        cCompiler = v.out.lines().findFirst().orElse("gcc");
        Path bin = tmp.resolve("rmsprop_bench");
        Proc c = exec(List.of("gcc", "-O3", "-march=native", "-fopenmp", "-o", bin.toString(), src.toString(), "-lm"), 300);
        if (c.error != null || c.code != 0 || !Files.isExecutable(bin)) {
            cUnavailable = "gcc failed to build " + C_SOURCE + ": " + firstLine(c.error != null ? c.error : c.err);
            return;
        }
        cBinary = bin;
    }

    /** Checks the torch script and interpreter once; afterwards {@link #torchUnavailable()} says why it cannot run, or null. */
    void prepareTorch() {
        if (!Files.isRegularFile(repo.resolve(TORCH_SCRIPT))) {
            torchUnavailable = "no " + TORCH_SCRIPT + " under " + repo;
        } else if (!Files.isExecutable(Path.of(python))) {
            torchUnavailable = "no " + python;
        } else {
            Proc p = exec(List.of(python, "-c", "import torch; print(torch.__version__)"), 120);
            if (p.error != null || p.code != 0) {
                torchUnavailable = python + " cannot import torch" + (python.equals(DEFAULT_PYTHON) ? " (apt-get install python3-torch)" : "");
            } else {
                torchVersion = p.out.strip();
            }
        }
    }

    /** The interpreter used for the PyTorch baselines. */
    String python() { return python; }

    /** {@code torch.__version__} of {@link #python()}, once {@link #prepareTorch()} found it; else null. */
    String torchVersion() { return torchVersion; }

    String cUnavailable() { return cUnavailable; }

    String cCompiler() { return cCompiler; }

    /** The built C bench, once {@link #prepareC()} succeeded; else null. */
    Path cBinary() { return cBinary; }

    String torchUnavailable() { return torchUnavailable; }

    Result runC(Args a) {
        if (cBinary == null) return Result.missing(cUnavailable == null ? "not prepared" : cUnavailable);
        List<String> cmd = new ArrayList<>();
        cmd.add(cBinary.toString());
        cmd.addAll(a.list());
        cmd.addAll(StepTimer.cPageArgs());
        return parse(exec(cmd, 1800), "C");
    }

    Result runTorch(Args a, String foreach) {
        if (torchUnavailable != null) return Result.missing(torchUnavailable);
        List<String> cmd = new ArrayList<>(List.of(python, repo.resolve(TORCH_SCRIPT).toString()));
        cmd.addAll(a.list());
        cmd.add("--foreach");
        cmd.add(foreach);
        Proc p = exec(cmd, 1800);
        if (p.code == 3) return Result.missing("torch not importable");
        return parse(p, "torch");
    }

    EpochResult runTorchMlp(int threads, int epochs) {
        if (torchUnavailable != null) return EpochResult.missing(torchUnavailable);
        Path script = repo.resolve(TORCH_MLP_SCRIPT);
        if (!Files.isRegularFile(script)) return EpochResult.missing("no " + TORCH_MLP_SCRIPT + " under " + repo);
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--epochs", Integer.toString(epochs),
                "--threads", Integer.toString(threads)));
        // the same files the Java side reads: the train module's shipped copy, else the script's default folder
        Path res = repo.resolve("train/src/main/resources/org/rmsprop4j/data");
        if (Files.isRegularFile(res.resolve("mnist10k-train-images-idx3-ubyte.gz"))) {
            cmd.add("--data");
            cmd.add(res.toString());
        }
        Proc p = exec(cmd, 1800);
        if (p.error != null) return EpochResult.missing("torch MLP did not run: " + p.error);
        if (p.code == 3) return EpochResult.missing("torch not importable");
        if (p.code != 0) return EpochResult.missing("torch MLP exited " + p.code + ": " + firstLine(p.err));
        try {
            String last = null;
            for (String l : p.out.split("\n")) if (l.trim().startsWith("{")) last = l.trim();
            JsonNode root = last == null ? null : JSON.readTree(last);
            JsonNode n = root == null ? null : root.get("seconds_per_epoch");
            if (n == null || !n.isNumber()) return EpochResult.missing("torch MLP printed no seconds_per_epoch");
            return new EpochResult(n.asDouble(), root.path("torch_version").asText(null), null);
        } catch (IOException e) {
            return EpochResult.missing("torch MLP printed bad JSON: " + e.getMessage());
        }
    }

    /**
     * DL4J's MLP epoch ({@code bench-dl4j}, built with {@code mvn -Pdl4j -pl bench-dl4j -am package}),
     * in a JVM of its own with {@code OMP_NUM_THREADS=threads}.
     */
    EpochResult runDl4jMlp(int threads, int epochs) {
        Path mod = repo.resolve(DL4J_MODULE).resolve("target");
        Path cpFile = mod.resolve("classpath.txt"), classes = mod.resolve("classes");
        if (!Files.isRegularFile(cpFile) || !Files.isDirectory(classes)) {
            return EpochResult.missing("DL4J baseline not built (mvn -B -ntp -Pdl4j -pl " + DL4J_MODULE + " -am -DskipTests package)");
        }
        String cp;
        try {
            cp = classes + java.io.File.pathSeparator + Files.readString(cpFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return EpochResult.missing("cannot read " + cpFile + ": " + e.getMessage());
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Proc p = exec(List.of(javaBin, "-cp", cp, DL4J_MAIN, "--threads", Integer.toString(threads), "--epochs", Integer.toString(epochs)),
                1800, java.util.Map.of("OMP_NUM_THREADS", Integer.toString(threads)));
        if (p.error != null) return EpochResult.missing("DL4J MLP did not run: " + p.error);
        if (p.code != 0) return EpochResult.missing("DL4J MLP exited " + p.code + ": " + firstLine(p.err));
        try {
            String last = null;
            for (String l : p.out.split("\n")) if (l.trim().startsWith("{")) last = l.trim();
            JsonNode root = last == null ? null : JSON.readTree(last);
            JsonNode n = root == null ? null : root.get("seconds_per_epoch");
            if (n == null || !n.isNumber()) return EpochResult.missing("DL4J MLP printed no seconds_per_epoch");
            return new EpochResult(n.asDouble(), root.path("dl4j_version").asText(null), null);
        } catch (IOException e) {
            return EpochResult.missing("DL4J MLP printed bad JSON: " + e.getMessage());
        }
    }

    /** Runs {@code sgemm_limit.py} with {@code threads} threads: the sgemm rate of square products and the dense epoch's time at it. */
    SgemmLimit runSgemmLimit(int threads, double minTimeSeconds) {
        if (torchUnavailable != null) return SgemmLimit.missing(torchUnavailable);
        Path script = repo.resolve(SGEMM_SCRIPT);
        if (!Files.isRegularFile(script)) return SgemmLimit.missing("no " + SGEMM_SCRIPT + " under " + repo);
        Proc p = exec(List.of(python, script.toString(), "--threads", Integer.toString(threads), "--min-time",
                Double.toString(minTimeSeconds)), 600);
        if (p.error != null) return SgemmLimit.missing("sgemm limit did not run: " + p.error);
        if (p.code != 0) return SgemmLimit.missing("sgemm limit exited " + p.code + ": " + firstLine(p.err));
        try {
            String last = null;
            for (String l : p.out.split("\n")) if (l.trim().startsWith("{")) last = l.trim();
            JsonNode root = last == null ? null : JSON.readTree(last);
            if (root == null || !root.path("epoch_seconds_at_square_rate").isNumber()) return SgemmLimit.missing("sgemm limit printed no epoch_seconds_at_square_rate");
            return new SgemmLimit(root.path("square_gflops").asDouble(), root.path("epoch_seconds_at_square_rate").asDouble(),
                    root.path("epoch_gflop").asDouble(), "torch.mm " + root.path("torch_version").asText("?"), null);
        } catch (IOException e) {
            return SgemmLimit.missing("sgemm limit printed bad JSON: " + e.getMessage());
        }
    }

    private static Result parse(Proc p, String what) {
        if (p.error != null) return Result.missing(what + " did not run: " + p.error);
        if (p.code != 0) return Result.missing(what + " exited " + p.code + ": " + firstLine(p.err));
        String last = null;
        for (String l : p.out.split("\n")) if (l.trim().startsWith("{")) last = l.trim();
        if (last == null) return Result.missing(what + " printed no JSON");
        try {
            JsonNode n = JSON.readTree(last);
            JsonNode ns = n.get("ns_per_element");
            if (ns == null || !ns.isNumber()) return Result.missing(what + " printed no ns_per_element");
            String detail = n.has("foreach") ? "foreach=" + n.get("foreach").asText() : n.has("parallel") ? "parallel=" + n.get("parallel").asText() : null;
            return new Result(n.path("ns_per_step").asDouble(), ns.asDouble(), n.path("gb_per_s").asDouble(), detail, null);
        } catch (IOException e) {
            return Result.missing(what + " printed bad JSON: " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) return "(no message)";
        return s.strip().lines().findFirst().orElse("");
    }

    private record Proc(int code, String out, String err, String error) {}

    private Proc exec(List<String> cmd, long timeoutSeconds) {
        return exec(cmd, timeoutSeconds, java.util.Map.of());
    }

    private Proc exec(List<String> cmd, long timeoutSeconds, java.util.Map<String, String> env) {
        try {
            Path errFile = Files.createTempFile(tmp, "err", ".txt");
            Path outFile = Files.createTempFile(tmp, "out", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(errFile.toFile()).redirectOutput(outFile.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Proc(-1, "", "", "timed out after " + timeoutSeconds + " s");
            }
            String out = Files.readString(outFile, StandardCharsets.UTF_8);
            String err = Files.readString(errFile, StandardCharsets.UTF_8);
            Files.deleteIfExists(errFile);
            Files.deleteIfExists(outFile);
            return new Proc(p.exitValue(), out, err, null);
        } catch (IOException e) {
            return new Proc(-1, "", "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Proc(-1, "", "", "interrupted");
        }
    }

    @Override public void close() {
        try (var s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp dir is not worth failing the benchmark for
        }
    }
}
