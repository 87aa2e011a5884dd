import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.Datasets;
import org.rmsprop4j.train.model.Model;
import org.rmsprop4j.train.model.Models;

/**
 * Phases of one thread's MLP epoch (MNIST-10k, 784-128-64-10, batch 64, chunks of 16, RMSprop 1e-3, float32),
 * calling the model's fused batch hooks directly: weight copy, chunk passes, gradient parts, optimizer step.
 * Prints, per epoch after WARM warm-up epochs, the thread CPU seconds of each phase (median over EPOCHS).
 *
 *   java -cp cli/target/rmsprop4j.jar tools/bench/MlpPhases.java [EPOCHS] [WARM]
 */
public class MlpPhases {
    public static void main(String[] a) throws Exception {
        int epochs = a.length > 0 ? Integer.parseInt(a[0]) : 10, warm = a.length > 1 ? Integer.parseInt(a[1]) : 8;
        Dataset train = Datasets.mnist10k().train().scaled(1.0 / 255);
        Model m = Models.parse("mlp:128,64:relu", train.features(), train.classes(), 0);
        int n = m.layout().size();
        Optimizer opt = Optimizer.builder(RmsPropConfig.builder().learningRate(1e-3).decay(0.99).eps(1e-8).build()).layout(m.layout()).build();
        float[] p = new float[n], g = new float[n];
        java.util.Random r = new java.util.Random(0);
        for (int i = 0; i < n; i++) p[i] = (float) ((r.nextDouble() * 2 - 1) * 0.08);
        int bs = 64, cs = 16, parts = 8, chunks = bs / cs, rows = train.size();
        Object prep = m.prepare32(p, null), batch = m.newBatch32(bs, cs, parts);
        Object[] sc = new Object[chunks];
        for (int c = 0; c < chunks; c++) sc[c] = m.newScratch32();
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) perm[i] = i;
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        String[] names = {"copy", "chunks", "gradient", "step", "total"};
        double[][] t = new double[5][epochs];
        for (int e = 0; e < warm + epochs; e++) {
            long[] acc = new long[4];
            long t0 = tm.getCurrentThreadCpuTime();
            for (int from = 0; from + bs <= rows; from += bs) {
                long a0 = tm.getCurrentThreadCpuTime();
                for (int k = 0; k < 4; k++) m.prepare32Part(p, prep, k, 4);
                long a1 = tm.getCurrentThreadCpuTime();
                for (int c = 0; c < chunks; c++) m.chunkPass32(prep, train, perm, from, from + bs, c, batch, sc[c]);
                long a2 = tm.getCurrentThreadCpuTime();
                for (int q = 0; q < parts; q++) m.gradientPart32(batch, bs, q, parts, bs, g);
                long a3 = tm.getCurrentThreadCpuTime();
                opt.step(p, g);
                long a4 = tm.getCurrentThreadCpuTime();
                acc[0] += a1 - a0; acc[1] += a2 - a1; acc[2] += a3 - a2; acc[3] += a4 - a3;
            }
            long tot = tm.getCurrentThreadCpuTime() - t0;
            if (e >= warm) {
                for (int k = 0; k < 4; k++) t[k][e - warm] = acc[k] / 1e9;
                t[4][e - warm] = tot / 1e9;
            }
        }
        StringBuilder sb = new StringBuilder("thread CPU s/epoch (median of " + epochs + "):");
        for (int k = 0; k < 5; k++) {
            double[] s = t[k].clone();
            Arrays.sort(s);
            sb.append(String.format(" %s %.4f", names[k], s[s.length / 2]));
        }
        System.out.println(sb);
    }
}
