package org.rmsprop4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.rmsprop4j.parallel.ChunkPool;

/**
 * A {@code bench} row timed with the C loop in alternating rounds ({@code --rounds N}, see
 * {@link StepTimer#interleave}), with what the machine did meanwhile: the steal time of the host (from
 * {@code /proc/stat}) and how our pool's worker took part ({@link ChunkPool#counters()}).
 */
final class BenchRounds {

    /** The rounds, the steal percentage over the row (null off Linux) and the pool counters' change over our rounds. */
    record Timed(StepTimer.Interleaved rounds, Double stealPercent, long[] pool) {

        StepTimer.Timing ours() {
            StepTimer.Round[] o = rounds.ours();
            return new StepTimer.Timing(rounds.oursNsPerStep(), Arrays.stream(o).mapToDouble(StepTimer.Round::min).min().orElse(Double.NaN),
                    Arrays.stream(o).mapToInt(StepTimer.Round::samples).sum());
        }

        Baselines.Result c(long elements, int bytesPerElement) {
            double ns = rounds.baseNsPerStep();
            return new Baselines.Result(ns, ns / elements, bytesPerElement * elements / ns, "rounds=" + rounds.ours().length, null);
        }

        /** Adds the fields of {@code --json} that only interleaved rows have. */
        void json(Map<String, Object> m, long elements) {
            StepTimer.Round[] o = rounds.ours(), c = rounds.base();
            m.put("rounds", o.length);
            m.put("ours_round_ns_per_element", perElement(o, StepTimer.Round::median, elements));
            m.put("c_round_ns_per_element", perElement(c, StepTimer.Round::median, elements));
            m.put("ours_vs_c_round", round3(rounds.ratios()));
            m.put("ours_vs_c_min", Arrays.stream(rounds.ratios()).min().orElse(Double.NaN));
            m.put("ours_vs_c_max", Arrays.stream(rounds.ratios()).max().orElse(Double.NaN));
            m.put("ours_p90_ns_per_element", StepTimer.Interleaved.medianOf(o, StepTimer.Round::p90) / elements);
            m.put("c_p90_ns_per_element", StepTimer.Interleaved.medianOf(c, StepTimer.Round::p90) / elements);
            m.put("ours_max_ns_per_element", Arrays.stream(o).mapToDouble(StepTimer.Round::max).max().orElse(Double.NaN) / elements);
            m.put("c_max_ns_per_element", Arrays.stream(c).mapToDouble(StepTimer.Round::max).max().orElse(Double.NaN) / elements);
            m.put("steal_percent", stealPercent);
            if (pool[0] > 0) {
                long blocks = pool[2] + pool[3];
                m.put("ours_parallel_steps", pool[0]);
                m.put("ours_worker_block_share", blocks == 0 ? null : (double) pool[3] / blocks);
                m.put("ours_worker_withdrawn_share", (double) pool[1] / pool[0]);
                m.put("ours_worker_start_mean_us", pool[5] == 0 ? null : pool[6] / 1e3 / pool[5]);
                m.put("ours_worker_late_start_share", pool[5] == 0 ? null : (double) pool[7] / pool[5]);
            }
        }

        /** One line under the table. */
        void print(PrintWriter out, String name, long elements, int tensors, int threads) {
            StepTimer.Round[] o = rounds.ours(), c = rounds.base();
            StringBuilder sb = new StringBuilder();
            for (double r : rounds.ratios()) sb.append(String.format(Locale.ROOT, " %.2f", r));
            out.printf(Locale.ROOT, "  %s %d×%d %dt: ours/C by round%s; p90/median ours %.2f, C %.2f", name, tensors, elements, threads, sb,
                    StepTimer.Interleaved.medianOf(o, StepTimer.Round::p90) / rounds.oursNsPerStep(),
                    StepTimer.Interleaved.medianOf(c, StepTimer.Round::p90) / rounds.baseNsPerStep());
            if (pool[0] > 0 && pool[2] + pool[3] > 0) {
                out.printf(Locale.ROOT, "; worker ran %.0f%% of blocks, withdrawn in %.1f%% of steps, started after %.1f µs on average, "
                                + "%.1f%% of starts after 20 µs", 100.0 * pool[3] / (pool[2] + pool[3]), 100.0 * pool[1] / pool[0],
                        pool[5] == 0 ? Double.NaN : pool[6] / 1e3 / pool[5], pool[5] == 0 ? Double.NaN : 100.0 * pool[7] / pool[5]);
            }
            out.printf(Locale.ROOT, "%s%n", stealPercent == null ? "" : String.format(Locale.ROOT, "; steal %.1f%%", stealPercent));
        }
    }

    private BenchRounds() {}

    /** Times {@code ours} against a warm C process in {@code rounds} alternating rounds of {@code minMs / rounds} each. */
    static Timed time(Runnable ours, Path cBinary, Baselines.Args a, int rounds, long minMs, long warmMs) throws IOException {
        long[] stat0 = procStat();
        try (CRounds c = CRounds.start(cBinary, a)) {
            long[] pool0 = ChunkPool.shared().counters();
            StepTimer.Interleaved il = StepTimer.interleave(ours, c, rounds, Math.max(1, minMs / rounds), warmMs);
            long[] pool1 = ChunkPool.shared().counters();
            long[] d = new long[pool1.length];
            for (int i = 0; i < d.length; i++) d[i] = pool1[i] - pool0[i];
            long[] stat1 = procStat();
            Double steal = null;
            if (stat0 != null && stat1 != null) {
                long total = 0;
                for (int i = 0; i < stat1.length; i++) total += stat1[i] - stat0[i];
                steal = total == 0 ? null : 100.0 * (stat1[7] - stat0[7]) / total;
            }
            return new Timed(il, steal, d);
        }
    }

    /** The first 8 columns of /proc/stat's cpu line (user nice system idle iowait irq softirq steal), or null. */
    static long[] procStat() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] v = new long[8];
            for (int i = 0; i < 8; i++) v[i] = Long.parseLong(f[i + 1]);
            return v;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double[] perElement(StepTimer.Round[] rs, java.util.function.ToDoubleFunction<StepTimer.Round> f, long elements) {
        return Arrays.stream(rs).mapToDouble(r -> f.applyAsDouble(r) / elements).toArray();
    }

    private static double[] round3(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 1000) / 1000.0).toArray();
    }
}
