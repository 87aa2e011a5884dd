import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Diagnostic (throw-away kind, kept because it separates the causes): why the float32 step at 1e8 on one thread swings
 * between JVMs. In one JVM it times the library's lean float32 loop ({@code RmspropKernelsF32.leanPlain}) from
 * {@code COPIES} independent class loaders (so {@code COPIES} independent C2 compilations) over {@code SETS} independent
 * sets of arrays (state, gap, parameters, gap, gradients, as {@code StepTimer} allocates them), and the C loop
 * ({@code rmsprop_bench --serve 1}) in the same rounds. For every set it prints the virtual addresses and, read from
 * {@code /proc/self/pagemap} (root only), how physically contiguous each array is; the same for the C process.
 *
 *   java -cp cli/target/rmsprop4j.jar [-Dmode=asis,forced] [-Dcargs="--thp 1 --align 2097152"] tools/bench/Var1e8.java \
 *       CBIN [elements=1e8] [copies=2] [sets=2] [rounds=4] [steps=8]
 * mode, per set in turn: asis (StepTimer's spacers before 2026-11-27 23:00, dropped at once), forced (spacers kept until one
 * sits right after the last array, so the next array follows 388 MiB on), packed (holes filled, no spacer: 384 MiB on).
 *
 * If the copies differ within a JVM, the compiled code decides; if the sets differ, placement decides; if neither
 * differs inside a JVM but the level moves between JVMs (against C in the same rounds), it is something per process.
 */
public class Var1e8 {
    static final sun.misc.Unsafe U;
    static {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    static volatile byte[] sink;

    public static void main(String[] a) throws Exception {
        String cbin = a[0];
        int n = a.length > 1 ? (int) Double.parseDouble(a[1]) : 100_000_000;
        int copies = a.length > 2 ? Integer.parseInt(a[2]) : 2;
        int sets = a.length > 3 ? Integer.parseInt(a[3]) : 2;
        int rounds = a.length > 4 ? Integer.parseInt(a[4]) : 4;
        int steps = a.length > 5 ? Integer.parseInt(a[5]) : 8;
        String jar = System.getProperty("java.class.path").split(File.pathSeparator)[0];
        Method[] k = new Method[copies];
        for (int c = 0; c < copies; c++) {
            ClassLoader l = new URLClassLoader(new URL[] {new File(jar).toURI().toURL()}, ClassLoader.getPlatformClassLoader());
            k[c] = Class.forName("org.rmsprop4j.kernel.RmspropKernelsF32", true, l).getMethod("leanPlain", float[].class, float[].class,
                    float[].class, int.class, int.class, float.class, float.class, float.class, float.class, float.class);
        }
        long region = Long.parseLong(java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("G1HeapRegionSize").getValue());
        int gap = (int) (region / 2 + 4096);
        float[][][] s = new float[sets][3][]; // v, p, g
        String mode = System.getProperty("mode", "asis,forced");
        String[] modes = mode.split(",");
        List<Object> keep = new ArrayList<>();
        for (int j = 0; j < sets; j++) {
            String m = modes[j % modes.length];
            s[j][0] = new float[n];
            if (m.equals("asis")) { // as StepTimer.stepper: a dropped spacer before p and before g
                sink = new byte[gap];
                s[j][1] = new float[n];
                sink = new byte[gap];
                s[j][2] = new float[n];
            } else if (m.equals("forced") || m.equals("packed")) { // spacers kept until one sits right after the last array
                for (int i = 1; i < 3; i++) {
                    long end = addr(s[j][i - 1]) - 16 + ((long) n * 4 + 16 + region - 1) / region * region;
                    if (m.equals("forced")) {
                        for (int tries = 0; tries < 2000; tries++) {
                            byte[] sp = new byte[gap];
                            keep.add(sp);
                            if (addr(sp) - 16 == end) break;
                        }
                    } else {
                        for (int tries = 0; tries < 2000; tries++) { // fill holes with kept spacers until the next region is free
                            byte[] sp = new byte[gap];
                            if (addr(sp) - 16 == end) { sink = sp; break; }
                            keep.add(sp);
                        }
                    }
                    s[j][i] = new float[n];
                }
            } else throw new IllegalArgumentException("mode " + m);
            fill(s[j][1], 0);
            fill(s[j][2], 1);
        }
        for (int j = 0; j < sets; j++) {
            System.out.print(modes[j % modes.length] + " ");
            long[] va = new long[3];
            for (int i = 0; i < 3; i++) va[i] = addr(s[j][i]);
            System.out.printf(Locale.ROOT, "set %d: v %s p %s g %s (p-v %d MiB+%d, g-p %d MiB+%d)%n", j, hex(va[0]), hex(va[1]), hex(va[2]),
                    (va[1] - va[0]) >> 20, (va[1] - va[0]) & 0xfffff, (va[2] - va[1]) >> 20, (va[2] - va[1]) & 0xfffff);
            System.out.println("  " + physical(ProcessHandle.current().pid(), va, (long) n * 4));
        }
        System.out.println("  JVM " + hugePages(ProcessHandle.current().pid()));
        List<String> cmd = new ArrayList<>(List.of(cbin, "--elements", String.valueOf(n), "--min-time-ms", "300", "--warmup-ms", "300", "--serve", "1"));
        String cargs = System.getProperty("cargs", "").trim(); // e.g. -Dcargs="--thp 1 --align 2097152"
        if (!cargs.isEmpty()) cmd.addAll(Arrays.asList(cargs.split("\\s+")));
        Process cp = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader cout = new BufferedReader(new InputStreamReader(cp.getInputStream()));
        Writer cin = new java.io.OutputStreamWriter(cp.getOutputStream());
        String ready = cout.readLine();
        long[] cva = {num(ready, "v"), num(ready, "p"), num(ready, "g")};
        System.out.printf(Locale.ROOT, "C: v %s p %s g %s (p-v %d MiB+%d, g-p %d MiB+%d)%n", hex(cva[0]), hex(cva[1]), hex(cva[2]),
                (cva[1] - cva[0]) >> 20, (cva[1] - cva[0]) & 0xfffff, (cva[2] - cva[1]) >> 20, (cva[2] - cva[1]) & 0xfffff);
        System.out.println("  C " + physical(cp.pid(), cva, (long) n * 4) + "; " + hugePages(cp.pid()));
        // warm every copy on every set (the first calls OSR-compile, later ones the normal C2 code)
        for (int w = 0; w < 3; w++) for (int c = 0; c < copies; c++) for (int j = 0; j < sets; j++) call(k[c], s[j], n);
        double[][][] t = new double[rounds][copies][sets];
        double[] ct = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < copies; c++) for (int j = 0; j < sets; j++) {
                double[] x = new double[steps];
                for (int i = 0; i < steps; i++) {
                    long t0 = System.nanoTime();
                    call(k[c], s[j], n);
                    x[i] = (System.nanoTime() - t0) / (double) n;
                }
                Arrays.sort(x);
                t[r][c][j] = x[steps / 2];
            }
            cin.write((steps * 50) + "\n");
            cin.flush();
            String l = cout.readLine();
            int at = l.indexOf("\"ns_per_element\":");
            ct[r] = Double.parseDouble(l.substring(at + 17, l.indexOf(',', at)));
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "round %d: C %.4f |", r, ct[r]));
            for (int c = 0; c < copies; c++) for (int j = 0; j < sets; j++)
                sb.append(String.format(Locale.ROOT, " copy%d/set%d %.4f (%.2fx C)", c, j, t[r][c][j], ct[r] / t[r][c][j]));
            System.out.println(sb);
        }
        cin.write("q\n");
        cin.flush();
        cp.waitFor();
        System.out.printf(Locale.ROOT, "load %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    static void call(Method m, float[][] s, int n) throws Exception {
        m.invoke(null, s[1], s[2], s[0], 0, n, 0.99f, (float) (1 - 0.99), 0f, 1e-8f, 0.01f);
    }

    static long num(String json, String key) {
        int at = json.indexOf("\"" + key + "\":") + key.length() + 3;
        int e = at;
        while (e < json.length() && Character.isDigit(json.charAt(e))) e++;
        return Long.parseLong(json.substring(at, e));
    }

    static String hex(long x) { return "0x" + Long.toHexString(x); }

    /** Address of an array's first element, for compressed oops in zero-based mode (shift 3) or no compression. */
    static long addr(Object o) {
        Object[] h = {o};
        long base = U.arrayBaseOffset(Object[].class);
        long ref = U.arrayIndexScale(Object[].class) == 4 ? (U.getInt(h, base) & 0xffffffffL) << 3 : U.getLong(h, base);
        return ref + U.arrayBaseOffset(float[].class);
    }

    /** Physical frames of three arrays (v, p, g): runs of consecutive frames per array, and frame differences per page. */
    static String physical(long pid, long[] va, long bytes) {
        try (RandomAccessFile pm = new RandomAccessFile("/proc/" + pid + "/pagemap", "r")) {
            int pages = (int) (bytes >>> 12) - 2;
            long[][] pfn = new long[3][pages];
            for (int i = 0; i < 3; i++) {
                if (va[i] == 0) return "no arrays found";
                byte[] b = new byte[pages * 8];
                pm.seek(((va[i] + 4095) >>> 12) * 8);
                pm.readFully(b);
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                for (int q = 0; q < pages; q++) pfn[i][q] = bb.getLong() & ((1L << 55) - 1);
            }
            StringBuilder sb = new StringBuilder("phys:");
            String[] nm = {"v", "p", "g"};
            for (int i = 0; i < 3; i++) {
                int runs = 1, zero = 0;
                for (int q = 1; q < pages; q++) if (pfn[i][q] != pfn[i][q - 1] + 1) runs++;
                for (int q = 0; q < pages; q++) if (pfn[i][q] == 0) zero++;
                sb.append(String.format(Locale.ROOT, " %s runs %d (absent %d) first 0x%x;", nm[i], runs, zero, pfn[i][0] << 12));
            }
            // per page index: physical distance between the arrays, and how often its low bits vanish
            int[][] pairs = {{0, 1}, {1, 2}, {0, 2}};
            for (int[] pr : pairs) {
                int[] same = new int[4]; // distance ≡ 0 mod 64 KiB, 2 MiB, 128 MiB; distinct distances seen
                java.util.HashMap<Long, Integer> d = new java.util.HashMap<>();
                for (int q = 0; q < pages; q++) {
                    long x = (pfn[pr[1]][q] - pfn[pr[0]][q]) << 12;
                    if ((x & 0xffff) == 0) same[0]++;
                    if ((x & ((1L << 21) - 1)) == 0) same[1]++;
                    if ((x & ((1L << 27) - 1)) == 0) same[2]++;
                    d.merge(x, 1, Integer::sum);
                }
                long top = d.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse(0L);
                sb.append(String.format(Locale.ROOT, " %s-%s: %.0f%% ≡0 mod 64K, %.0f%% mod 2M, %.0f%% mod 128M, %d distances, commonest %.1f MiB (%.0f%%);",
                        nm[pr[1]], nm[pr[0]], 100.0 * same[0] / pages, 100.0 * same[1] / pages, 100.0 * same[2] / pages, d.size(),
                        top / 1048576.0, 100.0 * d.get(top) / pages));
            }
            return sb.toString();
        } catch (Exception e) {
            return "pagemap: " + e;
        }
    }

    static String hugePages(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) if (l.startsWith("AnonHugePages")) return l.replaceAll("\\s+", " ");
        } catch (Exception e) {
            return "smaps: " + e;
        }
        return "";
    }

    static long splitmix(long key) {
        long z = key + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static void fill(float[] x, int stream) {
        for (int i = 0; i < x.length; i++) x[i] = (float) ((double) (splitmix(((long) stream << 62) | i) >>> 40) * 0x1p-23 - 1.0);
    }
}
