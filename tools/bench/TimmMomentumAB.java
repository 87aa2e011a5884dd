import java.util.Arrays;
import java.util.SplittableRandom;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.RmsPropPreset;

/**
 * timm_tf with momentum 0.9 in both momentum styles (lr inside the buffer, timm's default; lr outside), against
 * PyTorch 1.13's fused momentum kernel, float32, fused path, 1 thread, interleaved in one process: each round times
 * 20 steps of each optimizer in turn, on arrays of its own; prints medians and ratios to the 1.13 kernel.
 * {@code ProfileAB ... momentum ...} covers only the default style; this adds the other one. Public API only, so it
 * times an older jar too.
 *
 * <pre>
 *   java -Xmx4g --add-modules jdk.incubator.vector -cp cli/target/rmsprop4j.jar tools/bench/TimmMomentumAB.java [SIZE=1e6] [ROUNDS=15]
 * </pre>
 */
public final class TimmMomentumAB {
    public static void main(String[] args) {
        int n = args.length > 0 ? (int) Double.parseDouble(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        RmsPropConfig inside = RmsPropPreset.TIMM_TF.config().toBuilder().momentum(0.9).momentumStyle(MomentumStyle.LR_INSIDE).build();
        RmsPropConfig[] configs = {RmsPropPreset.PYTORCH.config().toBuilder().momentum(0.9).build(), inside,
                inside.toBuilder().momentumStyle(MomentumStyle.LR_OUTSIDE).build()};
        String[] names = {"pytorch (1.13 kernel)", "timm_tf lr inside", "timm_tf lr outside"};
        int k = configs.length;
        Optimizer[] opts = new Optimizer[k];
        float[][] p = new float[k][n], g = new float[k][n];
        SplittableRandom r = new SplittableRandom(1);
        for (int j = 0; j < k; j++) {
            opts[j] = Optimizer.builder(configs[j]).size(n).dtype(Dtype.FLOAT32).threads(1).fused(true).build();
            for (int i = 0; i < n; i++) {
                p[j][i] = (float) (r.nextDouble() * 2 - 1);
                g[j][i] = (float) ((r.nextDouble() * 2 - 1) * 1e-3);
            }
        }
        double[][] ms = new double[k][rounds];
        for (int round = -3; round < rounds; round++) {             // 3 warm-up rounds, not counted
            for (int j = 0; j < k; j++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < 20; s++) opts[j].step(p[j], g[j]);
                if (round >= 0) ms[j][round] = (System.nanoTime() - t0) / 20e6;
            }
        }
        System.out.printf("size %d fp32, 1 thread, fused, momentum 0.9, %d rounds of 20 steps, interleaved%n", n, rounds);
        double base = 0;
        for (int j = 0; j < k; j++) {
            Arrays.sort(ms[j]);
            double med = ms[j][rounds / 2];
            if (j == 0) base = med;
            System.out.printf("  %-24s median %8.3f ms/step (min %8.3f)  %6.2fx the 1.13 kernel%n", names[j], med, ms[j][0], med / base);
        }
    }
}
