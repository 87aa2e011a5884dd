package org.rmsprop4j.testkit;

import java.nio.file.Path;
import java.util.Map;

import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.optim.Optimizer;
import org.rmsprop4j.optim.OptimizerSpec;
import org.rmsprop4j.optim.ParamLayout;

/**
 * Replays a conformance case through our optimizer: same starting parameters, same gradients, the
 * learning rate set where the case sets it; after every step each parameter is compared with the
 * reference, and after the last step every state slot the case records.
 */
public final class CaseRunner {
    private final Tolerance tolerance;

    public CaseRunner(Tolerance tolerance) { this.tolerance = tolerance; }

    /** Loads and replays a file; an unreadable or malformed case is a failed result, never an exception. */
    public CaseResult run(Path file) {
        ConformanceCase c;
        try {
            c = CaseLoader.load(file);
        } catch (CaseFormatException e) {
            return CaseResult.failure(file.getFileName().toString(), e.getMessage());
        }
        return run(c);
    }

    public CaseResult run(ConformanceCase c) {
        OptimizerSpec spec;
        try {
            spec = Flavors.spec(c);
        } catch (IllegalArgumentException e) {
            return CaseResult.failure(c.name(), "cannot configure: " + e.getMessage());
        }
        return run(c, spec);
    }

    /** Replays {@code c} through {@code spec} instead of the flavour's mapping (to show what a wrong mapping does). */
    public CaseResult run(ConformanceCase c, OptimizerSpec spec) {
        ParamLayout layout;
        Optimizer opt;
        try { // a parameter name or shape our layout refuses fails this case only, with the reason
            ParamLayout.Builder lb = ParamLayout.builder();
            for (ConformanceCase.Param p : c.params()) lb.add(p.name(), p.shape());
            layout = lb.build();
            opt = Optimizer.builder(spec).layout(layout).dtype(c.dtype()).build();
        } catch (IllegalArgumentException e) {
            return CaseResult.failure(c.name(), "cannot set up the parameters: " + e.getMessage());
        }
        int n = layout.size();
        boolean f32 = c.dtype() == Dtype.FLOAT32;
        float[] pf = f32 ? new float[n] : null, gf = f32 ? new float[n] : null;
        double[] pd = f32 ? null : new double[n], gd = f32 ? null : new double[n];
        for (ConformanceCase.Param p : c.params()) put(layout, p.name(), p.value(), pf, pd);
        Worst w = new Worst();
        try {
            for (int s = 0; s < c.steps().size(); s++) {
                ConformanceCase.Step st = c.steps().get(s);
                if (st.lr() != null) opt.setLearningRate(st.lr());
                for (var e : st.grads().entrySet()) put(layout, e.getKey(), e.getValue(), gf, gd);
                if (f32) opt.step(pf, gf);
                else opt.step(pd, gd);
                for (var e : st.expect().entrySet()) {
                    ParamLayout.Param p = layout.param(e.getKey());
                    double[] ref = e.getValue();
                    for (int i = 0; i < ref.length; i++) {
                        double ours = f32 ? pf[p.offset() + i] : pd[p.offset() + i];
                        w.see(c.dtype(), ours, ref[i], "step " + (s + 1) + ", " + p.name() + "[" + i + "]");
                    }
                }
            }
            for (var pe : c.finalState().entrySet()) {
                for (var se : pe.getValue().entrySet()) {
                    if (se.getKey().equals(CaseLoader.STEP)) {
                        double recorded = se.getValue()[0];
                        if (recorded != c.steps().size()) {
                            return CaseResult.failure(c.name(), "final_state." + pe.getKey() + ".step is " + (long) recorded
                                    + " but the case has " + c.steps().size() + " steps");
                        }
                        continue;
                    }
                    org.rmsprop4j.optim.Flavors.SlotRef ref = Flavors.slot(c.flavor(), se.getKey());
                    String at = "final_state." + pe.getKey() + "." + se.getKey();
                    if (ref == null) return CaseResult.failure(c.name(), at + " is not a state slot of flavor " + c.flavor());
                    if (spec.stateSlots().stream().noneMatch(x -> x.equals(ref.slot()) || x.endsWith("/" + ref.slot()))) {
                        if (ref.optional()) continue;
                        return CaseResult.failure(c.name(), at + " (our " + ref.slot() + ") is not kept by this configuration (it keeps "
                                + spec.stateSlots() + ")");
                    }
                    double[] ours = opt.state(pe.getKey(), ref.slot());
                    double[] expected = se.getValue();
                    for (int i = 0; i < expected.length; i++) {
                        w.see(c.dtype(), ref.sign() * ours[i], expected[i], "final " + pe.getKey() + "." + se.getKey() + "[" + i + "]");
                    }
                }
            }
        } catch (RuntimeException e) {
            return CaseResult.failure(c.name(), "replay failed: " + e.getMessage());
        }
        return new CaseResult(c.name(), w.allAccepted, w.ulp, w.rel, w.where, w.count, null, w.floorOnly, decidedBy(w, c.dtype()));
    }

    private String decidedBy(Worst w, Dtype d) {
        if (!w.allAccepted) return "";
        if (w.ulp == 0) return "bit for bit";
        if (w.floorOnly == 0) return "within " + tolerance.maxUlp(d) + " ulp";
        return w.floorOnly + (w.floorOnly == 1 ? " value" : " values") + " only within the absolute floor " + Tolerance.num(tolerance.atol(d));
    }

    private static void put(ParamLayout layout, String name, double[] v, float[] f, double[] d) {
        int off = layout.param(name).offset();
        for (int i = 0; i < v.length; i++) {
            if (f != null) f[off + i] = (float) v[i];
            else d[off + i] = v[i];
        }
    }

    private final class Worst {
        long ulp;
        double rel;
        String where = "";
        long count, floorOnly;
        boolean allAccepted = true;

        void see(Dtype d, double ours, double ref, String at) {
            count++;
            long u = d == Dtype.FLOAT32 ? Ulp.float32((float) ours, (float) ref) : Ulp.float64(ours, ref);
            double r = Ulp.relative(ours, ref);
            if (u > ulp) {
                ulp = u;
                where = at + " (ours " + ours + ", reference " + ref + ")";
            }
            if (r > rel) rel = r;
            if (!tolerance.withinUlp(d, ours, ref)) {
                if (tolerance.withinFloor(d, ours, ref)) floorOnly++;
                else allAccepted = false;
            }
        }
    }

    /** Convenience for tests and tools: the results for every case under the roots. */
    public static Map<Path, CaseResult> runAll(java.util.List<Path> roots, Tolerance tol) throws java.io.IOException {
        Map<Path, CaseResult> out = new java.util.LinkedHashMap<>();
        CaseRunner r = new CaseRunner(tol);
        for (Path p : CaseLoader.findCaseFiles(roots)) out.put(p, r.run(p));
        return out;
    }
}
