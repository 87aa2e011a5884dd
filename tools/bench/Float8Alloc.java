import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropConfig;
import org.rmsprop4j.optim.StateQuantization;

/**
 * Bytes allocated per compiled 8-bit step, per rule and state (a vector loop that C2 boxes allocates on every step): Adam, AdamW,
 * RMSprop with momentum and plain RMSprop on fp8-256, fp8-2048 and fp8-256-unbiased, 4,087 + 5 + 4,099 = 8,191 values, in one JVM. Run it
 * in several fresh JVMs: java --add-modules jdk.incubator.vector -cp core/target/classes tools/bench/Float8Alloc.java
 * Prints one line per case and "worst N B per step".
 */
public class Float8Alloc {
    public static void main(String[] a) {
        var counter = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ParamLayout layout = ParamLayout.builder().add("w", 61, 67).add("b", 5).add("h", 4099).build();
        float[] g = new float[layout.size()];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < g.length; i++) g[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-6, 2)));
        List<OptimizerSpec> specs = List.of(AdamConfig.builder().build(), AdamConfig.adamW().build(),
                RmsPropConfig.builder().momentum(0.9).build(), RmsPropConfig.builder().learningRate(0.01).build());
        List<String> names = List.of("adam", "adamw", "rmsprop-momentum", "rmsprop");
        long worst = 0;
        for (String q : List.of("fp8-256", "fp8-2048", "fp8-256-unbiased")) {
            for (int k = 0; k < specs.size(); k++) {
                OptimizerSpec spec = specs.get(k);
                Optimizer o = Optimizer.builder(spec).layout(layout).stateQuantization(StateQuantization.parse(q)).build();
                float[] p = new float[layout.size()];
                double best = Double.MAX_VALUE;
                for (int round = 0; round < 20 && best >= 0.5; round++) {
                    long before = counter.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 1000; i++) o.step(p, g);
                    best = Math.min(best, (counter.getCurrentThreadAllocatedBytes() - before) / 1000.0);
                }
                System.out.printf(Locale.ROOT, "%-17s %-16s %.1f B per step%n", q, names.get(k), best);
                worst = Math.max(worst, (long) Math.ceil(best));
            }
        }
        System.out.println("worst " + worst + " B per step");
    }
}
