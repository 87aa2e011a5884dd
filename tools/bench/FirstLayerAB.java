import java.util.Arrays;

/**
 * The first layer's forward sums of MNIST batches (784×128 weights, batches of 64 rows, listed non-zero inputs), by
 * several traversals that each give every sum its terms in the same order (so the same bits: checked), timed
 * interleaved in one JVM, on the thread's CPU time (so that other processes' load counts less):
 *
 *   java -cp cli/target/rmsprop4j.jar tools/bench/FirstLayerAB.java [ROUNDS] [INPUTS_FROM INPUTS_TO]
 *
 * Kernels: "rows" (today: each row's terms in passes of four), "cols-B" (column-major over blocks of B rows: one pass
 * per term, the weight row from L1 after the block's first use), "pairs-B" (column-major, two rows per pass sharing the
 * weight row), "tiles-T-B" (inputs cut into tiles of T: for each tile, each row of the block adds its terms in the tile
 * in passes of four, so a tile's weight rows are read from L2 once per block). Prints GMAC/s (non-zero terms × 128).
 */
public class FirstLayerAB {
    static final int N = 128, D = 784;
    static final java.lang.management.ThreadMXBean TM = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] a) throws Exception {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 10;
        int i0 = a.length > 2 ? Integer.parseInt(a[1]) : 0, i1 = a.length > 2 ? Integer.parseInt(a[2]) : D;
        Class<?> ds = Class.forName("org.rmsprop4j.train.data.Datasets");
        Object split = ds.getMethod("mnist10k").invoke(null);
        Object tr = split.getClass().getMethod("train").invoke(split);
        tr = tr.getClass().getMethod("scaled", double.class).invoke(tr, 1.0 / 255);
        float[] x = (float[]) tr.getClass().getMethod("x").invoke(tr);
        int rowsN = x.length / D;
        // listed inputs (as Batch32.listInputs), restricted to [i0, i1)
        int[] start = new int[rowsN + 1];
        int total = 0;
        for (int r = 0; r < rowsN; r++) for (int i = i0; i < i1; i++) if (x[r * D + i] != 0) total++;
        int[] col = new int[total];
        float[] val = new float[total];
        for (int r = 0, t = 0; r < rowsN; r++) {
            for (int i = i0; i < i1; i++) if (x[r * D + i] != 0) { col[t] = i; val[t++] = x[r * D + i]; }
            start[r + 1] = t;
        }
        java.util.Random rnd = new java.util.Random(1);
        float[][] w = new float[D][N];
        for (float[] wr : w) for (int j = 0; j < N; j++) wr[j] = (float) (rnd.nextGaussian() * 0.05);
        int[] perm = new int[rowsN];
        for (int r = 0; r < rowsN; r++) perm[r] = r;
        for (int r = rowsN - 1; r > 0; r--) { int k = rnd.nextInt(r + 1), t = perm[r]; perm[r] = perm[k]; perm[k] = t; }
        int batch = 64, batches = rowsN / batch;
        long terms = start[rowsN];
        float[][] z = new float[batch][N];
        String[] names = {"rows", "vec", "vec2", "vtiles-64-8", "vtiles-96-16", "vtiles-128-64", "cols-8", "cols-16", "cols-64", "pairs-8", "pairs-64", "tiles-32-8", "tiles-64-8", "tiles-32-16", "tiles-48-64", "tiles-64-64", "tiles-96-64"};
        Kernel[] ks = new Kernel[names.length];
        for (int k = 0; k < names.length; k++) {
            String[] p = names[k].split("-");
            switch (p[0]) {
                case "rows" -> ks[k] = (b) -> { for (int q = 0; q < batch; q++) { int r = perm[b * batch + q]; Arrays.fill(z[q], 0.125f); addSparse(val, col, start[r], start[r + 1], w, z[q], N); } };
                case "vec" -> ks[k] = (b) -> { for (int q = 0; q < batch; q++) { int r = perm[b * batch + q]; Arrays.fill(z[q], 0.125f); vecSparse(val, col, start[r], start[r + 1], w, z[q]); } };
                case "vec2" -> ks[k] = (b) -> { for (int q = 0; q < batch; q++) { int r = perm[b * batch + q]; Arrays.fill(z[q], 0.125f); vecSparse2(val, col, start[r], start[r + 1], w, z[q]); } };
                case "cols", "pairs" -> {
                    int bs = Integer.parseInt(p[1]);
                    boolean pairs = p[0].equals("pairs");
                    Sorter so = new Sorter(bs, D);
                    ks[k] = (b) -> {
                        for (int qa = 0; qa < batch; qa += bs) {
                            so.sort(perm, b * batch + qa, bs, start, col, val);
                            for (int q = qa; q < qa + bs; q++) Arrays.fill(z[q], 0.125f);
                            for (int i = i0; i < i1; i++) {
                                int s = so.colStart[i], e = so.colStart[i + 1];
                                float[] wi = w[i];
                                if (pairs) {
                                    for (; s + 2 <= e; s += 2) {
                                        float av = so.ev[s], bv = so.ev[s + 1];
                                        float[] zr = z[qa + so.er[s]], zs = z[qa + so.er[s + 1]];
                                        for (int j = 0; j < N; j++) { zr[j] = zr[j] + av * wi[j]; zs[j] = zs[j] + bv * wi[j]; }
                                    }
                                }
                                for (; s < e; s++) {
                                    float av = so.ev[s];
                                    float[] zr = z[qa + so.er[s]];
                                    for (int j = 0; j < N; j++) zr[j] = zr[j] + av * wi[j];
                                }
                            }
                        }
                    };
                }
                default -> { // "vtiles-T-B" on the Vector API, "tiles-T-B" scalar
                    boolean vec = p[0].equals("vtiles");
                    int tile = Integer.parseInt(p[1]), bs = Integer.parseInt(p[2]);
                    int[] cur = new int[bs], end = new int[bs];
                    ks[k] = (b) -> {
                        for (int qa = 0; qa < batch; qa += bs) {
                            for (int q = 0; q < bs; q++) { int r = perm[b * batch + qa + q]; cur[q] = start[r]; end[q] = start[r + 1]; Arrays.fill(z[qa + q], 0.125f); }
                            for (int c = i0 + tile; c < i1 + tile; c += tile) {
                                for (int q = 0; q < bs; q++) {
                                    int s = cur[q], e = s, en = end[q];
                                    while (e < en && col[e] < c) e++;
                                    if (e > s) { if (vec) vecSparse(val, col, s, e, w, z[qa + q]); else addSparse(val, col, s, e, w, z[qa + q], N); }
                                    cur[q] = e;
                                }
                            }
                        }
                    };
                }
            }
        }
        // bits: every kernel's sums equal the first's on a few batches
        float[][] ref = new float[batch][];
        for (int b = 0; b < 5; b++) {
            ks[0].run(b);
            for (int q = 0; q < batch; q++) ref[q] = z[q].clone();
            for (int k = 1; k < ks.length; k++) {
                ks[k].run(b);
                for (int q = 0; q < batch; q++) for (int j = 0; j < N; j++) {
                    if (Float.floatToRawIntBits(ref[q][j]) != Float.floatToRawIntBits(z[q][j])) throw new AssertionError(names[k] + " differs at batch " + b + " row " + q + " unit " + j);
                }
            }
        }
        System.out.printf("inputs [%d, %d): %.1f non-zero terms per row; all kernels give the same bits%n", i0, i1, (double) terms / rowsN);
        double[][] gmac = new double[ks.length][rounds];
        for (int w0 = 0; w0 < 3; w0++) for (Kernel k : ks) for (int b = 0; b < batches; b++) k.run(b);
        for (int r = 0; r < rounds; r++) {
            for (int kk = 0; kk < ks.length; kk++) {
                int k = r % 2 == 0 ? kk : ks.length - 1 - kk;
                long macs = 0, t0 = TM.getCurrentThreadCpuTime();
                for (int rep = 0; rep < 3; rep++) for (int b = 0; b < batches; b++) {
                    ks[k].run(b);
                }
                long t1 = TM.getCurrentThreadCpuTime();
                for (int b = 0; b < batches; b++) for (int q = 0; q < batch; q++) { int row = perm[b * batch + q]; macs += 3L * (start[row + 1] - start[row]) * N; }
                gmac[k][r] = macs / (double) (t1 - t0);
            }
        }
        for (int k = 0; k < ks.length; k++) {
            double[] g = gmac[k].clone();
            Arrays.sort(g);
            System.out.printf("%-12s median %5.1f GMAC/s  (min %5.1f, max %5.1f)  %.1f us per batch%n", names[k], g[g.length / 2], g[0], g[g.length - 1],
                    (double) terms / rowsN * 64 * N / g[g.length / 2] / 1000);
        }
    }

    interface Kernel { void run(int batch); }

    static final class Sorter {
        final int[] colStart, nx, er;
        final float[] ev;

        Sorter(int bs, int d) { colStart = new int[d + 1]; nx = new int[d]; er = new int[bs * d]; ev = new float[bs * d]; }

        void sort(int[] perm, int from, int bs, int[] start, int[] col, float[] val) {
            Arrays.fill(colStart, 0);
            for (int q = 0; q < bs; q++) { int r = perm[from + q]; for (int t = start[r]; t < start[r + 1]; t++) colStart[col[t] + 1]++; }
            for (int i = 0; i < D; i++) { colStart[i + 1] += colStart[i]; nx[i] = colStart[i]; }
            for (int q = 0; q < bs; q++) { int r = perm[from + q]; for (int t = start[r]; t < start[r + 1]; t++) { int at = nx[col[t]]++; er[at] = q; ev[at] = val[t]; } }
        }
    }

    static final jdk.incubator.vector.VectorSpecies<Float> S = jdk.incubator.vector.FloatVector.SPECIES_512;

    /** 128 columns held in 8 vectors across all the row's terms: out = ((out + a0*w0) + a1*w1) + ... */
    static void vecSparse(float[] val, int[] row, int s, int e, float[][] rows, float[] out) {
        var v0 = jdk.incubator.vector.FloatVector.fromArray(S, out, 0);
        var v1 = jdk.incubator.vector.FloatVector.fromArray(S, out, 16);
        var v2 = jdk.incubator.vector.FloatVector.fromArray(S, out, 32);
        var v3 = jdk.incubator.vector.FloatVector.fromArray(S, out, 48);
        var v4 = jdk.incubator.vector.FloatVector.fromArray(S, out, 64);
        var v5 = jdk.incubator.vector.FloatVector.fromArray(S, out, 80);
        var v6 = jdk.incubator.vector.FloatVector.fromArray(S, out, 96);
        var v7 = jdk.incubator.vector.FloatVector.fromArray(S, out, 112);
        for (int t = s; t < e; t++) {
            float a = val[t];
            float[] b = rows[row[t]];
            v0 = v0.add(jdk.incubator.vector.FloatVector.fromArray(S, b, 0).mul(a));
            v1 = v1.add(jdk.incubator.vector.FloatVector.fromArray(S, b, 16).mul(a));
            v2 = v2.add(jdk.incubator.vector.FloatVector.fromArray(S, b, 32).mul(a));
            v3 = v3.add(jdk.incubator.vector.FloatVector.fromArray(S, b, 48).mul(a));
            v4 = v4.add(jdk.incubator.vector.FloatVector.fromArray(S, b, 64).mul(a));
            v5 = v5.add(jdk.incubator.vector.FloatVector.fromArray(S, b, 80).mul(a));
            v6 = v6.add(jdk.incubator.vector.FloatVector.fromArray(S, b, 96).mul(a));
            v7 = v7.add(jdk.incubator.vector.FloatVector.fromArray(S, b, 112).mul(a));
        }
        v0.intoArray(out, 0); v1.intoArray(out, 16); v2.intoArray(out, 32); v3.intoArray(out, 48);
        v4.intoArray(out, 64); v5.intoArray(out, 80); v6.intoArray(out, 96); v7.intoArray(out, 112);
    }

    /** As vecSparse, 64 columns at a time (4 vectors), two passes. */
    static void vecSparse2(float[] val, int[] row, int s, int e, float[][] rows, float[] out) {
        for (int j = 0; j < 128; j += 64) {
            var v0 = jdk.incubator.vector.FloatVector.fromArray(S, out, j);
            var v1 = jdk.incubator.vector.FloatVector.fromArray(S, out, j + 16);
            var v2 = jdk.incubator.vector.FloatVector.fromArray(S, out, j + 32);
            var v3 = jdk.incubator.vector.FloatVector.fromArray(S, out, j + 48);
            for (int t = s; t < e; t++) {
                float a = val[t];
                float[] b = rows[row[t]];
                v0 = v0.add(jdk.incubator.vector.FloatVector.fromArray(S, b, j).mul(a));
                v1 = v1.add(jdk.incubator.vector.FloatVector.fromArray(S, b, j + 16).mul(a));
                v2 = v2.add(jdk.incubator.vector.FloatVector.fromArray(S, b, j + 32).mul(a));
                v3 = v3.add(jdk.incubator.vector.FloatVector.fromArray(S, b, j + 48).mul(a));
            }
            v0.intoArray(out, j); v1.intoArray(out, j + 16); v2.intoArray(out, j + 32); v3.intoArray(out, j + 48);
        }
    }

    static void addSparse(float[] val, int[] row, int s, int e, float[][] rows, float[] out, int n) {
        int t = s;
        for (; t + 4 <= e; t += 4) {
            float a0 = val[t], a1 = val[t + 1], a2 = val[t + 2], a3 = val[t + 3];
            float[] b0 = rows[row[t]], b1 = rows[row[t + 1]], b2 = rows[row[t + 2]], b3 = rows[row[t + 3]];
            for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
        switch (e - t) {
            case 3 -> {
                float a0 = val[t], a1 = val[t + 1], a2 = val[t + 2];
                float[] b0 = rows[row[t]], b1 = rows[row[t + 1]], b2 = rows[row[t + 2]];
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j];
            }
            case 2 -> {
                float a0 = val[t], a1 = val[t + 1];
                float[] b0 = rows[row[t]], b1 = rows[row[t + 1]];
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[j] + a1 * b1[j];
            }
            case 1 -> {
                float a0 = val[t];
                float[] b0 = rows[row[t]];
                for (int j = 0; j < n; j++) out[j] = out[j] + a0 * b0[j];
            }
            default -> { }
        }
    }
}
