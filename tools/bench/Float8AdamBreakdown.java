import java.util.Locale;
import org.rmsprop4j.kernel.Float8Vector;

/**
 * Where the float8 Adam step goes, in cache: the fused pass alone ({@code Float8Vector.adam}), the two codings alone, both, and
 * float32 Adam ({@code AdamKernelsF32.step}) over the same 1e5 values; ns per value, median of 9 rounds. Blocks of 256 unless given.
 * Usage: java --add-modules jdk.incubator.vector -cp core/target/classes tools/bench/Float8AdamBreakdown.java [BLOCK]
 */
public class Float8AdamBreakdown {
    public static void main(String[] a) {
        int n = 100_000, bs = Integer.parseInt(a.length > 0 ? a[0] : "256"), nb = n / bs;
        float[] p = new float[n], g = new float[n], m = new float[bs], v = new float[bs], ms = new float[nb], vs = new float[nb];
        byte[] mc = new byte[n], vc = new byte[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < n; i++) { p[i] = (float) r.nextGaussian(); g[i] = (float) (r.nextGaussian() * 1e-2); mc[i] = (byte) r.nextInt(256); vc[i] = (byte) r.nextInt(241); }
        for (int k = 0; k < nb; k++) { ms[k] = 1e-3f; vs[k] = 1e-5f; }
        String[] names = {"adam pass", "two codings", "pass + codings", "fp32 AdamKernelsF32"};
        float[] mf = new float[n], vf = new float[n];
        double[][] t = new double[4][9];
        for (int round = -3; round < 9; round++) {
            for (int c = 0; c < 4; c++) {
                long t0 = System.nanoTime();
                int reps = 200;
                for (int rep = 0; rep < reps; rep++) {
                    if (c == 3) { org.rmsprop4j.kernel.AdamKernelsF32.step(p, g, mf, vf, 0, nb * bs, 1f, 1f, 0f, 0.9f, 0.1f, 0.999f, 0.001f, 0.3f, 1e-8f, 1e-3f); continue; }
                    for (int k = 0; k < nb; k++) {
                        int e = k * bs;
                        if (c != 1) Float8Vector.adam(p, g, e, mc, vc, e, ms[k], vs[k], m, 0, v, 0, bs, 1f, 1f, 0f, 0.9f, 0.1f, 0.999f, 0.001f, 0.3f, 1e-8f, 1e-3f);
                        if (c != 0) {
                            Float8Vector.quantize(m, 0, bs, 2e-3f, true, mc, e);
                            Float8Vector.quantize(v, 0, bs, 2e-5f, false, vc, e);
                        }
                    }
                }
                if (round >= 0) t[c][round] = (System.nanoTime() - t0) / (double) reps / (nb * bs);
            }
        }
        for (int c = 0; c < 4; c++) { java.util.Arrays.sort(t[c]); System.out.printf(Locale.ROOT, "%-15s %.3f ns per value (median of 9)%n", names[c], t[c][4]); }
    }
}
