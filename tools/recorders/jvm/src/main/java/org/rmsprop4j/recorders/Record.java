package org.rmsprop4j.recorders;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.tribuo.math.Parameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.optimisers.RMSProp;

/**
 * Records ND4J's RmsProp updater and Tribuo's RMSProp as conformance cases.
 *
 * <pre>
 * java -cp ... org.rmsprop4j.recorders.Record dl4j|tribuo PLAN.json OUT_DIR
 * </pre>
 *
 * PLAN.json comes from {@code tools/recorders/plan.py} (the inputs); this fills in what the
 * library computes after every step and its final state.
 */
public final class Record {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String fw = args[0];
        JsonNode plan = JSON.readTree(new File(args[1]));
        File out = new File(args[2]);
        out.mkdirs();
        for (JsonNode c : plan) {
            ObjectNode r = fw.equals("dl4j") ? dl4j((ObjectNode) c.deepCopy()) : tribuo((ObjectNode) c.deepCopy());
            r.remove("_schedule");
            File f = new File(out, r.get("name").asText() + ".json");
            JSON.writeValue(f, r);
            System.out.println(f);
        }
    }

    static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
        return d;
    }

    static ArrayNode numbers(double[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (double x : v) {
            if (Double.isNaN(x)) a.add("NaN");
            else if (Double.isInfinite(x)) a.add(x > 0 ? "Infinity" : "-Infinity");
            else a.add(x);
        }
        return a;
    }

    // ------------------------------------------------------------------ ND4J / DL4J
    static ObjectNode dl4j(ObjectNode c) {
        boolean f32 = c.get("dtype").asText().equals("float32");
        DataType dt = f32 ? DataType.FLOAT : DataType.DOUBLE;
        JsonNode h = c.get("hyper");
        double lr = h.path("learningRate").asDouble(RmsProp.DEFAULT_RMSPROP_LEARNING_RATE);
        double decay = h.path("rmsDecay").asDouble(RmsProp.DEFAULT_RMSPROP_RMSDECAY);
        double eps = h.path("epsilon").asDouble(RmsProp.DEFAULT_RMSPROP_EPSILON);
        ISchedule schedule = null;
        String scheduleText = "";
        if (c.has("_schedule")) {
            JsonNode s = c.get("_schedule");
            switch (s.get(0).asText()) {
                case "exponential":
                    schedule = new ExponentialSchedule(ScheduleType.ITERATION, s.get(1).asDouble(), s.get(2).asDouble());
                    break;
                case "step":
                    schedule = new StepSchedule(ScheduleType.ITERATION, s.get(1).asDouble(), s.get(2).asDouble(), s.get(3).asDouble());
                    break;
                case "inverse":
                    schedule = new InverseSchedule(ScheduleType.ITERATION, s.get(1).asDouble(), s.get(2).asDouble(), s.get(3).asDouble());
                    break;
                default: throw new IllegalArgumentException(s.toString());
            }
            scheduleText = ", learning rate from " + schedule + " (ITERATION from 0; each step's lr is schedule.valueAt(iteration, 0))";
        }
        RmsProp config = schedule == null ? new RmsProp(lr, decay, eps) : new RmsProp(schedule);
        config.setRmsDecay(decay);
        config.setEpsilon(eps);
        List<INDArray> params = new ArrayList<>();
        List<INDArray> states = new ArrayList<>();
        List<GradientUpdater> updaters = new ArrayList<>();
        List<String> names = new ArrayList<>();
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode p : c.get("params")) {
            double[] v = doubles(p.get("value"));
            if (v.length == 0) continue;   // ND4J refuses an empty state view ("expect row vector input"): DL4J has no empty parameters
            kept.add(p);
            INDArray arr = Nd4j.create(v, new long[] {1, v.length}, dt);   // DL4J keeps parameters and state as row vectors
            params.add(arr);
            INDArray view = Nd4j.create(dt, 1, config.stateSize(v.length));
            states.add(view);
            updaters.add(config.instantiate(view, true));
            names.add(p.get("name").asText());
        }
        c.set("params", kept);
        ArrayNode steps = (ArrayNode) c.get("steps");
        for (int k = 0; k < steps.size(); k++) {
            ObjectNode st = (ObjectNode) steps.get(k);
            ObjectNode grads = (ObjectNode) st.get("grads");
            grads.retain(names);
            if (schedule != null) st.put("lr", schedule.valueAt(k, 0));
            else st.remove("lr");
            ObjectNode expect = JSON.createObjectNode();
            for (int i = 0; i < params.size(); i++) {
                double[] g = doubles(st.get("grads").get(names.get(i)));
                INDArray grad = Nd4j.create(g, new long[] {1, g.length}, dt);
                updaters.get(i).applyUpdater(grad, k, 0);
                params.get(i).subi(grad);
                expect.set(names.get(i), numbers(params.get(i).toDoubleVector()));
            }
            st.set("expect", expect);
        }
        ObjectNode fs = JSON.createObjectNode();
        for (int i = 0; i < params.size(); i++) {
            ObjectNode s = JSON.createObjectNode();
            s.set("G", numbers(states.get(i).toDoubleVector()));
            fs.set(names.get(i), s);
        }
        c.set("final_state", fs);
        c.put("source", "nd4j-native 1.0.0-M2.1 (linux-x86_64) org.nd4j.linalg.learning.config.RmsProp, RmsPropUpdater over a state view array: "
                + "applyUpdater(grad, iteration, 0) then params.subi(grad), one updater per parameter" + scheduleText);
        return c;
    }

    // ------------------------------------------------------------------ Tribuo
    /** Parameters as a Tribuo model keeps them: a list of dense tensors that {@code update} adds to. */
    static final class Params implements Parameters {
        final Tensor[] tensors;

        Params(Tensor[] tensors) { this.tensors = tensors; }

        @Override public Tensor[] getEmptyCopy() {
            Tensor[] t = new Tensor[tensors.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = tensors[i] instanceof DenseMatrix m ? new DenseMatrix(m.getDimension1Size(), m.getDimension2Size())
                        : new DenseVector(((DenseVector) tensors[i]).size());
            }
            return t;
        }
        @Override public Tensor[] get() { return tensors; }
        @Override public void set(Tensor[] t) { System.arraycopy(t, 0, tensors, 0, t.length); }
        @Override public void update(Tensor[] g) { for (int i = 0; i < g.length; i++) tensors[i].intersectAndAddInPlace(g[i]); }
        @Override public Tensor[] merge(Tensor[][] g, int size) { throw new UnsupportedOperationException(); }
        @Override public org.tribuo.math.protos.ParametersProto serialize() { throw new UnsupportedOperationException(); }
    }

    static Tensor tensor(int[] shape, double[] v) {
        if (shape.length == 2) {
            DenseMatrix m = new DenseMatrix(shape[0], shape[1]);
            for (int i = 0; i < shape[0]; i++) for (int j = 0; j < shape[1]; j++) m.set(i, j, v[i * shape[1] + j]);
            return m;
        }
        return DenseVector.createDenseVector(v);
    }

    static double[] values(Tensor t) {
        if (t instanceof DenseMatrix m) {
            int r = m.getDimension1Size(), cols = m.getDimension2Size();
            double[] v = new double[r * cols];
            for (int i = 0; i < r; i++) for (int j = 0; j < cols; j++) v[i * cols + j] = m.get(i, j);
            return v;
        }
        return ((DenseVector) t).toArray();
    }

    static ObjectNode tribuo(ObjectNode c) throws Exception {
        JsonNode h = c.get("hyper");
        double lr = h.get("initialLearningRate").asDouble();
        double rho = h.path("rho").asDouble(0.9);
        double eps = h.path("epsilon").asDouble(1e-8);
        double decay = h.path("decay").asDouble(0.0);
        RMSProp opt = new RMSProp(lr, rho, eps, decay);
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        List<Tensor> ts = new ArrayList<>();
        for (JsonNode p : c.get("params")) {
            int[] shape = new int[p.get("shape").size()];
            for (int d = 0; d < shape.length; d++) shape[d] = p.get("shape").get(d).asInt();
            names.add(p.get("name").asText());
            shapes.add(shape);
            ts.add(tensor(shape, doubles(p.get("value"))));
        }
        Params params = new Params(ts.toArray(new Tensor[0]));
        opt.initialise(params);
        for (JsonNode st0 : c.get("steps")) {
            ObjectNode st = (ObjectNode) st0;
            st.remove("lr");
            Tensor[] grads = new Tensor[names.size()];
            for (int i = 0; i < grads.length; i++) {
                double[] g = doubles(st.get("grads").get(names.get(i)));
                for (int j = 0; j < g.length; j++) g[j] = -g[j];   // Tribuo's objectives hand over the negative loss gradient
                grads[i] = tensor(shapes.get(i), g);
            }
            Tensor[] updates = opt.step(grads, 1.0);              // AbstractSGDTrainer: step(gradients, example weight)
            params.update(updates);                              // then parameters.update(updates): an add
            ObjectNode expect = JSON.createObjectNode();
            for (int i = 0; i < grads.length; i++) expect.set(names.get(i), numbers(values(params.tensors[i])));
            st.set("expect", expect);
        }
        var f = RMSProp.class.getDeclaredField("gradsSquared");
        f.setAccessible(true);
        Tensor[] sq = (Tensor[]) f.get(opt);
        ObjectNode fs = JSON.createObjectNode();
        for (int i = 0; i < names.size(); i++) {
            ObjectNode s = JSON.createObjectNode();
            s.set("gradsSquared", numbers(values(sq[i])));   // materialised: elements x multiplier (get(i))
            fs.set(names.get(i), s);
        }
        c.set("final_state", fs);
        c.put("source", "tribuo-math 4.3.2 org.tribuo.math.optimisers.RMSProp, applied as AbstractSGDTrainer applies it "
                + "(step(negated loss gradients, weight 1.0), then Parameters.update: an add); DenseMatrix for 2-D tensors, DenseVector otherwise");
        return c;
    }

    private Record() {}
}
