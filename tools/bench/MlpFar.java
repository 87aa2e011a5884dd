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
 * Where does the 2-thread MLP epoch lose its time when the two vCPUs are "far" apart (issue 15, ninth pass)? One JVM, one
 * class loader per jar spec (as MlpAB); each round: the cache-line round trip (as MlpAB), a run of each spec on each thread
 * count of the list (order reversed every other round), the round trip again. Each run has one untimed epoch and EPOCHS timed ones; with
 * -Drmsprop4j.train.profile=true (set by this tool) the trainer prints its per-thread phase times when closed, and they are
 * printed under the round, so a far round's phases can be set beside a near round's.
 *
 *   java --add-modules jdk.incubator.vector tools/bench/MlpFar.java THREADS_LIST ROUNDS EPOCHS A.jar[,prop=value...] [B.jar[,...] ...]
 *   e.g. ... MlpFar.java 2,1 12 2 cli/target/rmsprop4j.jar     or  ... MlpFar.java 2 40 2 J J,rmsprop4j.train.pull=true
 * Summary of far and near rounds (medians per spec, thread and phase): tools/bench/mlp_far_summary.py LOG
 *
 * Warm-up: 6 rounds of runs (each thread count), as MlpAB's fixed rule. The MLP and its data are MlpAB's (its Runner is
 * copied below).
 */
public class MlpFar {
    public static void main(String[] a) throws Exception {
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
