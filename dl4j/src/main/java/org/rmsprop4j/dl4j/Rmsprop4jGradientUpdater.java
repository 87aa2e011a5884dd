package org.rmsprop4j.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.ParamLayout;
import org.rmsprop4j.optim.StateDict;

/**
 * Runs an rmsprop4j {@link Optimizer} for one DL4J updater block: a flat gradient of {@code n}
 * elements and a state view of {@code slots × n} elements (see {@link Rmsprop4jUpdater}).
 *
 * <p>Each {@link #applyUpdater} call turns the gradient, in place, into the update DL4J subtracts
 * from the parameters, and writes the optimizer's buffers back into the state view, so that the view
 * DL4J saves is always the optimizer's state. A view handed over without initialisation (a restored
 * network) is read into the optimizer before the next step, with DL4J's iteration count as the step
 * count; so is a state whose step count differs from the iteration DL4J reports.
 */
public final class Rmsprop4jGradientUpdater implements GradientUpdater<Rmsprop4jUpdater> {

    private static final String PARAM = "params";

    private final Rmsprop4jUpdater config;
    private final OptimizerSpec spec;
    private final List<String> slots;

    private long n = -1;
    private Map<String, INDArray> state = new LinkedHashMap<>();  // slot -> n-element view into DL4J's state array
    private boolean stateIsNewer;                                 // the arrays hold state the optimizer has not loaded
    private Optimizer optimizer;
    private float[] pf, gf;
    private double[] pd, gd;

    Rmsprop4jGradientUpdater(Rmsprop4jUpdater config) {
        this.config = config;
        this.spec = config.spec();
        this.slots = spec.stateSlots();
    }

    @Override public Rmsprop4jUpdater getConfig() { return config; }

    /** {@return the rmsprop4j optimizer of this block (for its state), or {@code null} before the first step or view} */
    public Optimizer optimizer() { return optimizer; }

    @Override public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        long count = 1;
        for (long d : gradientShape) count *= d;
        long want = slots.size() * count;
        if (slots.isEmpty() && (viewArray == null || viewArray.length() == 0)) {
            bind(count, Map.of(), null, initialize);
            return;
        }
        if (viewArray == null || viewArray.length() != want) {
            throw new IllegalArgumentException("state view must have " + want + " elements (" + slots.size() + " slots " + slots + " × " + count
                    + " parameters), got " + (viewArray == null ? null : viewArray.length()));
        }
        if (viewArray.rank() > 2 || (viewArray.rank() == 2 && viewArray.size(0) != 1)) {
            throw new IllegalArgumentException("state view must be a row vector, got shape " + Arrays.toString(viewArray.shape()));
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int s = 0; s < slots.size(); s++) {
            INDArray part = viewArray.rank() == 2
                    ? viewArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(s * count, (s + 1) * count))
                    : viewArray.get(NDArrayIndex.interval(s * count, (s + 1) * count));
            m.put(slots.get(s), part);
        }
        bind(count, m, viewArray.dataType(), initialize);
    }

    @Override public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (stateMap == null || !stateMap.keySet().equals(new java.util.LinkedHashSet<>(slots))) {
            throw new IllegalArgumentException("state map must hold exactly the slots " + slots + ", got " + (stateMap == null ? null : stateMap.keySet()));
        }
        long count = slots.isEmpty() ? -1 : stateMap.get(slots.get(0)).length();
        DataType dt = null;
        for (String s : slots) {
            INDArray a = stateMap.get(s);
            if (a.length() != count) throw new IllegalArgumentException("state array '" + s + "' must have " + count + " elements like '" + slots.get(0) + "', got " + a.length());
            dt = a.dataType();
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String s : slots) m.put(s, stateMap.get(s));
        bind(count, m, dt, initialize);
    }

    @Override public Map<String, INDArray> getState() { return new LinkedHashMap<>(state); }

    private void bind(long count, Map<String, INDArray> arrays, DataType dt, boolean initialize) {
        this.n = count;
        this.state = arrays;
        this.optimizer = null;
        if (dt != null) build(dt);
        if (initialize) {
            if (optimizer != null) writeState();
            stateIsNewer = false;
        } else {
            stateIsNewer = true;
        }
    }

    private void build(DataType dt) {
        Dtype dtype = switch (dt) {
            case FLOAT -> Dtype.FLOAT32;
            case DOUBLE -> Dtype.FLOAT64;
            default -> throw new IllegalArgumentException("network data type must be FLOAT or DOUBLE for rmsprop4j, got " + dt);
        };
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("updater block must have at most 2^31 - 9 parameters, got " + n);
        optimizer = Optimizer.builder(spec).layout(ParamLayout.single(PARAM, (int) n)).dtype(dtype).build();
        if (dtype == Dtype.FLOAT32) {
            pf = new float[(int) n];
            gf = new float[(int) n];
            pd = gd = null;
        } else {
            pd = new double[(int) n];
            gd = new double[(int) n];
            pf = gf = null;
        }
    }

    @Override public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (n < 0) n = gradient.length();         // no state slots and no view: size from the first gradient
        if (gradient.length() != n) throw new IllegalArgumentException("gradient must have " + n + " elements, got " + gradient.length());
        if (optimizer == null) build(gradient.dataType());
        if (optimizer.dtype() != (gradient.dataType() == DataType.DOUBLE ? Dtype.FLOAT64 : Dtype.FLOAT32)) {
            throw new IllegalArgumentException("gradient data type must be the state's (" + optimizer.dtype().label() + "), got " + gradient.dataType());
        }
        if (stateIsNewer || optimizer.steps() != iteration) readState(iteration);
        // the schedule's rate, or the configuration's (DL4J's setLearningRate changes the configuration in place)
        double lr = config.getLearningRate(iteration, epoch);
        if (optimizer.learningRate(Optimizer.DEFAULT_GROUP) != lr) optimizer.setLearningRate(lr);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray flat = Nd4j.toFlattened('c', gradient);
            INDArray update;
            if (gf != null) {
                float[] g = flat.toFloatVector();
                System.arraycopy(g, 0, gf, 0, gf.length);
                Arrays.fill(pf, 0f);
                optimizer.step(pf, gf);                 // from θ = 0, θ' = −update exactly
                float[] u = new float[pf.length];
                for (int i = 0; i < u.length; i++) u[i] = -pf[i];
                update = Nd4j.createFromArray(u);
            } else {
                double[] g = flat.toDoubleVector();
                System.arraycopy(g, 0, gd, 0, gd.length);
                Arrays.fill(pd, 0.0);
                optimizer.step(pd, gd);
                double[] u = new double[pd.length];
                for (int i = 0; i < u.length; i++) u[i] = -pd[i];
                update = Nd4j.createFromArray(u);
            }
            gradient.assign(update.reshape('c', gradient.shape()));
            writeState();
        }
    }

    /** Copies the optimizer's buffers into DL4J's state arrays. */
    private void writeState() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (String s : slots) {
                double[] b = optimizer.state(PARAM, s);
                INDArray a = state.get(s);
                INDArray src;
                if (optimizer.dtype() == Dtype.FLOAT32) {
                    float[] f = new float[b.length];
                    for (int i = 0; i < f.length; i++) f[i] = (float) b[i];
                    src = Nd4j.createFromArray(f);
                } else {
                    src = Nd4j.createFromArray(b);
                }
                a.assign(src.reshape('c', a.shape()));
            }
        }
    }

    /** Loads DL4J's state arrays into the optimizer, with {@code iteration} as the step count (all checked first). */
    private void readState(int iteration) {
        StateDict now = optimizer.stateDict();
        Map<String, double[]> buffers = new LinkedHashMap<>();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (String s : slots) buffers.put(Optimizer.stateKey(s, PARAM), Nd4j.toFlattened('c', state.get(s)).toDoubleVector());
        }
        List<StateDict.GroupState> groups = new ArrayList<>();
        for (StateDict.GroupState g : now.groups()) groups.add(new StateDict.GroupState(g.name(), iteration, g.learningRate(), g.hyperParameters(), g.schedule()));
        optimizer.loadStateDict(new StateDict(now.formatVersion(), now.kind(), now.dtype(), groups, now.paramLengths(), buffers));
        stateIsNewer = false;
    }

    @Override public String toString() { return "Rmsprop4jGradientUpdater(" + config + ", " + n + " parameters)"; }
}
