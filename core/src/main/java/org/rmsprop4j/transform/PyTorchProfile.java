package org.rmsprop4j.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.optim.Arithmetic;

/**
 * A whole step of PyTorch's SGD, AdaGrad, Adadelta or Adam/AdamW in the arithmetic of a PyTorch
 * version or code path that the library's fused kernels (PyTorch 1.13's for-loop order) do not
 * reproduce ({@code docs/arithmetic.md}, "PyTorch 2.13"):
 * <ul>
 *   <li>{@link Arithmetic#PYTORCH_2_13} (for-loop and foreach): Intel MKL's {@code sqrt}
 *       ({@link CpuMath#mklSqrt(float)}, reproduced for AMD Zen 4), Adam's first moment by
 *       {@code lerp_};</li>
 *   <li>{@link Arithmetic#PYTORCH_2_13_FUSED} ({@code fused=True}; Adam, AdamW, SGD): IEEE sqrt,
 *       and a contraction that depends on the element's index in its tensor (vector body over the
 *       first {@code n − n mod L} elements, L = 8 floats or 4 doubles, then a scalar tail), so it
 *       works tensor by tensor ({@link #elementwise()} false);</li>
 *   <li>{@link Arithmetic#PYTORCH_1_13_FOREACH} (AdaGrad): the step size {@code −lr/(1 + (t−1)·lr_decay)}
 *       computed in float32 operations from the float32 {@code step} tensor.</li>
 * </ul>
 * Like {@link RmsPropProfile} it leaves the new parameters in {@code u} ({@link #producesParameters()}).
 * AdaGrad's {@code lr_decay} is applied here (the group's learning rate is the base rate). Maximize is a
 * {@link Scale} of −1 before it.
 *
 * @param family  {@code sgd}, {@code adagrad}, {@code adadelta}, {@code adam}
 * @param decoupled Adam: AdamW's decoupled decay
 */
public record PyTorchProfile(Arithmetic arithmetic, String family, double momentum, double dampening, boolean nesterov,
                             double lrDecay, double initialAccumulator, double rho, double beta1, double beta2, double eps,
                             boolean amsgrad, double weightDecay, boolean decoupled) implements GradientTransform {

    public PyTorchProfile {
        Checks.notNull("arithmetic", arithmetic);
        Checks.notNull("family", family);
        boolean ok = switch (family) {
            case "sgd" -> arithmetic == Arithmetic.PYTORCH_2_13_FUSED;
            case "adagrad" -> arithmetic == Arithmetic.PYTORCH_2_13 || arithmetic == Arithmetic.PYTORCH_1_13_FOREACH;
            case "adadelta" -> arithmetic == Arithmetic.PYTORCH_2_13;
            case "adam" -> arithmetic == Arithmetic.PYTORCH_2_13 || arithmetic == Arithmetic.PYTORCH_2_13_FUSED;
            default -> throw Checks.invalid("family", "'" + family + "'", "one of sgd, adagrad, adadelta, adam");
        };
        if (!ok) throw Checks.invalid("arithmetic of " + family + " profile", arithmetic.id(), "one that differs from the fused kernels (see PyTorchProfile)");
    }

    private boolean fused() { return arithmetic == Arithmetic.PYTORCH_2_13_FUSED; }

    @Override public String type() { return "pytorch_profile"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arithmetic", arithmetic);
        m.put("family", family);
        m.put("momentum", momentum);
        m.put("dampening", dampening);
        m.put("nesterov", nesterov);
        m.put("lrDecay", lrDecay);
        m.put("initialAccumulator", initialAccumulator);
        m.put("rho", rho);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("eps", eps);
        m.put("amsgrad", amsgrad);
        m.put("weightDecay", weightDecay);
        m.put("decoupled", decoupled);
        return m;
    }

    @Override public List<String> slots() {
        List<String> s = new ArrayList<>();
        switch (family) {
            case "sgd" -> { if (momentum > 0) s.add("momentum_buffer"); }
            case "adagrad" -> s.add("sum");
            case "adadelta" -> { s.add("square_avg"); s.add("acc_delta"); }
            default -> {
                s.add("exp_avg");
                s.add("exp_avg_sq");
                if (amsgrad) s.add("max_exp_avg_sq");
            }
        }
        return List.copyOf(s);
    }

    @Override public double initialValue(String slot) { return "sum".equals(slot) ? initialAccumulator : 0.0; }

    @Override public boolean nonNegative(String slot) { return !slot.equals("momentum_buffer") && !slot.equals("exp_avg"); }

    @Override public boolean elementwise() { return !fused(); }

    @Override public boolean producesParameters() { return true; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        run(true, u, null, p, null, s, null, slot0, off, len, off + len - len % 8, c);
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        run(false, null, u, null, p, null, s, slot0, off, len, off + len - len % 4, c);
    }

    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        for (int t = 0, n = c.tensorCount(); t < n; t++) update(u, p, s, slot0, c.tensorOffset(t), c.tensorLength(t), c);
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        for (int t = 0, n = c.tensorCount(); t < n; t++) update(u, p, s, slot0, c.tensorOffset(t), c.tensorLength(t), c);
    }

    private static double r(boolean f, double x) { return f ? (double) (float) x : x; }

    private static double fma(boolean f, double a, double b, double c) {
        return f ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }

    private double sqrt(boolean f, double x) {
        if (arithmetic == Arithmetic.PYTORCH_2_13) return f ? CpuMath.mklSqrt((float) x) : CpuMath.mklSqrt(x);
        return r(f, Math.sqrt(x));
    }

    private static double get(float[] af, double[] ad, int i) { return af != null ? af[i] : ad[i]; }

    private static void set(float[] af, double[] ad, int i, double v) {
        if (af != null) af[i] = (float) v;
        else ad[i] = v;
    }

    private void run(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int bodyEnd, StepContext c) {
        float[] aF = null, bF = null, cF = null;
        double[] aD = null, bD = null, cD = null;
        int n = switch (family) {                                       // slots().size(), without allocating
            case "sgd" -> momentum > 0 ? 1 : 0;
            case "adagrad" -> 1;
            case "adadelta" -> 2;
            default -> amsgrad ? 3 : 2;
        };
        if (n > 0) { if (f) aF = sf[slot0]; else aD = sd[slot0]; }
        if (n > 1) { if (f) bF = sf[slot0 + 1]; else bD = sd[slot0 + 1]; }
        if (n > 2) { if (f) cF = sf[slot0 + 2]; else cD = sd[slot0 + 2]; }
        double lr = c.learningRate();
        long t = c.step();
        double wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && !decoupled;
        int end = off + len;
        switch (family) {
            case "sgd" -> {                                               // fused only
                double m = r(f, momentum), cd = r(f, 1 - dampening), nlr = r(f, -lr);
                for (int i = off; i < end; i++) {
                    double g = get(uf, ud, i), p = get(pf, pd, i);
                    if (l2) g = fma(f, p, wd, g);
                    if (momentum > 0) {
                        double b;
                        if (t == 1) b = g;
                        else {
                            double b0 = get(aF, aD, i);
                            b = i < bodyEnd ? fma(f, g, cd, r(f, b0 * m)) : fma(f, b0, m, r(f, g * cd));
                        }
                        set(aF, aD, i, b);
                        g = nesterov ? fma(f, b, m, g) : b;
                    }
                    set(uf, ud, i, fma(f, g, nlr, p));
                }
            }
            case "adagrad" -> {
                double epsW = r(f, eps);
                double step;
                if (arithmetic == Arithmetic.PYTORCH_1_13_FOREACH) {           // float32 tensor arithmetic on `step`
                    float x = ((float) t - 1f) * (float) lrDecay;
                    step = r(f, (1f / (1f + x)) * (float) -lr);
                } else {
                    step = r(f, -(lr / (1 + (t - 1) * lrDecay)));
                }
                boolean foreach13 = arithmetic == Arithmetic.PYTORCH_1_13_FOREACH;
                for (int i = off; i < end; i++) {
                    double g = get(uf, ud, i), p = get(pf, pd, i);
                    if (l2) g = fma(f, wd, p, g);
                    double sum = fma(f, g, g, get(aF, aD, i));
                    set(aF, aD, i, sum);
                    double std = r(f, sqrt(f, sum) + epsW);
                    double num = foreach13 ? r(f, g * step) : r(f, step * g);
                    set(uf, ud, i, r(f, p + r(f, num / std)));
                }
            }
            case "adadelta" -> {
                double rh = r(f, rho), om = r(f, 1 - rho), epsW = r(f, eps), nlr = r(f, -lr);
                for (int i = off; i < end; i++) {
                    double g = get(uf, ud, i), p = get(pf, pd, i);
                    if (l2) g = fma(f, wd, p, g);
                    double sq = fma(f, r(f, om * g), g, r(f, rh * get(aF, aD, i)));
                    set(aF, aD, i, sq);
                    double std = sqrt(f, r(f, sq + epsW));
                    double acc = get(bF, bD, i);
                    double delta = sqrt(f, r(f, acc + epsW));
                    delta = r(f, r(f, delta / std) * g);
                    set(bF, bD, i, fma(f, r(f, om * delta), delta, r(f, rh * acc)));
                    set(uf, ud, i, fma(f, nlr, delta, p));
                }
            }
            default -> {                                                  // adam, adamw
                double bc1 = 1 - Math.pow(beta1, t), bc2s = Math.sqrt(1 - Math.pow(beta2, t));
                double stepSize = lr / bc1, shrink = r(f, 1 - lr * weightDecay);
                double w = r(f, 1 - beta1), omw = r(f, 1 - w), cb2 = r(f, 1 - beta2), b2 = r(f, beta2);
                double bc2W = r(f, bc2s), epsW = r(f, eps), ss = r(f, stepSize), nss = r(f, -stepSize);
                boolean lowW = Math.abs(1 - beta1) < 0.5, fu = fused();
                for (int i = off; i < end; i++) {
                    double g = get(uf, ud, i), p = get(pf, pd, i);
                    if (weightDecay > 0) {
                        if (decoupled) p = r(f, p * shrink);
                        else g = fu ? fma(f, p, wd, g) : fma(f, wd, p, g);
                    }
                    double m = get(aF, aD, i);
                    m = lowW ? fma(f, w, r(f, g - m), m) : fma(f, -omw, r(f, g - m), g);
                    set(aF, aD, i, m);
                    double v0 = get(bF, bD, i), v;
                    if (!fu || i < bodyEnd) v = fma(f, r(f, cb2 * g), g, r(f, fu ? v0 * b2 : b2 * v0));
                    else v = fma(f, v0, b2, r(f, r(f, cb2 * g) * g));
                    set(bF, bD, i, v);
                    if (amsgrad) {
                        v = Math.max(get(cF, cD, i), v);
                        set(cF, cD, i, v);
                    }
                    double denom = r(f, r(f, sqrt(f, v) / bc2W) + epsW);
                    p = fu ? r(f, p - r(f, r(f, ss * m) / denom)) : r(f, p + r(f, r(f, nss * m) / denom));
                    set(uf, ud, i, p);
                }
            }
        }
    }
}
