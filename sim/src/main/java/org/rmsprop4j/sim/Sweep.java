package org.rmsprop4j.sim;

import java.util.function.IntConsumer;

import org.rmsprop4j.optim.OptimizerSpec;

/**
 * Final loss over a grid of learning rate × decay for one optimizer on one surface: one
 * {@link Simulator} run per cell. "Decay" is RMSprop's ρ ({@code decay}), Adam's β2 and Adadelta's ρ.
 * Immutable.
 */
public final class Sweep {

    /** Largest accepted number of values along one axis of the grid. */
    public static final int MAX_GRID = 200;

    private final Surface surface;
    private final Surface.Point start;
    private final int steps;
    private final OptimizerSpec base;
    private final double[] lrs;
    private final double[] decays;
    private final double[][] finalLoss;
    private final StopReason[][] reasons;

    private Sweep(Surface surface, Surface.Point start, int steps, OptimizerSpec base, double[] lrs, double[] decays,
                  double[][] finalLoss, StopReason[][] reasons) {
        this.surface = surface;
        this.start = start;
        this.steps = steps;
        this.base = base;
        this.lrs = lrs;
        this.decays = decays;
        this.finalLoss = finalLoss;
        this.reasons = reasons;
    }

    /**
     * Runs the grid. {@code afterEachRow} receives the number of learning-rate rows done.
     *
     * @throws IllegalArgumentException if the optimizer has no decay knob, a grid axis is empty or
     *                                  longer than {@link #MAX_GRID}, or a value is not accepted by the optimizer
     */
    public static Sweep run(Surface surface, Surface.Point start, int steps, OptimizerSpec base, double[] lrs, double[] decays,
                            IntConsumer afterEachRow) {
        if (surface == null) throw new IllegalArgumentException("surface must not be null");
        surface.checkStart("start", start);
        Simulator.checkSteps(steps);
        checkGrid("learning rates", lrs);
        checkGrid("decays", decays);
        base.withDecay(0.9); // refuses optimizers without a decay knob before any run
        double[][] fl = new double[lrs.length][decays.length];
        StopReason[][] rs = new StopReason[lrs.length][decays.length];
        for (int i = 0; i < lrs.length; i++) {
            for (int j = 0; j < decays.length; j++) {
                OptimizerSpec spec = base.withLearningRate(lrs[i]).withDecay(decays[j]);
                Trajectory t = Simulator.run(surface, new Contender(base.kind(), spec), start, steps);
                fl[i][j] = t.finalLoss();
                rs[i][j] = t.stopReason();
            }
            afterEachRow.accept(i + 1);
        }
        return new Sweep(surface, start, steps, base, lrs.clone(), decays.clone(), fl, rs);
    }

    private static void checkGrid(String name, double[] v) {
        if (v == null || v.length < 1 || v.length > MAX_GRID) {
            throw new IllegalArgumentException(name + " must have 1.." + MAX_GRID + " values, got " + (v == null ? 0 : v.length));
        }
    }

    public Surface surface() { return surface; }

    public Surface.Point start() { return start; }

    public int steps() { return steps; }

    /** The configuration whose learning rate and decay were varied. */
    public OptimizerSpec base() { return base; }

    public double[] learningRates() { return lrs.clone(); }

    public double[] decays() { return decays.clone(); }

    /** Final loss of the run with learning rate {@code lrs[i]} and decay {@code decays[j]} (last finite loss if it stopped early). */
    public double finalLoss(int i, int j) { return finalLoss[i][j]; }

    public StopReason stopReason(int i, int j) { return reasons[i][j]; }

    /** True if that run diverged or became non-finite. */
    public boolean diverged(int i, int j) { return reasons[i][j] != StopReason.COMPLETED; }
}
