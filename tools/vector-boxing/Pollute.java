import java.util.SplittableRandom;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.rmsprop4j.optim.AdamConfig;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.optim.StateQuantization;

/**
 * Deterministic check of the cause (issue 15, sixth pass): first makes the JDK's IntVector.max see receivers of three other
 * shapes (64, 128, 256 bits), so its type profile no longer names one class, then runs the Adam step on the dynamic
 * map (blocks of 256, the layout of Blockwise8StateTest) and prints the bytes allocated per step (best of 15 rounds
 * of 2,000 steps, as Blockwise8StateTest.aCompiledStepAllocatesNothing) and "BOXED" if it is 0.5 or more.
 * Arguments: "none" skips the first part; then optionally the state label (default 8bit-256, e.g. fp8-256) and the
 * optimizer, adam (default) or rmsprop (PyTorch's defaults: the fused float8 loop).
 */
public final class Pollute {
    static long sink;

    static void pollute(VectorSpecies<Integer> s) {
        int[] a = new int[s.length()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        IntVector x = IntVector.fromArray(s, a, 0);
        for (int i = 0; i < 30_000; i++) {
            IntVector m = IntVector.zero(s);
            m = m.max(x);
            sink += m.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        }
    }

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("none")) {
            for (int r = 0; r < 3; r++) {
                pollute(IntVector.SPECIES_64);
                pollute(IntVector.SPECIES_128);
                pollute(IntVector.SPECIES_256);
            }
        }
        var counter = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        ParamLayout layout = ParamLayout.builder().add("w", 70, 100).add("b", 3).add("z", 0).add("h", 5000).build();
        String state = args.length > 1 ? args[1] : "8bit-256";
        boolean rms = args.length > 2 && args[2].equals("rmsprop");
        Optimizer o = (rms ? Optimizer.builder(RmsPropPreset.PYTORCH.config()) : Optimizer.builder(AdamConfig.builder().build()))
                .layout(layout).stateQuantization(StateQuantization.parse(state)).build();
        float[] p = new float[layout.size()];
        float[] g = new float[p.length];
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < g.length; i++) g[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-3, 1)));
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 15; round++) {
            long before = counter.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++) o.step(p, g);
            best = Math.min(best, (counter.getCurrentThreadAllocatedBytes() - before) / 2_000.0);
        }
        System.out.println(state + (rms ? " rmsprop" : " adam") + ": bytes per step " + best + (best >= 0.5 ? " BOXED" : " ok") + " sink " + (sink & 1));
    }
}
