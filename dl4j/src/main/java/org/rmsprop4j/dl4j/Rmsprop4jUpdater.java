package org.rmsprop4j.dl4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.rmsprop4j.internal.SpecStrings;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.RmsPropPreset;

/**
 * Any rmsprop4j optimizer as a Deeplearning4j / ND4J {@link IUpdater}: set it on a network or a layer
 * like ND4J's own updaters, and the network trains with that optimizer.
 *
 * <pre>{@code
 * var conf = new NeuralNetConfiguration.Builder().updater(Rmsprop4jUpdater.of(RmsPropPreset.GRAVES.config())) ...
 * }</pre>
 *
 * <p>DL4J groups parameters with equal updaters into blocks and gives each block one flat gradient view
 * and one flat state view of {@link #stateSize} elements; {@link Rmsprop4jGradientUpdater} keeps the
 * optimizer's per-parameter buffers there, one after the other in the order of
 * {@code spec.stateSlots()} (for RMSprop {@code rms/square_avg}, then {@code rms/grad_avg} if centered, then
 * {@code momentum/momentum_buffer} if momentum), so DL4J saves and restores them with the network.
 *
 * <p>Carried over: every knob of the configuration; DL4J's iteration count as the optimizer's step
 * count (bias correction, {@code lrDecay}); an ND4J {@link ISchedule} for the learning rate, which
 * replaces the base rate each iteration (as for ND4J's updaters); the network's float32 or float64
 * data type. Not carried: weight decay in the configuration (it needs the parameters, which DL4J does
 * not give an updater; configure DL4J's own {@code weightDecay} or {@code l2} regularisation instead,
 * and a configuration with weight decay is refused); clipping (use DL4J's gradient normalization).
 *
 * <p>The configuration is held as strings (family and hyper-parameters by name) and survives DL4J's
 * JSON configuration and {@code ModelSerializer}.
 */
public final class Rmsprop4jUpdater implements IUpdater {
    private static final long serialVersionUID = 1L;

    /** The optimizer family ({@code rmsprop}, {@code sgd}, ...). */
    @JsonProperty("kind") private String kind;
    /** Every hyper-parameter of the family by its rmsprop4j name. */
    @JsonProperty("hyperParameters") private Map<String, String> hyperParameters;
    /** The learning-rate schedule, or {@code null}. */
    @JsonProperty("learningRateSchedule") private ISchedule learningRateSchedule;

    @JsonIgnore private transient OptimizerSpec spec;

    /** For JSON. */
    private Rmsprop4jUpdater() {}

    private Rmsprop4jUpdater(OptimizerSpec spec, ISchedule schedule) {
        Object wd = spec.hyperParameters().get("weightDecay");
        if (wd instanceof Number n && n.doubleValue() != 0) {
            throw new IllegalArgumentException("weightDecay must be 0 in a DL4J updater (DL4J gives updaters no parameters), got " + n
                    + "; use DL4J's .weightDecay(...) or .l2(...) on the network or layer");
        }
        this.kind = spec.kind();
        this.hyperParameters = new LinkedHashMap<>(SpecStrings.toStrings(spec));
        this.learningRateSchedule = schedule;
        this.spec = spec;
    }

    /**
     * An updater running {@code spec}.
     *
     * @param spec any rmsprop4j configuration without weight decay, for example {@code RmsPropPreset.DL4J.config()}
     * @return the updater
     */
    public static Rmsprop4jUpdater of(OptimizerSpec spec) {
        if (spec == null) throw new IllegalArgumentException("spec must not be null");
        return new Rmsprop4jUpdater(spec, null);
    }

    /**
     * An updater running {@code preset}'s configuration.
     *
     * @param preset the preset
     * @return the updater
     */
    public static Rmsprop4jUpdater of(RmsPropPreset preset) { return of(preset.config()); }

    /**
     * The same configuration with its learning rate given each iteration by an ND4J schedule.
     *
     * @param schedule the schedule ({@code valueAt(iteration, epoch)}), or {@code null} for the base rate
     * @return a new updater
     */
    public Rmsprop4jUpdater withSchedule(ISchedule schedule) { return new Rmsprop4jUpdater(spec(), schedule == null ? null : schedule.clone()); }

    /** {@return the configuration this updater runs} */
    @JsonIgnore
    public OptimizerSpec spec() {
        if (spec == null) spec = SpecStrings.fromStrings(kind, hyperParameters == null ? Map.of() : hyperParameters);
        return spec;
    }

    /** {@return the learning-rate schedule, or {@code null} for the configuration's constant base rate} */
    @JsonIgnore
    public ISchedule schedule() { return learningRateSchedule; }

    /** One buffer of {@code numParams} elements per state slot of the configuration. */
    @Override public long stateSize(long numParams) { return spec().stateSlots().size() * numParams; }

    @Override public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Rmsprop4jGradientUpdater u = new Rmsprop4jGradientUpdater(this);
        int slots = spec().stateSlots().size();
        if (viewArray != null && slots > 0) {
            // the view holds one buffer per slot: the gradient it serves has a slot's share of its length
            u.setStateViewArray(viewArray, new long[] {1, viewArray.length() / slots}, viewArray.ordering(), initializeViewArray);
        }
        return u;
    }

    @Override public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Rmsprop4jGradientUpdater u = new Rmsprop4jGradientUpdater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override public Rmsprop4jUpdater clone() { return new Rmsprop4jUpdater(spec(), learningRateSchedule == null ? null : learningRateSchedule.clone()); }

    /** The learning rate of that iteration: the schedule's, else the configuration's base rate. */
    @Override public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : spec().learningRate();
    }

    @Override public boolean hasLearningRate() { return true; }

    /** Called by DL4J's {@code setLearningRate}: replaces the base rate and the schedule. */
    @Override public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        OptimizerSpec s = Double.isNaN(lr) ? spec() : spec().withLearningRate(lr);
        this.spec = s;
        this.hyperParameters = new LinkedHashMap<>(SpecStrings.toStrings(s));
        this.learningRateSchedule = lrSchedule;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Rmsprop4jUpdater u && u.spec().equals(spec()) && Objects.equals(u.learningRateSchedule, learningRateSchedule);
    }

    @Override public int hashCode() { return spec().hashCode() * 31 + Objects.hashCode(learningRateSchedule); }

    @Override public String toString() {
        return "Rmsprop4jUpdater(" + kind + ", " + hyperParameters + (learningRateSchedule == null ? "" : ", schedule=" + learningRateSchedule) + ")";
    }
}
