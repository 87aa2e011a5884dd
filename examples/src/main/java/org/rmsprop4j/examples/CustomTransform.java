package org.rmsprop4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.Schedules;
import org.rmsprop4j.optim.StateIO;
import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.ClipByGlobalNorm;
import org.rmsprop4j.transform.GradientTransform;
import org.rmsprop4j.transform.ScaleByLearningRate;
import org.rmsprop4j.transform.ScaleByRms;
import org.rmsprop4j.transform.StepContext;

/**
 * A transform written outside the library, chained with the library's own: spike clipping, then
 * global-norm clipping, then RMSprop under a warm-up-then-cosine schedule, training the seed
 * article's sigmoid neuron. Halfway it saves the optimizer's state to a file, builds a fresh
 * optimizer, loads the file and finishes; the program exits with status 1 unless that run ends on
 * exactly the bits of an uninterrupted one.
 *
 * <pre>{@code
 * mvn -q package -DskipTests
 * java -cp examples/target/rmsprop4j-examples.jar org.rmsprop4j.examples.CustomTransform
 * }</pre>
 */
public final class CustomTransform {
    private CustomTransform() {}

    // tag::transform[]
    /**
     * Spike clipping: keeps a running mean of |g| per parameter (slot {@code "abs_avg"}) and clamps
     * each gradient to {@code ±k} times it, so one outlier batch cannot throw the weights far.
     */
    public record SpikeClip(double decay, double k) implements GradientTransform {
        public SpikeClip {
            if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("decay must be in [0, 1), got " + decay);
            if (!(k > 0) || Double.isInfinite(k)) throw new IllegalArgumentException("k must be a finite number > 0, got " + k);
        }

        @Override public String type() { return "spike_clip"; }

        @Override public Map<String, Object> hyperParameters() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("decay", decay);
            m.put("k", k);
            return m;
        }

        @Override public List<String> slots() { return List.of("abs_avg"); }

        @Override public boolean nonNegative(String slot) { return true; }

        @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
            double[] a = s[slot0];
            for (int i = off; i < off + len; i++) {
                if (c.step() > 1) u[i] = Math.max(-k * a[i], Math.min(k * a[i], u[i]));   // clip against the history
                a[i] = c.step() == 1 ? Math.abs(u[i]) : decay * a[i] + (1 - decay) * Math.abs(u[i]);
            }
        }

        @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
            float[] a = s[slot0];
            float d = (float) decay, kk = (float) k;
            for (int i = off; i < off + len; i++) {
                if (c.step() > 1) u[i] = Math.max(-kk * a[i], Math.min(kk * a[i], u[i]));
                a[i] = c.step() == 1 ? Math.abs(u[i]) : d * a[i] + (1 - d) * Math.abs(u[i]);
            }
        }
    }
    // end::transform[]

    /** The seed article's data: X = [0.5, 2.5], Y = [0.2, 0.9]; loss Σ ½(σ(wx+b) − y)². */
    static final double[] X = {0.5, 2.5}, Y = {0.2, 0.9};

    static double lossAndGradient(double[] p, double[] g) {
        double loss = 0;
        g[0] = 0;
        g[1] = 0;
        for (int i = 0; i < X.length; i++) {
            double f = 1 / (1 + Math.exp(-(p[0] * X[i] + p[1])));
            loss += 0.5 * (f - Y[i]) * (f - Y[i]);
            g[0] += (f - Y[i]) * f * (1 - f) * X[i];
            g[1] += (f - Y[i]) * f * (1 - f);
        }
        return loss;
    }

    // tag::chain[]
    static Optimizer optimizer() {
        Chain chain = Chain.builder("spike-clipped-rmsprop")
                .add("spike", new SpikeClip(0.9, 3.0))                          // ours, defined above
                .add("clip", new ClipByGlobalNorm(1.0))                         // the library's
                .add("rms", ScaleByRms.of(0.9, 1e-9, EpsPlacement.INSIDE))      // the seed article's RMSprop
                .add("lr", new ScaleByLearningRate())
                .learningRate(0.1)
                .build();
        return Optimizer.builder(chain)
                .layout(ParamLayout.builder().add("w").add("b").build())
                .dtype(Dtype.FLOAT64)
                .schedule(Schedules.linearWarmup(20, Schedules.cosine(480, 1e-3)))  // warm-up, then cosine
                .build();
    }
    // end::chain[]

    /** Trains for {@code steps} steps from {@code p}, returning the last loss. */
    static double train(Optimizer opt, double[] p, int steps) {
        double[] g = new double[2];
        double loss = Double.NaN;
        for (int t = 0; t < steps; t++) {
            loss = lossAndGradient(p, g);
            opt.step(p, g);
        }
        return loss;
    }

    /** Runs the example; returns the process status (0 when the resumed run is bit-identical). */
    static int run(java.io.PrintStream out) throws IOException {
        // tag::resume[]
        double[] straight = {-2, -2};
        Optimizer a = optimizer();
        double loss = train(a, straight, 500);

        double[] resumed = {-2, -2};
        Optimizer b = optimizer();
        train(b, resumed, 250);
        Path file = Files.createTempFile("rmsprop4j-example", ".state");
        StateIO.save(b, file);                         // state, step counts, schedule
        Optimizer c = optimizer();                     // a fresh optimizer, as after a restart
        StateIO.loadInto(c, file);
        train(c, resumed, 250);
        Files.delete(file);
        // end::resume[]

        boolean same = Double.doubleToRawLongBits(straight[0]) == Double.doubleToRawLongBits(resumed[0])
                && Double.doubleToRawLongBits(straight[1]) == Double.doubleToRawLongBits(resumed[1]);
        out.println("chain: " + a.spec().describe());
        out.printf("after 500 steps: loss %.6g, w = %.17g, b = %.17g%n", loss, straight[0], straight[1]);
        out.printf("saved at 250 and resumed: w = %.17g, b = %.17g (%s)%n", resumed[0], resumed[1],
                same ? "bit-identical" : "DIFFERENT");
        return same ? 0 : 1;
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(System.out));
    }
}
