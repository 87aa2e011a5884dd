package org.rmsprop4j.transform;

import org.rmsprop4j.optim.Arithmetic;

/**
 * {@link PyTorchProfile}'s arithmetic written once for both precisions (every float32 operation
 * evaluated in double and rounded to float32 where PyTorch rounds), as the profile ran before its
 * loops moved to {@code kernel.ProfilePyTorchLoops}: the oracle {@code PyTorchFastPathTest} holds
 * those loops to, bit for bit.
 */
final class PyTorchReference {
    private final PyTorchProfile q;

    PyTorchReference(PyTorchProfile q) { this.q = q; }

    void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        run(true, u, null, p, null, s, null, slot0, off, len, off + len - len % 8, c);
    }

    void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        run(false, null, u, null, p, null, s, slot0, off, len, off + len - len % 4, c);
    }

    private static double r(boolean f, double x) { return f ? (double) (float) x : x; }

    private static double fma(boolean f, double a, double b, double c) {
        return f ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }

    private double sqrt(boolean f, double x) {
        if (q.arithmetic() == Arithmetic.PYTORCH_2_13) return f ? CpuMath.mklSqrt((float) x) : CpuMath.mklSqrt(x);
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
        int n = switch (q.family()) {                                       // slots().size(), without allocating
            case "sgd" -> q.momentum() > 0 ? 1 : 0;
            case "adagrad" -> 1;
            case "adadelta" -> 2;
            default -> q.amsgrad() ? 3 : 2;
        };
        if (n > 0) { if (f) aF = sf[slot0]; else aD = sd[slot0]; }
        if (n > 1) { if (f) bF = sf[slot0 + 1]; else bD = sd[slot0 + 1]; }
        if (n > 2) { if (f) cF = sf[slot0 + 2]; else cD = sd[slot0 + 2]; }
        double lr = c.learningRate();
        long t = c.step();
        double wd = r(f, q.weightDecay());
        boolean l2 = q.weightDecay() > 0 && !q.decoupled();
        int end = off + len;
        switch (q.family()) {
            case "sgd" -> {                                               // fused only
                double m = r(f, q.momentum()), cd = r(f, 1 - q.dampening()), nlr = r(f, -lr);
                for (int i = off; i < end; i++) {
                    double g = get(uf, ud, i), p = get(pf, pd, i);
                    if (l2) g = fma(f, p, wd, g);
                    if (q.momentum() > 0) {
                        double b;
                        if (t == 1) b = g;
                        else {
                            double b0 = get(aF, aD, i);
                            b = i < bodyEnd ? fma(f, g, cd, r(f, b0 * m)) : fma(f, b0, m, r(f, g * cd));
                        }
                        set(aF, aD, i, b);
                        g = q.nesterov() ? fma(f, b, m, g) : b;
                    }
                    set(uf, ud, i, fma(f, g, nlr, p));
                }
            }
            case "adagrad" -> {
                double epsW = r(f, q.eps());
                double step;
                if (q.arithmetic() == Arithmetic.PYTORCH_1_13_FOREACH) {           // float32 tensor arithmetic on `step`
                    float x = ((float) t - 1f) * (float) q.lrDecay();
                    step = r(f, (1f / (1f + x)) * (float) -lr);
                } else {
                    step = r(f, -(lr / (1 + (t - 1) * q.lrDecay())));
                }
                boolean foreach13 = q.arithmetic() == Arithmetic.PYTORCH_1_13_FOREACH;
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
                double rh = r(f, q.rho()), om = r(f, 1 - q.rho()), epsW = r(f, q.eps()), nlr = r(f, -lr);
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
                double bc1 = 1 - Math.pow(q.beta1(), t), bc2s = Math.sqrt(1 - Math.pow(q.beta2(), t));
                double stepSize = lr / bc1, shrink = r(f, 1 - lr * q.weightDecay());
                double w = r(f, 1 - q.beta1()), omw = r(f, 1 - w), cb2 = r(f, 1 - q.beta2()), b2 = r(f, q.beta2());
                double bc2W = r(f, bc2s), epsW = r(f, q.eps()), ss = r(f, stepSize), nss = r(f, -stepSize);
                boolean lowW = Math.abs(1 - q.beta1()) < 0.5, fu = q.arithmetic() == Arithmetic.PYTORCH_2_13_FUSED;
                for (int i = off; i < end; i++) {
                    double g = get(uf, ud, i), p = get(pf, pd, i);
                    if (q.weightDecay() > 0) {
                        if (q.decoupled()) p = r(f, p * shrink);
                        else g = fu ? fma(f, p, wd, g) : fma(f, wd, p, g);
                    }
                    double m = get(aF, aD, i);
                    m = lowW ? fma(f, w, r(f, g - m), m) : fma(f, -omw, r(f, g - m), g);
                    set(aF, aD, i, m);
                    double v0 = get(bF, bD, i), v;
                    if (!fu || i < bodyEnd) v = fma(f, r(f, cb2 * g), g, r(f, fu ? v0 * b2 : b2 * v0));
                    else v = fma(f, v0, b2, r(f, r(f, cb2 * g) * g));
                    set(bF, bD, i, v);
                    if (q.amsgrad()) {
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
