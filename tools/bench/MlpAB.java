import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A/B of the MLP epoch (MNIST-10k, 784-128-64-10, batch 64, RMSprop 1e-3, float32) between cli jars, in one JVM:
 * each jar in its own class loader, their runs alternated round by round so that load changes hit them alike.
 *
 *   java [--add-modules jdk.incubator.vector] tools/bench/MlpAB.java THREADS ROUNDS EPOCHS A.jar[,prop=value...] [B.jar[,prop=value...] ...]
 *
 * With --add-modules jdk.incubator.vector the MLP's first layer runs its Vector API loops (Gemm32Vector), which
 * rmsprop4j.train.vectorProducts=false turns off for one jar; without it every jar runs the scalar loops.
 *
 * A jar may be given twice with different properties (read when its classes initialise, e.g.
 * cli/target/rmsprop4j.jar,rmsprop4j.train.spinMicros=5); -Dprop=value before the file name applies to every jar.
 *
 * Per run: one untimed epoch, then EPOCHS timed ones; prints per jar the median (min) wall seconds per epoch,
 * the median process CPU seconds per epoch, the median calling-thread CPU seconds per epoch, a CRC-32C of the
 * parameters after the last run (the same for every jar and thread count when the bits are the same), and each round's
 * median; and per round the JIT's compilation milliseconds and the CPU the process spent outside the trainer's threads (the
 * caller and the rmsprop4j-trainer workers): the JIT compiler and GC threads.
 *
 * -Ddense=true trains on MNIST-10k with every pixel 0.05 + 0.9·value instead, so that no input is zero (the first layer's listed
 * products then do the dense work; issue 15, tenth pass, measured the owned-rest share with it).
 *
 * Warm-up: rounds of one run per jar, at least 6 and by default until a round compiles under 5 ms per jar (at most 15;
 * bench --mlp's rule, MlpEpochTimer), each run as long as a timed one (1 + EPOCHS epochs); -Dwarmup=fixed runs exactly 6
 * rounds of one-epoch runs (this tool's only rule before 2026-11-28, 04:00 UTC).
 *
 * <p>{@code far} mode (issue 15, ninth pass; was tools/bench/MlpFar.java): where does the 2-thread MLP epoch lose its time when
 * the two vCPUs are "far" apart? Each round: the cache-line round trip, a run of each spec on each thread count of the list
 * (order reversed every other round), the round trip again. Each run has one untimed epoch and EPOCHS timed ones; with
 * -Drmsprop4j.train.profile=true (set by this mode) the trainer prints its per-thread phase times when closed, and they are
 * printed under the round, so a far round's phases can be set beside a near round's. Warm-up: 6 rounds of runs (each thread
 * count), the fixed rule.
 *
 *   java --add-modules jdk.incubator.vector tools/bench/MlpAB.java far THREADS_LIST ROUNDS EPOCHS A.jar[,prop=value...] [B.jar[,...] ...]
 *   e.g. ... MlpAB.java far 2,1 12 2 cli/target/rmsprop4j.jar     or  ... MlpAB.java far 2 40 2 J J,rmsprop4j.train.pull=true
 * Summary of far and near rounds (medians per spec, thread and phase): tools/bench/mlp_far_summary.py LOG
 */
public class MlpAB {
    public static void main(String[] a) throws Exception {
        if (a.length > 0 && a[0].equals("far")) {
            far(Arrays.copyOfRange(a, 1, a.length));
            return;
        }
        int threads = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]), epochs = Integer.parseInt(a[2]);
        int nj = a.length - 3;
        for (int j = 0; j < nj; j++) {
            String[] jp = a[3 + j].split(",");
            loaders.add(new URLClassLoader(new URL[] {new File(jp[0]).toURI().toURL()}, ClassLoader.getPlatformClassLoader()));
            java.util.Properties props = new java.util.Properties();
            for (int k = 1; k < jp.length; k++) props.setProperty(jp[k].substring(0, jp[k].indexOf('=')), jp[k].substring(jp[k].indexOf('=') + 1));
            jarProps.add(props);
        }
        // each jar's properties are set while its classes initialise (its first run), then cleared
        for (int j = 0; j < nj; j++) {
            jarProps.get(j).forEach((k, v) -> System.setProperty((String) k, (String) v));
            Runner.run(loaders.get(j), threads, 1);
            jarProps.get(j).forEach((k, v) -> System.clearProperty((String) k));
        }
        List<List<double[]>> res = new ArrayList<>();
        for (int j = 0; j < nj; j++) res.add(new ArrayList<>());
        // warm-up: rounds of one run per jar. -Dwarmup=steady (the default, bench --mlp's rule): runs as long as a timed one,
        // at least 6 rounds and until one passes with under 5 ms of JIT per jar, at most 15; -Dwarmup=fixed: 6 one-epoch rounds
        boolean steady = !"fixed".equals(System.getProperty("warmup", "steady"));
        // steady warm-up runs as many epochs as a timed run: Trainer.fit's epoch loop is compiled (OSR, 150-180 ms of C2)
        // only once runs have more than one epoch, which one-epoch warm-up runs left to the first timed rounds
        int warmEpochs = steady ? 1 + epochs : 1;
        int warm = 0;
        StringBuilder warmJit = new StringBuilder();
        while (warm < 15) {
            long before = jitMs();
            for (int j = 0; j < nj; j++) Runner.run(loaders.get(j), threads, warmEpochs);
            warm++;
            long ms = jitMs() - before;
            warmJit.append(' ').append(ms);
            if (warm >= 6 && (!steady || ms < 5L * nj)) break;
        }
        System.out.printf("warm-up: %d rounds of %d-epoch runs (%s), JIT ms per warm-up round:%s%n", warm, warmEpochs,
                steady ? "until a round compiles < 5 ms per jar" : "fixed", warmJit);
        long[] roundAt = new long[rounds], roundNs = new long[rounds + 1], steal = new long[rounds + 1];
        double[] pingNs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            roundAt[r] = ManagementFactory.getRuntimeMXBean().getUptime();
            steal[r] = stealTicks();
            pingNs[r] = pingPongNs();
            roundNs[r] = System.nanoTime();
            for (int j = 0; j < nj; j++) {
                int jj = (r % 2 == 0) ? j : nj - 1 - j;
                res.get(jj).addAll(Runner.run(loaders.get(jj), threads, 1 + epochs).subList(1, 1 + epochs));
            }
        }
        roundNs[rounds] = System.nanoTime();
        steal[rounds] = stealTicks();
        System.out.printf("threads %d, %d rounds x %d epochs, load %s%n", threads, rounds, epochs, load());
        System.out.println("rounds started at JVM uptime (ms, as -XX:+PrintCompilation's times): " + Arrays.toString(roundAt));
        StringBuilder ns = new StringBuilder("rounds start/end at System.nanoTime (s; CLOCK_MONOTONIC, as perf record -k CLOCK_MONOTONIC):");
        for (int r = 0; r <= rounds; r++) ns.append(String.format(" %.6f", roundNs[r] / 1e9));
        System.out.println(ns);
        StringBuilder sb = new StringBuilder("per round, CPU time the hypervisor stole from this VM (/proc/stat steal, ticks of 10 ms, all CPUs):");
        for (int r = 0; r < rounds; r++) sb.append(' ').append(steal[r + 1] - steal[r]);
        System.out.println(sb);
        StringBuilder pb = new StringBuilder("before each round, one cache line bounced between two threads (ns per round trip, median of 9 x 2,000):");
        for (int r = 0; r < rounds; r++) pb.append(String.format(" %.0f", pingNs[r]));
        System.out.println(pb);
        for (int j = 0; j < nj; j++) {
            double[] wall = res.get(j).stream().mapToDouble(x -> x[0]).toArray();
            double[] cpu = res.get(j).stream().mapToDouble(x -> x[1]).toArray();
            double[] tcpu = res.get(j).stream().mapToDouble(x -> x[2]).toArray();
            double[] jitms = res.get(j).stream().mapToDouble(x -> x[3]).toArray();
            double[] trcpu = res.get(j).stream().mapToDouble(x -> x[4]).toArray();
            System.out.printf("%-40s wall %.4f (min %.4f)  process CPU %.4f  caller CPU %.4f  trainer threads CPU %.4f  parameters crc32c %s%n", a[3 + j],
                    med(wall), Arrays.stream(wall).min().getAsDouble(), med(cpu), med(tcpu), med(trcpu), Runner.hash.get(loaders.get(j)));
            StringBuilder per = new StringBuilder("    per round (median of its epochs):");
            for (int r = 0; r < rounds; r++) per.append(String.format(" %.4f", med(Arrays.copyOfRange(wall, r * epochs, (r + 1) * epochs))));
            System.out.println(per);
            double[] alloc = res.get(j).stream().mapToDouble(x -> x[5]).toArray();
            StringBuilder pj = new StringBuilder("    per round, JIT ms / other CPU ms (process minus trainer threads) / trainer threads' allocation KB per epoch:");
            for (int r = 0; r < rounds; r++) {
                double jm = 0, oc = 0, al = 0;
                for (int e = r * epochs; e < (r + 1) * epochs; e++) { jm += jitms[e]; oc += (cpu[e] - trcpu[e]) * 1e3; al += alloc[e] / 1024 / epochs; }
                pj.append(String.format(" %.0f/%.0f/%.0f", jm, oc, al));
            }
            System.out.println(pj);
        }
    }

    /** The far mode (see the class comment): a = THREADS_LIST ROUNDS EPOCHS specs... */
    static void far(String[] a) throws Exception {
        int[] threads = Arrays.stream(a[0].split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.parseInt(a[1]), epochs = Integer.parseInt(a[2]), nj = a.length - 3;
        System.setProperty("rmsprop4j.train.profile", "true");
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        for (int j = 0; j < nj; j++) { // each spec's properties are set while its classes initialise (its first run), as MlpAB does
            String[] jp = a[3 + j].split(",");
            loaders.add(new URLClassLoader(new URL[] {new File(jp[0]).toURI().toURL()}, ClassLoader.getPlatformClassLoader()));
            for (int k = 1; k < jp.length; k++) System.setProperty(jp[k].substring(0, jp[k].indexOf('=')), jp[k].substring(jp[k].indexOf('=') + 1));
            Runner.run(loaders.get(j), threads[0], 1);
            for (int k = 1; k < jp.length; k++) System.clearProperty(jp[k].substring(0, jp[k].indexOf('=')));
        }
        for (int w = 0; w < 6; w++) for (ClassLoader cl : loaders) for (int t : threads) Runner.run(cl, t, 1 + epochs);
        System.setErr(err);
        System.out.printf("threads %s, %d rounds x %d epochs, load at start %s%n", a[0], rounds, epochs, load());
        for (int r = 0; r < rounds; r++) {
            long steal0 = stealTicks(), start = System.nanoTime();
            double before = pingPongNs();
            StringBuilder line = new StringBuilder(), prof = new StringBuilder();
            for (int i = 0; i < threads.length * nj; i++) {
                int ii = r % 2 == 0 ? i : threads.length * nj - 1 - i, j = ii / threads.length, t = threads[ii % threads.length];
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                System.setErr(new PrintStream(buf));
                List<double[]> res;
                try {
                    res = Runner.run(loaders.get(j), t, 1 + epochs).subList(1, 1 + epochs);
                } finally {
                    System.setErr(err);
                }
                double[] wall = res.stream().mapToDouble(x -> x[0]).toArray();
                line.append(String.format("  [%d] %d thr %.4f", j, t, med(wall)));
                prof.append("[").append(j).append("] ").append(buf);
            }
            double after = pingPongNs();
            System.out.printf("round %d: round trip %.0f -> %.0f ns%s  steal %d ticks  load %s  monotonic %.3f-%.3f s%n", r, before, after, line,
                    stealTicks() - steal0, load(), start / 1e9, System.nanoTime() / 1e9);
            System.out.print(prof);
        }
        for (int j = 0; j < nj; j++) System.out.printf("[%d] = %s%n", j, a[3 + j]);
    
    }

    static final List<ClassLoader> loaders = new ArrayList<>();
    static final List<java.util.Properties> jarProps = new ArrayList<>();

    static String load() {
        try { return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim(); } catch (Exception e) { return "?"; }
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Nanoseconds per round trip of one cache line between this thread and another (each waits for the other's write, then
     * writes): what a line written on one core and read on the other costs now, which depends on where the host put the two
     * virtual CPUs. Median of 9 runs of 2,000 round trips.
     */
    static double pingPongNs() throws InterruptedException {
        java.util.concurrent.atomic.AtomicLong line = new java.util.concurrent.atomic.AtomicLong();
        int n = 2000, runs = 9;
        Thread t = new Thread(() -> {
            for (long v = 1; v < 2L * n * runs; v += 2) {
                while (line.get() != v) Thread.onSpinWait();
                line.set(v + 1);
            }
        });
        t.setDaemon(true);
        t.start();
        double[] per = new double[runs];
        long v = 0;
        for (int k = 0; k < runs; k++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                line.set(v + 1);
                while (line.get() != v + 2) Thread.onSpinWait();
                v += 2;
            }
            per[k] = (System.nanoTime() - t0) / (double) n;
        }
        t.join();
        return med(per);
    }

    /** The machine's steal ticks so far (/proc/stat's first line, eighth value); -1 when unreadable. */
    static long stealTicks() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[8]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** Milliseconds the JIT has spent compiling so far (0 when the JVM cannot tell). */
    static long jitMs() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** CPU nanoseconds of the calling thread and the trainer's workers (the threads named rmsprop4j-trainer). */
    static long trainerCpu(java.lang.management.ThreadMXBean tm) {
        long sum = tm.getCurrentThreadCpuTime();
        for (java.lang.management.ThreadInfo ti : tm.getThreadInfo(tm.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().startsWith("rmsprop4j-trainer")) sum += Math.max(0, tm.getThreadCpuTime(ti.getThreadId()));
        }
        return sum;
    }

    /** Bytes allocated so far by the calling thread and the trainer's workers. */
    static long trainerAlloc(java.lang.management.ThreadMXBean tm) {
        com.sun.management.ThreadMXBean sm = (com.sun.management.ThreadMXBean) tm;
        long sum = sm.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (java.lang.management.ThreadInfo ti : tm.getThreadInfo(tm.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().startsWith("rmsprop4j-trainer")) sum += Math.max(0, sm.getThreadAllocatedBytes(ti.getThreadId()));
        }
        return sum;
    }

    /** Builds the trainer of MlpEpochTimer through reflection in the jar's loader and times its epochs. */
    public static final class Runner {
        static final java.util.Map<ClassLoader, Object> data = new java.util.HashMap<>();
        static final java.util.Map<ClassLoader, String> hash = new java.util.HashMap<>();

        public static List<double[]> run(ClassLoader cl, int threads, int epochs) throws Exception {
            Class<?> datasets = cl.loadClass("org.rmsprop4j.train.data.Datasets");
            Object train = data.get(cl);
            if (train == null) {
                Object split = datasets.getMethod("mnist10k").invoke(null);
                Object tr = split.getClass().getMethod("train").invoke(split);
                train = tr.getClass().getMethod("scaled", double.class).invoke(tr, 1.0 / 255);
                if (Boolean.getBoolean("dense")) { // -Ddense=true: every pixel 0.05 + 0.9·value, so no input is zero (a dense first layer)
                    Class<?> d = train.getClass();
                    float[] x = ((float[]) d.getMethod("x").invoke(train)).clone();
                    for (int i = 0; i < x.length; i++) x[i] = 0.05f + 0.9f * x[i];
                    train = d.getConstructor(String.class, int.class, List.class, float[].class, int[].class).newInstance("dense MNIST-10k",
                            d.getMethod("features").invoke(train), d.getMethod("classNames").invoke(train), x, d.getMethod("y").invoke(train));
                }
                data.put(cl, train);
            }
            Class<?> dsC = cl.loadClass("org.rmsprop4j.train.data.Dataset");
            int features = (int) dsC.getMethod("features").invoke(train), classes = (int) dsC.getMethod("classes").invoke(train);
            Object m = cl.loadClass("org.rmsprop4j.train.model.Models").getMethod("parse", String.class, int.class, int.class, double.class)
                    .invoke(null, "mlp:128,64:relu", features, classes, 0.0);
            Class<?> modelC = cl.loadClass("org.rmsprop4j.train.model.Model");
            Object layout = modelC.getMethod("layout").invoke(m);
            Class<?> rmsC = cl.loadClass("org.rmsprop4j.optim.RmsPropConfig");
            Object rb = rmsC.getMethod("builder").invoke(null);
            rb.getClass().getMethod("learningRate", double.class).invoke(rb, 1e-3);
            rb.getClass().getMethod("decay", double.class).invoke(rb, 0.99);
            rb.getClass().getMethod("eps", double.class).invoke(rb, 1e-8);
            Object spec = rb.getClass().getMethod("build").invoke(rb);
            Class<?> optC = cl.loadClass("org.rmsprop4j.optim.Optimizer");
            Class<?> specC = cl.loadClass("org.rmsprop4j.optim.OptimizerSpec");
            Object ob = optC.getMethod("builder", specC).invoke(null, spec);
            ob.getClass().getMethod("layout", layout.getClass()).invoke(ob, layout);
            Object opt = ob.getClass().getMethod("build").invoke(ob);
            Class<?> tcC = cl.loadClass("org.rmsprop4j.train.TrainConfig");
            Object cb = tcC.getMethod("builder").invoke(null);
            Class<?> cbC = cb.getClass();
            cbC.getMethod("epochs", int.class).invoke(cb, epochs);
            cbC.getMethod("batchSize", int.class).invoke(cb, 64);
            cbC.getMethod("seed", long.class).invoke(cb, 0L);
            cbC.getMethod("threads", int.class).invoke(cb, threads);
            Object cfg = cbC.getMethod("build").invoke(cb);
            Class<?> trC = cl.loadClass("org.rmsprop4j.train.Trainer");
            Object t = trC.getConstructor(modelC, optC, tcC).newInstance(m, opt, cfg);
            Class<?> lC = cl.loadClass("org.rmsprop4j.train.TrainingListener");
            List<double[]> out = new ArrayList<>();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            java.lang.management.ThreadMXBean tm = ManagementFactory.getThreadMXBean();
            long[] st = new long[6];
            Object l = java.lang.reflect.Proxy.newProxyInstance(cl, new Class<?>[] {lC}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "epochStarted" -> { st[0] = System.nanoTime(); st[1] = os.getProcessCpuTime(); st[2] = tm.getCurrentThreadCpuTime();
                        st[3] = jitMs(); st[4] = trainerCpu(tm); st[5] = trainerAlloc(tm); }
                    case "batchDone" -> {
                        if ((int) args[1] == (int) args[2]) out.add(new double[] {(System.nanoTime() - st[0]) / 1e9, (os.getProcessCpuTime() - st[1]) / 1e9,
                                (tm.getCurrentThreadCpuTime() - st[2]) / 1e9, jitMs() - st[3], (trainerCpu(tm) - st[4]) / 1e9,
                                trainerAlloc(tm) - st[5]});
                    }
                    default -> { }
                }
                if (method.isDefault()) return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                return null;
            });
            try {
                trC.getMethod("fit", dsC, dsC, dsC, lC).invoke(t, train, null, null, l);
                double[] p = (double[]) trC.getMethod("parameters").invoke(t);
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                for (double v : p) crc.update(java.nio.ByteBuffer.allocate(8).putDouble(v).array());
                hash.put(cl, String.format("%08x after %d epochs", crc.getValue(), epochs));
            } finally {
                ((AutoCloseable) t).close();
            }
            return out;
        }
    }
}
