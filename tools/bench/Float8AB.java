import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A/B of two builds of the library in one JVM (each jar in its own class loader, so both loops are compiled in the same
 * process and see the same load): the float32 step, then each listed 8-bit state of jar A and of jar B, interleaved in
 * rounds on the same parameters and gradients (PyTorch defaults, lr 0.01). Prints per state the median ns per value over
 * rounds, the best round, and the median of the per-round ratio against the float32 step and B against A.
 * {@code -Drule=adam} (or adamw, rmsprop-momentum) times that rule instead of plain RMSprop. {@code -Dgrad=} sets the
 * gradients (the same every step): {@code normal} (default: N(0, 1)·1e-2), {@code uniform} (in [-1, 1), as {@code bench}'s
 * rows), or {@code lognormal:S} (N(0, 1)·exp(S·N(0, 1))·1e-2: magnitudes spread over orders, so that many mean squares sit
 * far below their block's maximum, in the float8 map's subnormal codes, as in a real network's layers).
 * Usage: java --add-modules jdk.incubator.vector -Xmx6g tools/bench/Float8AB.java A.jar B.jar SIZE THREADS ROUNDS MS_PER_RUN STATES...
 *   e.g. ... /tmp/base.jar cli/target/rmsprop4j.jar 1e6 1 9 300 fp8-256 fp8-2048
 * The same jar as A and B loads it once (rows A only): one build per JVM, against its own float32 row.
 */
public class Float8AB {
    public static void main(String[] a) throws Exception {
        int n = (int) Double.parseDouble(a[2]), threads = Integer.parseInt(a[3]), rounds = Integer.parseInt(a[4]);
        long ms = Long.parseLong(a[5]);
        List<String> states = Arrays.asList(a).subList(6, a.length);
        float[] p = new float[n], g = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        String grad = System.getProperty("grad", "normal");
        double spread = grad.startsWith("lognormal:") ? Double.parseDouble(grad.substring(10)) : 0;
        if (!grad.equals("normal") && !grad.equals("uniform") && !grad.startsWith("lognormal:")) {
            throw new IllegalArgumentException("-Dgrad must be normal, uniform or lognormal:S, got \"" + grad + "\"");
        }
        for (int i = 0; i < n; i++) {
            p[i] = (float) r.nextGaussian();
            // normal: the draws of earlier passes' runs (no third draw per element)
            g[i] = grad.equals("uniform") ? (float) (r.nextDouble() * 2 - 1)
                    : spread == 0 ? (float) (r.nextGaussian() * 1e-2) : (float) (r.nextGaussian() * Math.exp(spread * r.nextGaussian()) * 1e-2);
        }
        List<String> names = new ArrayList<>();
        List<Object> opts = new ArrayList<>();
        List<Method> steps = new ArrayList<>();
        for (int j = 0; j < (a[0].equals(a[1]) ? 1 : 2); j++) {      // the same jar twice: one class loader, rows A only
            ClassLoader cl = new URLClassLoader(new URL[] {Path.of(a[j]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> optC = cl.loadClass("org.rmsprop4j.optim.Optimizer");
            Class<?> qC = cl.loadClass("org.rmsprop4j.optim.StateQuantization"), layC = cl.loadClass("org.rmsprop4j.optim.ParamLayout");
            Object cfg = config(cl, RULE);
            Object layout = layC.getMethod("single", String.class, int.class).invoke(null, "t", n);
            List<String> mine = new ArrayList<>(j == 0 ? List.of("fp32") : List.of());
            mine.addAll(states);
            for (String s : mine) {
                Object q = s.equals("fp32") ? qC.getMethod("none").invoke(null) : qC.getMethod("parse", String.class).invoke(null, s);
                Object ob = optC.getMethod("builder", cl.loadClass("org.rmsprop4j.optim.OptimizerSpec")).invoke(null, cfg);
                ob = ob.getClass().getMethod("layout", layC).invoke(ob, layout);
                ob = ob.getClass().getMethod("threads", int.class).invoke(ob, threads);
                ob = ob.getClass().getMethod("stateQuantization", qC).invoke(ob, q);
                Object o = ob.getClass().getMethod("build").invoke(ob);
                opts.add(o);
                steps.add(optC.getMethod("step", float[].class, float[].class));
                names.add((j == 0 ? "A " : "B ") + s);
            }
        }
        int k = opts.size();
        double[][] ns = new double[k][rounds];
        for (int round = -1; round < rounds; round++) {       // round -1: warm-up
            for (int i = 0; i < k; i++) {
                long t0 = System.nanoTime(), end = t0 + (round < 0 ? 3 : 1) * ms * 1_000_000L;
                List<Long> per = new ArrayList<>();
                long t = t0;
                while (t < end) {
                    steps.get(i).invoke(opts.get(i), p, g);
                    long t1 = System.nanoTime();
                    per.add(t1 - t);
                    t = t1;
                }
                if (round >= 0) {
                    per.sort(null);
                    ns[i][round] = per.get(per.size() / 2) / (double) n;
                }
            }
        }
        System.out.printf(Locale.ROOT, "rule %s grad %s size %s threads %d rounds %d x %d ms; %s%n", RULE, grad, a[2], threads, rounds, ms, Files_loadavg());
        for (int i = 0; i < k; i++) {
            double[] v = ns[i].clone(), vs32 = new double[rounds], vsA = new double[rounds];
            for (int q = 0; q < rounds; q++) vs32[q] = ns[0][q] / ns[i][q];
            Arrays.sort(v);
            Arrays.sort(vs32);
            String ab = "";
            if (names.get(i).startsWith("B ")) {
                int ai = names.indexOf("A " + names.get(i).substring(2));
                for (int q = 0; q < rounds; q++) vsA[q] = ns[ai][q] / ns[i][q];
                Arrays.sort(vsA);
                ab = String.format(Locale.ROOT, "  B speed-up over A %.3fx (rounds %.3f-%.3f)", vsA[rounds / 2], vsA[0], vsA[rounds - 1]);
            }
            System.out.printf(Locale.ROOT, "%-14s %.4f ns/value (best round %.4f)  fp32/this %.3fx (rounds %.3f-%.3f)%s%n",
                    names.get(i), v[rounds / 2], v[0], vs32[rounds / 2], vs32[0], vs32[rounds - 1], ab);
        }
    }

    /** {@code -Drule=}: rmsprop (default: PyTorch's defaults, lr 0.01), rmsprop-momentum (momentum 0.9), adam, adamw (PyTorch's defaults). */
    static final String RULE = System.getProperty("rule", "rmsprop");

    static Object config(ClassLoader cl, String rule) throws Exception {
        if (!java.util.List.of("rmsprop", "rmsprop-momentum", "adam", "adamw").contains(rule)) {
            throw new IllegalArgumentException("-Drule must be rmsprop, rmsprop-momentum, adam or adamw, got \"" + rule + "\"");
        }
        boolean adam = rule.startsWith("adam");
        Class<?> cfgC = cl.loadClass(adam ? "org.rmsprop4j.optim.AdamConfig" : "org.rmsprop4j.optim.RmsPropConfig");
        Object cb = cfgC.getMethod(rule.equals("adamw") ? "adamW" : "builder").invoke(null);
        if (!adam) {
            cb = cb.getClass().getMethod("learningRate", double.class).invoke(cb, 0.01);
            cb = cb.getClass().getMethod("decay", double.class).invoke(cb, 0.99);
            cb = cb.getClass().getMethod("eps", double.class).invoke(cb, 1e-8);
            if (rule.equals("rmsprop-momentum")) cb = cb.getClass().getMethod("momentum", double.class).invoke(cb, 0.9);
            else if (!rule.equals("rmsprop")) throw new IllegalArgumentException("-Drule must be rmsprop, rmsprop-momentum, adam or adamw, got " + rule);
        }
        return cb.getClass().getMethod("build").invoke(cb);
    }

    static String Files_loadavg() {
        try { return "loadavg " + java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim(); } catch (Exception e) { return ""; }
    }
}
