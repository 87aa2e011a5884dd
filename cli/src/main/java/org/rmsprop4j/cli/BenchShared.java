package org.rmsprop4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.train.SharedStateTrainer;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.Trainer;
import org.rmsprop4j.train.TrainingListener;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * {@code bench --shared}: shared-state (Hogwild!) training against synchronous training on the
 * same problem as {@link MlpEpochTimer} (MLP 784-128-64-10 on the 8,000 MNIST-10k training images,
 * batch 64, RMSprop lr 1e-3, float32, seed 0). Every configuration trains a fresh model for the same
 * number of epochs; the first epoch is a warm-up, the others are timed from their first batch to
 * their last optimizer step (evaluation excluded); the test accuracy is taken after the last epoch.
 * Before the rounds, one untimed epoch of each mode lets the JIT compile both paths.
 * The configurations are run one after the other in rounds (sync 1, shared 1, sync 2, shared 2,
 * shared-dynamic 2, ...; shared-dynamic: {@link SharedStateTrainer#dynamicBatches} on),
 * so that a change of load hits all of them alike, and a median is taken over every timed epoch of
 * every round. The process's CPU time per timed epoch (all threads) is reported too: on a loaded
 * machine it says how much work an epoch took when the wall time mostly says how much CPU was free.
 * So is the CPU time of the busiest thread per epoch: the wall time an epoch cannot go below however
 * many cores are free (the critical path, if the threads never waited for each other; synchronous
 * training waits every step, so its real floor is higher).
 */
final class BenchShared {
    private BenchShared() {}

    /** Rows for {@code --json}'s {@code "shared"} list, one per mode and thread count. */
    static List<Map<String, Object>> run(List<Integer> syncThreads, List<Integer> sharedWorkers, int epochs, int rounds, PrintWriter err)
            throws IOException {
        Dataset.Split sp = Datasets.mnist10k().scaled(1.0 / 255);
        List<String[]> configs = new ArrayList<>();
        int most = Math.max(syncThreads.stream().mapToInt(i -> i).max().orElse(0), sharedWorkers.stream().mapToInt(i -> i).max().orElse(0));
        for (int k = 1; k <= most; k++) {
            if (syncThreads.contains(k)) configs.add(new String[] {"sync", String.valueOf(k)});
            if (sharedWorkers.contains(k)) configs.add(new String[] {"shared", String.valueOf(k)});
            if (sharedWorkers.contains(k) && k > 1) configs.add(new String[] {"shared-dynamic", String.valueOf(k)});
        }
        // warm-up, not recorded: one epoch of each mode, so that no configuration pays the JIT's compilation in its timed epochs
        err.println("bench: shared-state training, warm-up");
        err.flush();
        once("sync", 1, 1, sp, new ArrayList<>());
        once("shared", Math.max(1, most), 1, sp, new ArrayList<>());
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, List<Double>> accuracy = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> busiest = new LinkedHashMap<>();
        Map<String, Long> steps = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (String[] c : configs) {
                String key = c[0] + " " + c[1];
                err.printf(Locale.ROOT, "bench: shared-state training, round %d/%d: %s thread(s)%n", r + 1, rounds, key);
                err.flush();
                double[] res = once(c[0], Integer.parseInt(c[1]), epochs, sp, times.computeIfAbsent(key, x -> new ArrayList<>()),
                        cpu.computeIfAbsent(key, x -> new ArrayList<>()), busiest.computeIfAbsent(key, x -> new ArrayList<>()));
                accuracy.computeIfAbsent(key, x -> new ArrayList<>()).add(res[0]);
                steps.put(key, (long) res[1]);
            }
        }
        int rows = sp.train().size();
        Double sync1 = null;
        List<Map<String, Object>> out = new ArrayList<>();
        for (String[] c : configs) {
            String key = c[0] + " " + c[1];
            double median = median(times.get(key));
            if (key.equals("sync 1")) sync1 = median;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", "mlp-epoch-shared");
            m.put("mode", c[0]);
            m.put("threads", Integer.parseInt(c[1]));
            m.put("seconds_per_epoch", median);
            m.put("epoch_seconds", times.get(key));
            m.put("samples_per_second", rows / median);
            double cpuMedian = median(cpu.get(key));
            m.put("cpu_seconds_per_epoch", Double.isNaN(cpuMedian) ? null : cpuMedian);
            double busiestMedian = median(busiest.get(key));
            m.put("busiest_thread_cpu_seconds_per_epoch", Double.isNaN(busiestMedian) ? null : busiestMedian);
            m.put("epochs", epochs);
            m.put("steps", steps.get(key));
            m.put("test_accuracy", accuracy.get(key));
            out.add(m);
        }
        for (Map<String, Object> m : out) m.put("speedup_vs_sync_1_thread", sync1 == null ? null : sync1 / (Double) m.get("seconds_per_epoch"));
        return out;
    }

    /** One fresh training run; adds its timed epochs to {@code times}; returns {test accuracy, steps}. */
    private static double[] once(String mode, int k, int epochs, Dataset.Split sp, List<Double> times) {
        return once(mode, k, epochs, sp, times, new ArrayList<>(), new ArrayList<>());
    }

    /**
     * As above; also adds each timed epoch's CPU time of the whole process (all threads) to {@code cpu}
     * and the largest CPU time one thread spent in it to {@code busiest}.
     */
    private static double[] once(String mode, int k, int epochs, Dataset.Split sp, List<Double> times, List<Double> cpu,
                                 List<Double> busiest) {
        boolean shared = !mode.equals("sync");
        Model m = Models.parse("mlp:128,64:relu", sp.train().features(), sp.train().classes(), 0);
        Optimizer opt = Optimizer.builder(RmsPropConfig.builder().learningRate(1e-3).decay(0.99).eps(1e-8).build())
                .layout(m.layout()).build();
        TrainConfig cfg = TrainConfig.builder().epochs(epochs).batchSize(64).seed(0).threads(shared ? 1 : k).build();
        TrainingListener timer = new TrainingListener() {
            long start, cpuStart;
            Map<Long, Long> threadStart = new java.util.HashMap<>();

            @Override public void epochStarted(int epoch, int batches, int firstBatch) {
                threadStart = threadCpuNanos();
                start = System.nanoTime();
                cpuStart = processCpuNanos();
            }

            @Override public void batchDone(int epoch, int batch, int batches, double loss) {
                if (batch == batches && epoch > 1) {
                    times.add((System.nanoTime() - start) / 1e9);
                    long c = processCpuNanos();
                    if (c >= 0 && cpuStart >= 0) cpu.add((c - cpuStart) / 1e9);
                    if (!threadStart.isEmpty()) {
                        long most = 0;
                        for (Map.Entry<Long, Long> e : threadCpuNanos().entrySet()) {
                            Long s0 = threadStart.get(e.getKey());
                            most = Math.max(most, e.getValue() - (s0 == null ? 0 : s0));
                        }
                        busiest.add(most / 1e9);
                    }
                }
            }
        };
        Trainer.Result r;
        if (shared) {
            try (SharedStateTrainer t = new SharedStateTrainer(m, opt, cfg, k)) {
                t.dynamicBatches(mode.equals("shared-dynamic"));
                r = t.fit(sp.train(), null, sp.test(), timer);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            try (Trainer t = new Trainer(m, opt, cfg)) {
                r = t.fit(sp.train(), null, sp.test(), timer);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new double[] {r.test().accuracy(), r.steps()};
    }

    /** CPU time of every live thread by id (empty when the JVM does not measure it). */
    static Map<Long, Long> threadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new java.util.HashMap<>();
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) return out;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) out.put(id, t);
        }
        return out;
    }

    /** CPU time of this process (all threads), or -1 when the JVM does not report it. */
    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        double[] s = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The table lines. */
    static void print(PrintWriter out, List<Map<String, Object>> rows) {
        out.println("shared-state training — MNIST-10k 784-128-64-10, batch 64, RMSprop 1e-3, fp32; median of timed epochs");
        out.printf(Locale.ROOT, "%-14s %7s | %9s %10s %10s %9s %9s | %s%n", "mode", "threads", "s/epoch", "samples/s", "vs sync 1", "cpu s/ep", "busiest", "test accuracy after "
                + (rows.isEmpty() ? "" : rows.get(0).get("epochs")) + " epochs (per round)");
        for (Map<String, Object> m : rows) {
            @SuppressWarnings("unchecked") List<Double> acc = (List<Double>) m.get("test_accuracy");
            StringBuilder a = new StringBuilder();
            for (double v : acc) a.append(a.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v));
            Double sp = (Double) m.get("speedup_vs_sync_1_thread");
            Double c = (Double) m.get("cpu_seconds_per_epoch");
            Double b = (Double) m.get("busiest_thread_cpu_seconds_per_epoch");
            out.printf(Locale.ROOT, "%-14s %7d | %9.3f %10.0f %10s %9s %9s | %s%n", m.get("mode"), (Integer) m.get("threads"),
                    (Double) m.get("seconds_per_epoch"), (Double) m.get("samples_per_second"),
                    sp == null ? "n/a" : String.format(Locale.ROOT, "%.2f×", sp), c == null ? "n/a" : String.format(Locale.ROOT, "%.3f", c),
                    b == null ? "n/a" : String.format(Locale.ROOT, "%.3f", b), a);
        }
    }
}
