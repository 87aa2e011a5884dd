package org.rmsprop4j.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.ParamLayout;

/**
 * Runs core's {@link Optimizer} on a {@link Surface}: a pure function from (surface, configuration,
 * start, steps) to an immutable {@link Trajectory}. Float64 throughout; the parameters are two
 * scalars named {@code "x"} and {@code "y"}.
 *
 * <h2>Stopping</h2>
 * A run ends early, without an exception, when the loss, the gradient or the position is NaN or
 * infinite ({@link StopReason#NON_FINITE}) or when the position is farther than
 * {@link #DIVERGENCE_FACTOR} domain sizes outside the domain ({@link StopReason#DIVERGED}). The
 * offending point is not recorded; the message says what happened and at which step.
 */
public final class Simulator {
    private Simulator() {}

    /** Largest accepted number of steps per run. */
    public static final int MAX_STEPS = 100_000;

    /** A position more than this many domain widths (or heights) outside the domain counts as divergence. */
    public static final double DIVERGENCE_FACTOR = 100.0;

    /** The parameter layout every run uses: scalars {@code x} and {@code y}. */
    public static ParamLayout layout() { return ParamLayout.builder().add("x").add("y").build(); }

    /** Runs {@code steps} steps of {@code spec} from {@code start}, labelled by the spec's kind. */
    public static Trajectory run(Surface surface, OptimizerSpec spec, Surface.Point start, int steps) {
        return run(surface, new Contender(spec.kind(), spec), start, steps);
    }

    /**
     * Runs {@code steps} steps of the contender's configuration from {@code start}.
     *
     * @throws IllegalArgumentException if {@code start} is outside the domain or {@code steps} is
     *                                  not in {@code [1, MAX_STEPS]}
     */
    public static Trajectory run(Surface surface, Contender contender, Surface.Point start, int steps) {
        if (surface == null) throw new IllegalArgumentException("surface must not be null");
        if (contender == null) throw new IllegalArgumentException("contender must not be null");
        surface.checkStart("start", start);
        checkSteps(steps);
        OptimizerSpec spec = contender.spec();
        Optimizer opt = Optimizer.builder(spec).layout(layout()).dtype(Dtype.FLOAT64).build();
        List<String> slots = spec.stateSlots();
        int cap = steps + 1;
        double[] xs = new double[cap], ys = new double[cap], ls = new double[cap], gxs = new double[cap], gys = new double[cap];
        double[][] st = new double[slots.size()][2 * cap];
        Surface.Domain d = surface.domain();
        double[] p = {start.x(), start.y()};
        double[] g = new double[2];
        int k = 0;
        StopReason reason = StopReason.COMPLETED;
        String message = "completed " + steps + " steps";
        while (true) {
            double l = surface.value(p[0], p[1]);
            surface.gradient(p[0], p[1], g);
            String bad = !Double.isFinite(p[0]) || !Double.isFinite(p[1]) ? "position became " + new Surface.Point(p[0], p[1])
                    : !Double.isFinite(l) ? "loss became " + l
                    : !Double.isFinite(g[0]) || !Double.isFinite(g[1]) ? "gradient became (" + g[0] + ", " + g[1] + ")" : null;
            if (bad != null) {
                reason = StopReason.NON_FINITE;
                message = bad + " at step " + k;
                break;
            }
            if (p[0] < d.xMin() - DIVERGENCE_FACTOR * d.width() || p[0] > d.xMax() + DIVERGENCE_FACTOR * d.width()
                    || p[1] < d.yMin() - DIVERGENCE_FACTOR * d.height() || p[1] > d.yMax() + DIVERGENCE_FACTOR * d.height()) {
                reason = StopReason.DIVERGED;
                message = "diverged: position " + new Surface.Point(p[0], p[1]) + " at step " + k + " is far outside the domain " + d;
                break;
            }
            double[][] snap = new double[slots.size()][];
            boolean stateOk = true;
            for (int s = 0; s < slots.size(); s++) {
                double vx = opt.state("x", slots.get(s))[0], vy = opt.state("y", slots.get(s))[0];
                stateOk &= Double.isFinite(vx) && Double.isFinite(vy);
                snap[s] = new double[] {vx, vy};
            }
            if (!stateOk) {
                reason = StopReason.NON_FINITE;
                message = "optimizer state became non-finite at step " + k;
                break;
            }
            xs[k] = p[0];
            ys[k] = p[1];
            ls[k] = l;
            gxs[k] = g[0];
            gys[k] = g[1];
            for (int s = 0; s < slots.size(); s++) {
                st[s][2 * k] = snap[s][0];
                st[s][2 * k + 1] = snap[s][1];
            }
            k++;
            if (k > steps) break;
            opt.step(p, g.clone());
        }
        int frames = k;
        double[][] trimmed = new double[slots.size()][];
        for (int s = 0; s < slots.size(); s++) trimmed[s] = Arrays.copyOf(st[s], 2 * frames);
        return new Trajectory(contender.label(), surface, spec, steps, frames, Arrays.copyOf(xs, frames), Arrays.copyOf(ys, frames),
                Arrays.copyOf(ls, frames), Arrays.copyOf(gxs, frames), Arrays.copyOf(gys, frames), slots, trimmed, reason, message);
    }

    /** Runs every contender from the same start for the same number of steps. */
    public static Race race(Surface surface, Surface.Point start, int steps, List<Contender> contenders) {
        return race(surface, start, steps, contenders, i -> { });
    }

    /**
     * Runs every contender from the same start; {@code afterEach} receives the number of runs done.
     *
     * @throws IllegalArgumentException for an empty list, duplicate labels, a start outside the
     *                                  domain or a step count out of range
     */
    public static Race race(Surface surface, Surface.Point start, int steps, List<Contender> contenders, IntConsumer afterEach) {
        if (contenders == null || contenders.isEmpty()) throw new IllegalArgumentException("contenders must name at least one optimizer, got none");
        List<String> seen = new ArrayList<>();
        for (Contender c : contenders) {
            if (seen.contains(c.label())) throw new IllegalArgumentException("contender labels must be unique, got '" + c.label() + "' twice");
            seen.add(c.label());
        }
        if (surface == null) throw new IllegalArgumentException("surface must not be null");
        surface.checkStart("start", start);
        checkSteps(steps);
        List<Trajectory> ts = new ArrayList<>();
        for (Contender c : contenders) {
            ts.add(run(surface, c, start, steps));
            afterEach.accept(ts.size());
        }
        return new Race(surface, start, steps, ts);
    }

    static void checkSteps(int steps) {
        if (steps < 1 || steps > MAX_STEPS) throw new IllegalArgumentException("steps must be in [1, " + MAX_STEPS + "], got " + steps);
    }
}
