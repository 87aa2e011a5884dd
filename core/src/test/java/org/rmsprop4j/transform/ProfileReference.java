package org.rmsprop4j.transform;

import org.rmsprop4j.optim.Arithmetic;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.WeightDecayStyle;

/**
 * The member-by-member arithmetic of each framework profile, as {@link RmsPropProfile} ran it before
 * its fused loops ({@code kernel.ProfileLoops*}): values held in doubles and rounded to float32 after
 * every operation in float32 profiles. Kept only as the fused loops' oracle ({@link ProfileFastPathTest}),
 * so it lives with the tests, not in the library.
 */
final class ProfileReference {
    private final Arithmetic arithmetic;
    private final double decay, eps, initialMeanSquare, momentum, weightDecay;
    private final EpsPlacement epsPlacement;
    private final boolean centered, nesterov, biasCorrection;
    private final MomentumStyle momentumStyle;
    private final WeightDecayStyle weightDecayStyle;

    ProfileReference(RmsPropProfile p) {
        arithmetic = p.arithmetic();
        decay = p.decay();
        eps = p.eps();
        epsPlacement = p.epsPlacement();
        initialMeanSquare = p.initialMeanSquare();
        centered = p.centered();
        momentum = p.momentum();
        momentumStyle = p.momentumStyle();
        nesterov = p.nesterov();
        weightDecay = p.weightDecay();
        weightDecayStyle = p.weightDecayStyle();
        biasCorrection = p.biasCorrection();
    }

    private boolean keepsMomentum() { return momentum > 0 || arithmetic == Arithmetic.TF1 || arithmetic == Arithmetic.TFJS; }

    void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, int packetEnd, StepContext c) {
        run(true, u, null, p, null, s, null, slot0, off, len, packetEnd, c);
    }

    void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        run(false, null, u, null, p, null, s, slot0, off, len, off, c);
    }

    // ---- arithmetic in the working precision: values are doubles holding floats when f32

    private static double r(boolean f, double x) { return f ? (double) (float) x : x; }

    private static double fma(boolean f, double a, double b, double c) {
        return f ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }

    private static double ieeeSqrt(boolean f, double x) { return r(f, Math.sqrt(x)); }

    private static double mklSqrt(boolean f, double x) { return f ? CpuMath.mklSqrt((float) x) : CpuMath.mklSqrt(x); }

    private static double xlaRsqrt(boolean f, double x) { return f ? CpuMath.xlaRsqrt((float) x) : 1.0 / Math.sqrt(x); }

    private static double get(float[] af, double[] ad, int i) { return af != null ? af[i] : ad[i]; }

    private static void set(float[] af, double[] ad, int i, double v) {
        if (af != null) af[i] = (float) v;
        else ad[i] = v;
    }

    /** One method per framework: small compilation units, so the JIT inlines each one's helpers. */
    private void run(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        switch (arithmetic) {
            case PYTORCH_2_13 -> stepPytorch213(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            case TIMM_TF -> stepTimmTf(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            case KERAS_3, KERAS_3_GRAPH -> stepKeras3(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            case KERAS_3_XLA -> stepKeras3Xla(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            case TF1 -> stepTf1(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            case TFJS -> stepTfjs(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            case OPTAX -> stepOptax(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            case ND4J -> stepNd4j(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            case TRIBUO -> stepTribuo(f, uf, ud, pf, pd, sf, sd, slot0, off, len, packetEnd, c);
            default -> throw new IllegalStateException("arithmetic " + arithmetic);
        }
    }

    private void stepPytorch213(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        double nlr = r(f, -lr);
        double w = omr, omw = r(f, 1 - w);
        boolean lowW = Math.abs(1 - decay) < 0.5;
        for (int i = off; i < end; i++) {
            double g = get(uf, ud, i), p = get(pf, pd, i);
            if (l2) g = fma(f, wd, p, g);
            double v = fma(f, r(f, omr * g), g, r(f, rho * get(vF, vD, i)));
            set(vF, vD, i, v);
            double avg;
            if (centered) {
                double ga = get(gaF, gaD, i);
                ga = lowW ? fma(f, w, r(f, g - ga), ga) : fma(f, -omw, r(f, g - ga), g);
                set(gaF, gaD, i, ga);
                avg = mklSqrt(f, fma(f, -ga, ga, v));
            } else {
                avg = mklSqrt(f, v);
            }
            double d = r(f, avg + epsW);
            if (momentum > 0) {
                double b = r(f, r(f, m * get(bF, bD, i)) + r(f, g / d));
                set(bF, bD, i, b);
                p = fma(f, nlr, b, p);
            } else {
                p = r(f, p + r(f, r(f, nlr * g) / d));
            }
            set(uf, ud, i, p);
        }
    }

    private void stepTimmTf(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        double lrW = r(f, lr), nlr = r(f, -lr), shrink = r(f, 1 - lr * weightDecay);
        boolean lrIn = momentumStyle == MomentumStyle.LR_INSIDE;
        for (int i = off; i < end; i++) {
            double g = get(uf, ud, i), p = get(pf, pd, i);
            if (dec) p = r(f, p * shrink);
            else if (l2) g = fma(f, wd, p, g);
            double sq = get(vF, vD, i);
            sq = fma(f, omr, r(f, r(f, g * g) - sq), sq);
            set(vF, vD, i, sq);
            double avg;
            if (centered) {
                double ga = get(gaF, gaD, i);
                ga = fma(f, omr, r(f, g - ga), ga);
                set(gaF, gaD, i, ga);
                avg = mklSqrt(f, r(f, fma(f, -ga, ga, sq) + epsW));
            } else {
                avg = mklSqrt(f, r(f, sq + epsW));
            }
            if (momentum > 0) {
                double b = r(f, m * get(bF, bD, i));
                if (lrIn) {
                    b = r(f, b + r(f, r(f, lrW * g) / avg));
                    p = r(f, p - b);
                } else {
                    b = r(f, b + r(f, g / avg));
                    p = fma(f, nlr, b, p);
                }
                set(bF, bD, i, b);
            } else {
                p = r(f, p + r(f, r(f, nlr * g) / avg));
            }
            set(uf, ud, i, p);
        }
    }

    private void stepKeras3(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        boolean graph = arithmetic == Arithmetic.KERAS_3_GRAPH;
        double lrv = r(f, (float) lr);                 // a float32 variable, cast to the dtype
        for (int i = off; i < end; i++) {
            double g = get(uf, ud, i), p = get(pf, pd, i);
            if (dec) p = r(f, p - r(f, r(f, p * wd) * lrv));
            double v = r(f, r(f, rho * get(vF, vD, i)) + r(f, omr * r(f, g * g)));
            set(vF, vD, i, v);
            double den;
            if (centered) {
                double ag = r(f, r(f, rho * get(gaF, gaD, i)) + r(f, omr * g));
                set(gaF, gaD, i, ag);
                den = graph ? r(f, r(f, epsW - r(f, ag * ag)) + v) : r(f, r(f, v - r(f, ag * ag)) + epsW);
            } else {
                den = r(f, v + epsW);
            }
            double inc;
            if (!graph) {
                inc = r(f, r(f, lrv * g) / ieeeSqrt(f, den));
            } else {
                double rs = !f ? 1.0 / Math.sqrt(den)
                        : i < packetEnd ? CpuMath.eigenRsqrtPacket((float) den) : 1f / (float) Math.sqrt((float) den);
                inc = r(f, r(f, g * lrv) * rs);
            }
            if (momentum > 0) {
                double b = r(f, r(f, m * get(bF, bD, i)) + inc);
                set(bF, bD, i, b);
                p = r(f, p - b);
            } else {
                p = r(f, p - inc);
            }
            set(uf, ud, i, p);
        }
    }

    private void stepKeras3Xla(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        double lrv = r(f, (float) lr);
        double wdlr = r(f, wd * lrv);
        for (int i = off; i < end; i++) {
            double g = get(uf, ud, i), p = get(pf, pd, i);
            if (dec) p = fma(f, -p, wdlr, p);
            double v = fma(f, rho, get(vF, vD, i), r(f, omr * r(f, g * g)));
            set(vF, vD, i, v);
            double den;
            if (centered) {
                double ag = fma(f, rho, get(gaF, gaD, i), r(f, omr * g));
                set(gaF, gaD, i, ag);
                den = r(f, fma(f, -ag, ag, v) + epsW);
            } else {
                den = r(f, v + epsW);
            }
            double lg = r(f, lrv * g), rs = xlaRsqrt(f, den);
            if (momentum > 0) {
                double b = fma(f, m, get(bF, bD, i), r(f, lg * rs));
                set(bF, bD, i, b);
                p = r(f, p - b);
            } else {
                p = fma(f, -lg, rs, p);
            }
            set(uf, ud, i, p);
        }
    }

    private void stepTf1(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        double rho32 = r(f, (float) decay), eps32 = r(f, (float) eps), m32 = r(f, (float) momentum), lr32 = r(f, (float) lr);
        double om = r(f, 1 - rho32);
        for (int i = off; i < end; i++) {
            double g = get(uf, ud, i), p = get(pf, pd, i);
            double ms = get(vF, vD, i);
            ms = r(f, ms + r(f, r(f, r(f, g * g) - ms) * om));
            set(vF, vD, i, ms);
            double den;
            if (centered) {
                double mg = get(gaF, gaD, i);
                mg = r(f, mg + r(f, r(f, g - mg) * om));
                set(gaF, gaD, i, mg);
                den = r(f, r(f, ms - r(f, mg * mg)) + eps32);
            } else {
                den = r(f, ms + eps32);
            }
            double b = r(f, r(f, get(bF, bD, i) * m32) + r(f, r(f, g * lr32) / ieeeSqrt(f, den)));
            set(bF, bD, i, b);
            set(uf, ud, i, r(f, p - b));
        }
    }

    private void stepTfjs(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        double lrv = r(f, lr);
        for (int i = off; i < end; i++) {
            double g = get(uf, ud, i), p = get(pf, pd, i);
            double ms = r(f, r(f, get(vF, vD, i) * rho) + r(f, r(f, g * g) * omr));
            set(vF, vD, i, ms);
            double den;
            if (centered) {
                double mg = r(f, r(f, get(gaF, gaD, i) * rho) + r(f, g * omr));
                set(gaF, gaD, i, mg);
                den = r(f, ms - r(f, r(f, mg * mg) + epsW));   // TF.js subtracts ε
            } else {
                den = r(f, ms + epsW);
            }
            double b = r(f, r(f, get(bF, bD, i) * m) + r(f, r(f, g * lrv) / ieeeSqrt(f, den)));
            set(bF, bD, i, b);
            set(uf, ud, i, r(f, p - b));
        }
    }

    private void stepOptax(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        double lrv = r(f, lr), nlr = -lrv;
        double bc = biasCorrection ? r(f, 1 - r(f, Math.pow(rho, r(f, c.step())))) : 1;
        boolean inside = epsPlacement == EpsPlacement.INSIDE;
        for (int i = off; i < end; i++) {
            double g = get(uf, ud, i), p = get(pf, pd, i);
            double nu = fma(f, omr, r(f, g * g), r(f, rho * get(vF, vD, i)));
            set(vF, vD, i, nu);
            double var = nu;
            if (biasCorrection) var = r(f, nu / bc);
            if (centered) {
                double mu = fma(f, omr, g, r(f, rho * get(gaF, gaD, i)));
                set(gaF, gaD, i, mu);
                if (biasCorrection) mu = r(f, mu / bc);
                var = fma(f, -mu, mu, var);
            }
            double rs = inside ? xlaRsqrt(f, r(f, var + epsW)) : r(f, 1 / r(f, ieeeSqrt(f, var) + epsW));
            double upd = r(f, rs * g);
            if (momentum > 0) {
                upd = r(f, nlr * upd);
                double tr = fma(f, m, -get(bF, bD, i), upd);          // Optax's trace; stored negated
                set(bF, bD, i, -tr);
                upd = nesterov ? fma(f, m, tr, upd) : tr;
                p = r(f, p + upd);
            } else {
                p = fma(f, nlr, upd, p);
            }
            set(uf, ud, i, p);
        }
    }

    private void stepNd4j(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        double lrv = r(f, lr);
        double om = r(f, 1 - rho);
        for (int i = off; i < end; i++) {
            double g = get(uf, ud, i), p = get(pf, pd, i);
            double st = r(f, r(f, get(vF, vD, i) * rho) + r(f, r(f, g * g) * om));
            set(vF, vD, i, st);
            double upd = r(f, r(f, lrv * g) / r(f, ieeeSqrt(f, st) + epsW));
            set(uf, ud, i, r(f, p - upd));
        }
    }

    private void stepTribuo(boolean f, float[] uf, double[] ud, float[] pf, double[] pd, float[][] sf, double[][] sd,
                     int slot0, int off, int len, int packetEnd, StepContext c) {
        int k = slot0;
        float[] vF = f ? sf[k] : null;
        double[] vD = f ? null : sd[k];
        k++;
        float[] gaF = null, bF = null, elF = null, muF = null;
        double[] gaD = null, bD = null, elD = null, muD = null;
        if (centered) { if (f) gaF = sf[k]; else gaD = sd[k]; k++; }
        if (keepsMomentum()) { if (f) bF = sf[k]; else bD = sd[k]; k++; }
        if (arithmetic == Arithmetic.TRIBUO) {
            if (f) { elF = sf[k]; muF = sf[k + 1]; } else { elD = sd[k]; muD = sd[k + 1]; }
        }
        double lr = c.learningRate();
        double rho = r(f, decay), omr = r(f, 1 - decay), epsW = r(f, eps), m = r(f, momentum), wd = r(f, weightDecay);
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        int end = off + len;

        double inv = 1.0 - decay, keep = 1.0 - inv;
        for (int i = off; i < end; i++) {
            double ng = -get(uf, ud, i), p = get(pf, pd, i);
            double mult = r(f, get(muF, muD, i) * keep), el = get(elF, elD, i);
            if (Math.abs(mult) < 1e-6) {
                el = r(f, el * mult);
                mult = 1.0;
            }
            double nw = r(f, r(f, el * mult) + r(f, r(f, inv * ng) * ng));
            el = r(f, nw / mult);
            double v = r(f, el * mult);
            set(elF, elD, i, el);
            set(muF, muD, i, mult);
            set(vF, vD, i, v);
            double scale = r(f, r(f, 1.0 * lr) / r(f, eps + ieeeSqrt(f, v)));
            set(uf, ud, i, r(f, p + r(f, ng * scale)));
        }
    }
}
