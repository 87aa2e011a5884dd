package org.rmsprop4j.optim;

import java.util.*;
import org.rmsprop4j.kernel.Blockwise8;
import org.rmsprop4j.train.*;
import org.rmsprop4j.train.data.*;
import org.rmsprop4j.train.model.*;

/** Harness (tools/q8quality/README.md): float32 state with ν perturbed or re-coded after every step, to test 8-bit rules without touching core. */
public class RoundingProbe {
    static boolean STATS = Boolean.getBoolean("stats");
    static double[][] REF;
    static Map<String, double[][]> SH = new HashMap<>();          // fp32 parameter snapshots every 25 steps (for "when the runs part")

    static List<EpochMetrics> fit(Dataset.Split sp, String cfg, long seed, int threads) throws Exception {
        Model m = Models.parse("mlp:128,64:relu", sp.train().features(), sp.train().classes(), 0);
        RmsPropConfig c = RmsPropPreset.PYTORCH.config().withLearningRate(0.001);
        StateQuantization q = StateQuantization.none();
        String[] f = cfg.split(":");
        double noise = 0; int block = 0; String rule = "";
        switch (f[0]) {
            case "fp32" -> {}
            case "lrulp" -> c = c.toBuilder().learningRate(Math.nextUp((float) 0.001)).build();
            case "vnoise" -> noise = Double.parseDouble(f[1]);
            case "sim" -> { block = Integer.parseInt(f[1]); rule = f.length > 2 ? f[2] : "near"; }
            default -> q = StateQuantization.parse(cfg);
        }
        Optimizer opt = Optimizer.builder(c).layout(m.layout()).stateQuantization(q).build();
        final double nz = noise; final int B = block; final String R = rule;
        Random rnd = new Random(seed * 7919 + 17);
        boolean ref = cfg.equals("fp32") && STATS;
        if (ref) REF = new double[41][];
        try (Trainer t = new Trainer(m, opt, TrainConfig.builder().epochs(8).batchSize(64).seed(seed).threads(threads).build())) {
            TrainingListener l = new TrainingListener() {
                long step = 0;
                @Override public void batchDone(int epoch, int batch, int batches, double loss) {
                    step++;
                    if (ref && step % 25 == 0 && step / 25 < REF.length) REF[(int) (step / 25)] = t.parameters();
                    if (STATS && !ref && REF != null && step % 25 == 0 && step / 25 < REF.length && REF[(int) (step / 25)] != null) {
                        double[] p = t.parameters(), r = REF[(int) (step / 25)];
                        double d = 0, n = 0;
                        for (int i = 0; i < p.length; i++) { d += (p[i] - r[i]) * (p[i] - r[i]); n += r[i] * r[i]; }
                        System.err.printf(Locale.ROOT, "part %s step %d relL2 %.3e%n", cfg, step, Math.sqrt(d / n));
                    }
                    if (nz == 0 && B == 0 && !(STATS && (step % 125 == 0 || step == 10 || step == 50))) return;
                    StateDict sd = opt.stateDict();
                    Map<String, double[]> bufs = new LinkedHashMap<>();
                    for (String k : sd.bufferKeys()) {
                        double[] v = sd.buffer(k);
                        if (nz > 0) for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * (1 + nz * (2 * rnd.nextDouble() - 1)));
                        if (B > 0 && STATS) {
                            double[][] sh = SH.computeIfAbsent(cfg + k, kk -> new double[][]{new double[v.length], new double[v.length]});
                            double[] vs = sh[0], prevq = sh[1];
                            for (int i = 0; i < v.length; i++) vs[i] = 0.99 * vs[i] + (v[i] - 0.99 * prevq[i]);
                        }
                        if (B > 0) recode(v, B, R, rnd, STATS && (step % 125 == 0 || step == 10 || step == 50) ? cfg + " step " + step + " " + k : null);
                        if (B > 0 && STATS) {
                            double[][] sh = SH.get(cfg + k);
                            System.arraycopy(v, 0, sh[1], 0, v.length);
                            if (step % 125 == 0 || step == 10 || step == 50) {
                                double[] lr = new double[v.length]; int n = 0; double sum = 0; int hi = 0, lo = 0;
                                for (int i = 0; i < v.length; i++) if (sh[0][i] > 1e-30 && v[i] > 0) { double r = Math.log(v[i] / sh[0][i]); lr[n++] = r; sum += r; if (r > Math.log(1.1)) hi++; if (r < -Math.log(1.1)) lo++; }
                                double[] sorted = Arrays.copyOf(lr, n); Arrays.sort(sorted);
                                System.err.printf(Locale.ROOT, "shadow %s step %d %s: n %d mean log(q/float) %+.3f median %+.3f, >+10%%: %.1f%%, <-10%%: %.1f%%%n", cfg, step, k, n, sum / Math.max(n,1), n > 0 ? sorted[n/2] : 0, 100.0*hi/Math.max(n,1), 100.0*lo/Math.max(n,1));
                            }
                        }
                        if (B > 0) {}
                        else if (STATS && (step % 125 == 0 || step == 10 || step == 50)) {
                            float mx = 0, mn = Float.MAX_VALUE; int zeros = 0;
                            for (double x : v) { mx = Math.max(mx, (float) x); if (x > 0) mn = Math.min(mn, (float) x); else zeros++; }
                            System.err.printf(Locale.ROOT, "%s step %d %s: zeros %d/%d, max eff step %.3e%n", cfg, step, k, zeros, v.length,
                                    0.001 / (Math.sqrt(mn) + 1e-8));
                        }
                        bufs.put(k, v);
                    }
                    if (nz > 0 || B > 0) opt.loadStateDict(new StateDict(sd.formatVersion(), sd.kind(), sd.dtype(), sd.groups(), sd.paramLengths(), bufs));
                }
            };
            return t.fit(sp.train(), null, sp.test(), l).history();
        }
    }

    /** Codes and decodes ν in place as the 8-bit state would (blocks of B from the buffer's start), with a rule. */
    static void recode(double[] v, int B, String rule, Random rnd, String stats) {
        boolean signed = rule.contains("signed"), sqrt = rule.contains("sqrt"), never0 = rule.contains("nz"), sr = rule.contains("sr");
        if (rule.contains("min4096") && v.length < 4096) return;
        QuantMap map = signed ? QuantMap.SIGNED : QuantMap.UNSIGNED;
        long pos = 0, zeroed = 0; double relErr = 0, maxEffRatio = 0, maxEffQ = 0, maxEffF = 0;
        for (int b0 = 0; b0 < v.length; b0 += B) {
            int len = Math.min(B, v.length - b0);
            float[] s = new float[len];
            for (int i = 0; i < len; i++) s[i] = sqrt ? (float) Math.sqrt((float) v[b0 + i]) : (float) v[b0 + i];
            float a = 0; for (float x : s) a = Math.max(a, x);
            float inv = a > 0 ? 1f / a : 0f;
            for (int i = 0; i < len; i++) {
                float x = s[i] * inv;
                int code = Blockwise8.code(x, map.tab, map.thr) & 0xff;
                if (sr) {      // stochastic: between the two neighbours, with probability by distance
                    float lo = map.values[code] <= x ? map.values[code] : map.values[Math.max(code - 1, 0)];
                    int cl = map.values[code] <= x ? code : Math.max(code - 1, 0);
                    int ch = Math.min(cl + 1, 255);
                    float hi = map.values[ch];
                    double p = hi > lo ? (x - lo) / (hi - lo) : 0;
                    code = rnd.nextDouble() < p ? ch : cl;
                }
                if (never0 && code == map.zero && x > 0) code = map.zero + 1;
                float d = map.values[code] * a;
                if (sqrt) d = d * d;
                double orig = (float) v[b0 + i];
                if (stats != null && orig > 0) {
                    pos++;
                    if (d == 0) zeroed++;
                    relErr += Math.abs(d - orig) / orig;
                    double eq = 0.001 / (Math.sqrt(d) + 1e-8), ef = 0.001 / (Math.sqrt(orig) + 1e-8);
                    maxEffQ = Math.max(maxEffQ, eq); maxEffF = Math.max(maxEffF, ef); maxEffRatio = Math.max(maxEffRatio, eq / ef);
                }
                v[b0 + i] = d;
            }
        }
        if (stats != null) System.err.printf(Locale.ROOT, "%s: pos %d, coded to 0: %d (%.2f%%), mean rel err %.3f, max eff step q %.3e f %.3e, max ratio %.2f%n",
                stats, pos, zeroed, 100.0 * zeroed / Math.max(pos, 1), relErr / Math.max(pos, 1), maxEffQ, maxEffF, maxEffRatio);
    }

    public static void main(String[] a) throws Exception {
        long s0 = Long.parseLong(a[0]), s1 = Long.parseLong(a[1]);
        String[] cfgs = a[2].split(",");
        int threads = a.length > 3 ? Integer.parseInt(a[3]) : 1;
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        for (long seed = s0; seed <= s1; seed++) for (String cfg : cfgs) {
            long t0 = System.nanoTime();
            List<EpochMetrics> h = fit(sp, cfg, seed, threads);
            StringBuilder sb = new StringBuilder(cfg + "," + seed);
            for (EpochMetrics e : h) sb.append(',').append(e.testAccuracy());
            for (EpochMetrics e : h) sb.append(',').append(e.trainLoss());
            sb.append(String.format(Locale.ROOT, ",%.1f", (System.nanoTime() - t0) / 1e9));
            System.out.println(sb);
        }
    }
}
