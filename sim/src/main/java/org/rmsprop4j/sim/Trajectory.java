package org.rmsprop4j.sim;

import java.util.List;
import java.util.Objects;

import org.rmsprop4j.optim.LearningRateSchedule;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.Schedules;

/**
 * The record of one optimizer run on a {@link Surface}: immutable, produced only by
 * {@link Simulator}, read by every renderer.
 *
 * <h2>Frames</h2>
 * Frame {@code k} ({@code 0 ≤ k < frames()}) holds the position θ_k after {@code k} steps, the loss
 * {@code f(θ_k)}, the gradient {@code ∇f(θ_k)} (the one step {@code k+1} uses), and the optimizer's
 * state after {@code k} steps, per state slot and axis (axis 0 = x, 1 = y). Frame 0 is the start
 * and the initial state. A run that stopped early ({@link #stopReason()} not {@code COMPLETED})
 * has fewer than {@code requestedSteps() + 1} frames; every recorded value is finite.
 *
 * <h2>Effective step size</h2>
 * {@link #effectiveStep(int, int)} is the factor step {@code k} multiplied the gradient (or, for
 * Adam, the first moment; with momentum, the buffer's input) by: {@code η_k/(√ν_k + ε)} for RMSprop
 * with ε outside the root, {@code η_k/√(ν_k + ε)} inside (centered: ν − μ², bias-corrected when
 * configured), {@code η_k/(√s_k + ε)} for AdaGrad, {@code (η/(1−β1ᵏ))/(√v_k/√(1−β2ᵏ) + ε)} for Adam,
 * {@code η·√(Δ_{k−1}+ε)/√(ν_k+ε)} for Adadelta and {@code η} for SGD. It is NaN at frame 0.
 */
public final class Trajectory {

    private final String label;
    private final Surface surface;
    private final OptimizerSpec spec;
    private final int requestedSteps;
    private final int frames;
    private final double[] x, y, loss, gx, gy;
    private final List<String> slots;
    private final double[][] state;
    private final double[] eff;
    /** The schedule the simulator's optimizer ran: the spec's implied one (RMSprop's lrDecay) or constant. */
    private final LearningRateSchedule schedule;
    private final StopReason stopReason;
    private final String stopMessage;

    Trajectory(String label, Surface surface, OptimizerSpec spec, int requestedSteps, int frames, double[] x, double[] y,
               double[] loss, double[] gx, double[] gy, List<String> slots, double[][] state, StopReason stopReason,
               String stopMessage) {
        this.label = label;
        this.surface = surface;
        this.spec = spec;
        this.schedule = spec.impliedSchedule() != null ? spec.impliedSchedule() : Schedules.constant();
        this.requestedSteps = requestedSteps;
        this.frames = frames;
        this.x = x;
        this.y = y;
        this.loss = loss;
        this.gx = gx;
        this.gy = gy;
        this.slots = List.copyOf(slots);
        this.state = state;
        this.stopReason = Objects.requireNonNull(stopReason);
        this.stopMessage = stopMessage;
        this.eff = new double[2 * frames];
        for (int k = 0; k < frames; k++) {
            for (int a = 0; a < 2; a++) eff[2 * k + a] = computeEffective(k, a);
        }
    }

    /** The contender's label. */
    public String label() { return label; }

    public Surface surface() { return surface; }

    public OptimizerSpec spec() { return spec; }

    /** Steps asked for. */
    public int requestedSteps() { return requestedSteps; }

    /** Number of recorded frames: steps taken + 1. */
    public int frames() { return frames; }

    /** Steps actually taken. */
    public int stepsTaken() { return frames - 1; }

    public double x(int k) { return x[check(k)]; }

    public double y(int k) { return y[check(k)]; }

    /** Coordinate {@code axis} (0 = x, 1 = y) of frame {@code k}. */
    public double position(int k, int axis) { return axis == 0 ? x(k) : y(k); }

    public double loss(int k) { return loss[check(k)]; }

    /** Component {@code axis} of the gradient at frame {@code k}. */
    public double gradient(int k, int axis) { check(k); return axis == 0 ? gx[k] : gy[k]; }

    /** Loss of the last frame. */
    public double finalLoss() { return loss[frames - 1]; }

    /** The optimizer's state slot names (as {@link OptimizerSpec#stateSlots()}). */
    public List<String> slots() { return slots; }

    /** True if the optimizer keeps {@code slot}: a slot id ({@code rms/square_avg}) or the bare name of one. */
    public boolean hasSlot(String slot) { return indexOf(slot) >= 0; }

    private int indexOf(String slot) {
        int s = slots.indexOf(slot);
        if (s >= 0 || slot == null) return s;
        for (int i = 0; i < slots.size(); i++) if (slots.get(i).endsWith("/" + slot)) return i;
        return -1;
    }

    /** State slot {@code slot} (a slot id or the bare name of one) for {@code axis} after {@code k} steps. */
    public double state(String slot, int k, int axis) {
        int s = indexOf(slot);
        if (s < 0) throw new IllegalArgumentException("slot must be one of " + slots + " for " + spec.kind() + ", got '" + slot + "'");
        checkAxis(axis);
        return state[s][2 * check(k) + axis];
    }

    /**
     * The accumulated squared gradient the "squares" view draws: RMSprop's decayed mean square
     * {@code square_avg}, AdaGrad's {@code sum}, Adam's {@code exp_avg_sq}, Adadelta's
     * {@code square_avg}; NaN for SGD.
     */
    public double squaredGradientAccumulator(int k, int axis) {
        String slot = accumulatorSlot();
        return slot == null ? Double.NaN : state(slot, k, axis);
    }

    /** The slot {@link #squaredGradientAccumulator} reads (the spec's {@link OptimizerSpec#squaredGradientSlot()}), or null. */
    public String accumulatorSlot() {
        String slot = spec.squaredGradientSlot();
        return slot != null && hasSlot(slot) ? slot : null;
    }

    /** True if the accumulator is a sum (AdaGrad) rather than a decayed mean. */
    public boolean accumulatorIsSum() { return spec.squaredGradientIsSum(); }

    /** The momentum buffer (Adam: first moment) for {@code axis} after {@code k} steps, or NaN when there is none. */
    public double momentum(int k, int axis) {
        String slot = spec.momentumSlot();
        return slot != null && hasSlot(slot) ? state(slot, k, axis) : Double.NaN;
    }

    /** The effective step size of step {@code k} for {@code axis}; see the class comment. NaN at frame 0. */
    public double effectiveStep(int k, int axis) {
        checkAxis(axis);
        return eff[2 * check(k) + axis];
    }

    public StopReason stopReason() { return stopReason; }

    /** Why the run stopped, in words ({@code "completed 300 steps"}, {@code "loss became Infinity at step 12"}). */
    public String stopMessage() { return stopMessage; }

    /** True if the run stopped because of divergence or non-finite values. */
    public boolean diverged() { return stopReason != StopReason.COMPLETED; }

    private double computeEffective(int k, int a) {
        if (k == 0) return Double.NaN;
        double lr = schedule.learningRate(spec.learningRate(), k - 1);
        return spec.effectiveStep(k, lr, slot -> state(slot, k, a), slot -> state(slot, k - 1, a));
    }

    private int check(int k) {
        if (k < 0 || k >= frames) throw new IndexOutOfBoundsException("frame must be in [0, " + frames + "), got " + k);
        return k;
    }

    private static void checkAxis(int axis) {
        if (axis != 0 && axis != 1) throw new IllegalArgumentException("axis must be 0 (x) or 1 (y), got " + axis);
    }

    @Override public String toString() {
        return "Trajectory[" + label + " on " + surface.name() + ", " + stepsTaken() + "/" + requestedSteps + " steps, "
                + stopReason + ", final loss " + finalLoss() + "]";
    }
}
