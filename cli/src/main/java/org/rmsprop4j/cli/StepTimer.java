package org.rmsprop4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropConfig;

/**
 * Times {@link Optimizer#step} in this JVM the way the C and PyTorch baselines time theirs: same
 * hyper-parameters (lr 0.01, alpha 0.99, eps 1e-8), same initial values (SplitMix64 of
 * (stream, tensor, index), U[-1, 1)), constant gradients, a warm-up, then batches of consecutive
 * steps lasting at least 50 µs each until the minimum time has passed and there are at least 5
 * samples; the result is the median time per step.
 */
final class StepTimer {

    static final long TARGET_SAMPLE_NS = 50_000;
    static final int MIN_SAMPLES = 5;

    /** Median and fastest time per step, in nanoseconds, and the number of samples. */
    record Timing(double nsPerStep, double minNsPerStep, int samples) {}

    private StepTimer() {}

    static RmsPropConfig config() {
        return RmsPropConfig.builder().learningRate(0.01).decay(0.99).eps(1e-8).build();
    }

    /** A layout of {@code tensors} tensors of {@code elements} elements each, back to back. */
    static ParamLayout layout(int elements, int tensors) {
        ParamLayout.Builder b = ParamLayout.builder();
        for (int t = 0; t < tensors; t++) b.add("t" + t, elements);
        return b.build();
    }

    static Timing time(String dtype, int elements, int tensors, int threads, long minTimeMs, long warmupMs) {
        return measure(stepper(dtype, elements, tensors, threads), minTimeMs, warmupMs);
    }

    /** One step of a fresh optimizer over fresh arrays, as {@link #time} times it, the arrays spaced by {@link #gap()}. */
    static Runnable stepper(String dtype, int elements, int tensors, int threads) {
        return stepper(dtype, elements, tensors, threads, true);
    }

    /**
     * Bytes of a throw-away array allocated before the parameters and before the gradients, so that the state, the
     * parameters and the gradients do not sit a multiple of 128 MiB apart. G1 starts every large array at a region
     * boundary, so at 1e8 float32 elements (400 MB, 96 regions of 4 MiB) the three arrays land exactly 384 MiB apart;
     * on the AMD EPYC of 2026-11-27 that spacing made the same loop 1.5–1.7× slower, in C as well (0.77–0.91
     * ns/element against 0.48–0.59 for arrays 388 MiB apart), while malloc, which the C baseline uses, spaces its
     * arrays a page-and-a-bit off. The gap is more than half a G1 region (a region of its own) and a little over
     * 4 MiB under other collectors, which place large arrays back to back.
     */
    static int gap() {
        long region = g1RegionBytes();
        return (int) (region > 0 ? region / 2 + 4096 : (4L << 20) + 4096);
    }

    /** G1's region size in bytes when this JVM runs G1, else 0. */
    static long g1RegionBytes() {
        boolean g1 = false;
        for (java.lang.management.GarbageCollectorMXBean b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans())
            g1 |= b.getName().startsWith("G1");
        if (!g1) return 0;
        try {
            var hs = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long r = Long.parseLong(hs.getVMOption("G1HeapRegionSize").getValue());
            return r > 0 && r <= (1L << 30) ? r : 0;
        } catch (RuntimeException e) {
            return 0; // not HotSpot, or no such option: the default gap
        }
    }

    /** As {@link #stepper(String, int, int, int)}; {@code gap} false allocates the arrays back to back, as before 2026-11-27. */
    static Runnable stepper(String dtype, int elements, int tensors, int threads, boolean gap) {
        long n = (long) elements * tensors;
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("elements × tensors must be < 2^31, got " + n);
        Dtype dt = "fp64".equals(dtype) ? Dtype.FLOAT64 : Dtype.FLOAT32;
        Optimizer opt = Optimizer.builder(config()).layout(layout(elements, tensors)).dtype(dt).threads(threads).build();
        Object state = Placement.state(opt);
        Runnable step;
        if (dt == Dtype.FLOAT32) {
            float[] p = gap ? placed(float[]::new, (int) n, state) : new float[(int) n];
            float[] g = gap ? placed(float[]::new, (int) n, state, p) : new float[(int) n];
            for (int t = 0; t < tensors; t++) {
                fill(p, t * elements, elements, 0, t);
                fill(g, t * elements, elements, 1, t);
            }
            lastPlacement = Placement.describe(state, p, g);
            step = () -> opt.step(p, g);
        } else {
            double[] p = gap ? placed(double[]::new, (int) n, state) : new double[(int) n];
            double[] g = gap ? placed(double[]::new, (int) n, state, p) : new double[(int) n];
            for (int t = 0; t < tensors; t++) {
                fill(p, t * elements, elements, 0, t);
                fill(g, t * elements, elements, 1, t);
            }
            lastPlacement = Placement.describe(state, p, g);
            step = () -> opt.step(p, g);
        }
        return step;
    }

    /** Where the state, parameters and gradients of the last {@link #stepper} sit (see {@link Placement#describe}); null before. */
    static volatile String lastPlacement;

    /**
     * A new array of {@code n} elements placed so that it does not sit a multiple of 128 MiB (within 4 KiB) from any of
     * {@code others} (null entries ignored). One {@link #gap()}-sized spacer alone does not ensure this: G1 puts it in the lowest
     * free region, which is often a hole below the last large array (at start-up, committed regions below the first
     * one), and then the next array lands right after the last one, 384 MiB on from it at 1e8 float32 elements (docs/speed-history.md,
     * "1e8 on one thread: the spacer fell into a hole, and 4 KiB pages"). So spacers are allocated and held until one
     * lands above the highest of {@code others}; the array then follows it. If it is still aliased, it is held too and
     * the same is done above it, up to 4 times. Everything held is garbage once this returns. Without {@link Placement}
     * (addresses unknown), one spacer, as before.
     */
    static <T> T placed(java.util.function.IntFunction<T> alloc, int n, Object... others) {
        List<Object> held = new ArrayList<>();
        try {
            long top = -1;
            for (Object o : others) top = Math.max(top, Placement.address(o));
            spaceAbove(top, held);
            T a = alloc.apply(n);
            for (int attempt = 0; attempt < 4 && Placement.aliasesAny(a, others); attempt++) {
                held.add(a);
                spaceAbove(Placement.address(a), held);
                a = alloc.apply(n);
            }
            return a;
        } catch (OutOfMemoryError e) {
            held.clear(); // no room to hold places: allocate as it comes; the placement line says whether it is aliased
            return alloc.apply(n);
        }
    }

    /**
     * Spacers until one lands above the highest of {@code arrays} (see {@link #placed}), for a large array that someone
     * else allocates next (an optimizer's state): it then follows them instead of the highest array.
     */
    static void spacerAbove(Object... arrays) {
        long top = -1;
        for (Object o : arrays) top = Math.max(top, Placement.address(o));
        List<Object> held = new ArrayList<>(); // garbage at once, but G1 frees their regions only at the next collection
        spaceAbove(top, held);
    }

    /** Allocates and holds spacers until one lands above {@code address} (at most 256, 1 GiB with 4 MiB regions); one when it is unknown. */
    private static void spaceAbove(long address, List<Object> held) {
        for (int i = 0; i < 256; i++) {
            byte[] s = new byte[gap()];
            held.add(s);
            lastGap = s;
            long x = Placement.address(s);
            if (x < 0 || address < 0 || x > address) return;
        }
    }

    /**
     * Addresses of large arrays in this JVM, read through {@code sun.misc.Unsafe} (HotSpot with compressed oops in
     * zero-based mode, or without compressed oops; else unknown). Read only, for the benchmark's placement.
     * <p>Why it matters: on the AMD EPYC (Zen 4) of these measurements, three streams whose addresses are equal in
     * bits 6–27 (a multiple of 128 MiB apart, within a cache line) make the float32 step 1.3–1.7× slower at 1e8 on one
     * thread, in C as well. AMD's L1 data cache predicts the way by a hash of the linear address's bits 12–27, and
     * lines that share a set and that hash evict each other.
     */
    static final class Placement {
        private static final sun.misc.Unsafe U = unsafe();
        private static final int SHIFT = narrowOopShift();
        static final long ALIAS_PERIOD = 1L << 27;
        static final long ALIAS_SLACK = 4096;

        private Placement() {}

        private static sun.misc.Unsafe unsafe() {
            try {
                java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                return (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        /** 3 for compressed oops in zero-based mode, 0 without compressed oops, -1 when addresses cannot be read. */
        private static int narrowOopShift() {
            if (U == null) return -1;
            try {
                var hs = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                if (!Boolean.parseBoolean(hs.getVMOption("UseCompressedOops").getValue())) return U.arrayIndexScale(Object[].class) == 8 ? 0 : -1;
                long max = Runtime.getRuntime().maxMemory();
                int align = Integer.parseInt(hs.getVMOption("ObjectAlignmentInBytes").getValue());
                // zero-based with shift 3 below 32 GiB; a heap that fits in 4 GiB may be unscaled (shift 0), so unknown then
                return align == 8 && max > (4L << 30) && max <= (28L << 30) && U.arrayIndexScale(Object[].class) == 4 ? 3 : -1;
            } catch (RuntimeException e) {
                return -1;
            }
        }

        /** The address of the first element of {@code array}, or -1 when it cannot be read. */
        static long address(Object array) {
            if (array == null || SHIFT < 0) return -1;
            Object[] h = {array};
            long base = U.arrayBaseOffset(Object[].class);
            long ref = SHIFT == 0 ? U.getLong(h, base) : (U.getInt(h, base) & 0xffffffffL) << SHIFT;
            return ref + U.arrayBaseOffset(array.getClass());
        }

        /** Whether two addresses (both known) are a multiple of 128 MiB apart, within 4 KiB. */
        static boolean aliased(long a, long b) {
            if (a < 0 || b < 0) return false;
            long d = Math.floorMod(a - b, ALIAS_PERIOD);
            return d < ALIAS_SLACK || d > ALIAS_PERIOD - ALIAS_SLACK;
        }

        static boolean aliasesAny(Object a, Object... others) {
            long x = address(a);
            for (Object o : others) if (o != null && aliased(x, address(o))) return true;
            return false;
        }

        /** The optimizer's first float32 or float64 state array (read by reflection, for its address), or null. */
        static Object state(Optimizer o) {
            for (String name : new String[] {"f32", "f64"}) {
                try {
                    java.lang.reflect.Field f = Optimizer.class.getDeclaredField(name);
                    f.setAccessible(true);
                    Object[] s = (Object[]) f.get(o);
                    if (s != null && s.length > 0) return s[0];
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // another layout of Optimizer: the state's place is unknown
                }
            }
            return null;
        }

        /** "state → params +388 MiB, params → grads +388 MiB" and whether any two are aliased; "unknown" without addresses. */
        static String describe(Object state, Object p, Object g) {
            long v = address(state), a = address(p), b = address(g);
            if (a < 0 || b < 0) return "addresses unknown";
            StringBuilder sb = new StringBuilder();
            if (v >= 0) sb.append("state → params ").append(mib(a - v)).append(", ");
            sb.append("params → grads ").append(mib(b - a));
            boolean alias = aliased(a, b) || aliased(v, a) || aliased(v, b);
            return sb.append(alias ? "; ALIASED (a multiple of 128 MiB apart)" : "; no two a multiple of 128 MiB apart").toString();
        }

        private static String mib(long d) {
            return String.format(java.util.Locale.ROOT, "%+.3f MiB", d / 1048576.0);
        }
    }

    /**
     * {@code --thp 1} for the C loop when this JVM asks for transparent huge pages ({@code -XX:+UseTransparentHugePages},
     * which {@code ./rmsprop4j} passes), else nothing: both sides run on the same kind of pages. With 4 KiB pages the
     * float32 step at 1e8 swung 0.49–0.84 ns/element from one JVM to the next, with huge pages 0.40–0.50, as steady as C
     * (docs/speed-history.md, "1e8 on one thread: the spacer fell into a hole, and 4 KiB pages").
     */
    static List<String> cPageArgs() { return jvmHugePages() ? List.of("--thp", "1") : List.of(); }

    /** Whether this JVM runs with {@code -XX:+UseTransparentHugePages}. */
    static boolean jvmHugePages() {
        try {
            var hs = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Boolean.parseBoolean(hs.getVMOption("UseTransparentHugePages").getValue());
        } catch (RuntimeException e) {
            return false; // not HotSpot, or no such option
        }
    }

    /** Sink for the gap arrays, so that no compiler drops their allocation. */
    static volatile byte[] lastGap;

    static Timing measure(Runnable step, long minTimeMs, long warmupMs) {
        double[] s = sample(step, warmUp(step, warmupMs), minTimeMs);
        return new Timing(median(s), s[0], s.length);
    }

    /** Runs the first (cold) step and then steps for {@code warmupMs}; returns the steps per timed batch (≥ 50 µs). */
    static int warmUp(Runnable step, long warmupMs) {
        step.run(); // first step: cold caches and page faults, not in the estimate
        long warmNs = warmupMs * 1_000_000L;
        long t0 = System.nanoTime();
        long ws = 0;
        long now;
        do {
            step.run();
            ws++;
            now = System.nanoTime();
        } while (now - t0 < warmNs || ws < 2);
        double est = (double) (now - t0) / ws;
        return (int) Math.max(1, Math.min(1_000_000, Math.ceil(TARGET_SAMPLE_NS / Math.max(est, 1.0))));
    }

    /** Timed batches of {@code batch} steps for at least {@code minTimeMs} and {@link #MIN_SAMPLES}: ns per step of each batch, sorted. */
    static double[] sample(Runnable step, int batch, long minTimeMs) {
        List<Double> samples = new ArrayList<>();
        long minNs = minTimeMs * 1_000_000L;
        long start = System.nanoTime();
        while (System.nanoTime() - start < minNs || samples.size() < MIN_SAMPLES) {
            long a = System.nanoTime();
            for (int i = 0; i < batch; i++) step.run();
            long b = System.nanoTime();
            samples.add((double) (b - a) / batch);
        }
        double[] s = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The {@code q}-quantile (0..1) of sorted values, nearest rank (as the C bench). */
    static double quantile(double[] sorted, double q) {
        int i = (int) (q * (sorted.length - 1) + 0.5);
        return sorted[Math.min(i, sorted.length - 1)];
    }

    /** One timed round of one side, ns per step: median, fastest, 10th and 90th percentile, slowest; and the samples. */
    record Round(double median, double min, double p10, double p90, double max, int samples) {
        static Round of(double[] sorted) {
            return new Round(StepTimer.median(sorted), sorted[0], quantile(sorted, 0.1), quantile(sorted, 0.9), sorted[sorted.length - 1],
                    sorted.length);
        }
    }

    /** The baseline side of an interleaved measurement: one round of at least {@code ms} milliseconds, already warm. */
    interface Side {
        Round round(long ms) throws java.io.IOException;
    }

    /**
     * Ours and a baseline, measured in alternating rounds: round r runs ours then the baseline when r is even,
     * the baseline then ours when r is odd, so that a change of load during the run falls on both sides
     * alike. {@code ours[r]} and {@code base[r]} are adjacent in time.
     */
    record Interleaved(Round[] ours, Round[] base) {
        /** Median over rounds of the rounds' median ns per step, ours. */
        double oursNsPerStep() { return medianOf(ours, Round::median); }

        double baseNsPerStep() { return medianOf(base, Round::median); }

        /** Per round: baseline time / our time (above 1: we are faster). */
        double[] ratios() {
            double[] r = new double[ours.length];
            for (int i = 0; i < r.length; i++) r[i] = base[i].median() / ours[i].median();
            return r;
        }

        static double medianOf(Round[] rs, java.util.function.ToDoubleFunction<Round> f) {
            double[] v = Arrays.stream(rs).mapToDouble(f).sorted().toArray();
            return median(v);
        }
    }

    /**
     * Times {@code ours} against {@code base} in {@code rounds} alternating rounds of {@code roundMs} each
     * (see {@link Interleaved}); {@code ours} is warmed up for {@code warmupMs} first, the baseline is
     * expected to be warm already.
     */
    static Interleaved interleave(Runnable ours, Side base, int rounds, long roundMs, long warmupMs) throws java.io.IOException {
        int batch = warmUp(ours, warmupMs);
        return interleave(ms -> Round.of(sample(ours, batch, ms)), base, rounds, roundMs);
    }

    /** {@code rounds} alternating rounds of two warm sides, ours first in even rounds (see {@link Interleaved}). */
    static Interleaved interleave(Side ours, Side base, int rounds, long roundMs) throws java.io.IOException {
        Round[] o = new Round[rounds], b = new Round[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                o[r] = ours.round(roundMs);
                b[r] = base.round(roundMs);
            } else {
                b[r] = base.round(roundMs);
                o[r] = ours.round(roundMs);
            }
        }
        return new Interleaved(o, b);
    }

    /** SplitMix64 of key (stream << 62 | tensor << 40 | i), as bench/native/rmsprop_bench.c. */
    static long splitmix(long key) {
        long z = key + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long key(long stream, long tensor, long i) { return (stream << 62) | (tensor << 40) | i; }

    static void fill(float[] a, int off, int n, int stream, int tensor) {
        for (int i = 0; i < n; i++) a[off + i] = (float) ((double) (splitmix(key(stream, tensor, i)) >>> 40) * 0x1p-23 - 1.0);
    }

    static void fill(double[] a, int off, int n, int stream, int tensor) {
        for (int i = 0; i < n; i++) a[off + i] = (double) (splitmix(key(stream, tensor, i)) >>> 11) * 0x1p-52 - 1.0;
    }
}
