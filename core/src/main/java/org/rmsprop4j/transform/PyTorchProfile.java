package org.rmsprop4j.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.kernel.ProfilePyTorchLoops;
import org.rmsprop4j.kernel.ProfileVectorF32;
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
        fast(u, p, u, s, slot0, off, len, off + len - len % 8, c.learningRate(), c.step());
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        fast(u, p, u, s, slot0, off, len, off + len - len % 4, c.learningRate(), c.step());
    }

    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        for (int t = 0, n = c.tensorCount(); t < n; t++) update(u, p, s, slot0, c.tensorOffset(t), c.tensorLength(t), c);
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        for (int t = 0, n = c.tensorCount(); t < n; t++) update(u, p, s, slot0, c.tensorOffset(t), c.tensorLength(t), c);
    }

    /**
     * The whole step straight on the parameters (the fused path for a chain that is this profile alone): reads the
     * gradient from {@code g} (not modified), updates {@code p[off, off+len)} and the state slots {@code s[slot0…]}
     * in place. Bit for bit {@link #update(float[], float[], float[][], int, int, int, StepContext)} followed by
     * {@code p ← u}. {@code bodyEnd}: for {@code pytorch_2_13_fused}, where the vector body of the tensor holding
     * {@code [off, off+len)} ends ({@code tensorOffset + n − n mod 8}); ignored by the element-wise arithmetics.
     *
     * @param lr the group's learning rate of this step (schedule applied; AdaGrad's {@code lr_decay} is applied here)
     * @param t  the 1-based number of this step
     */
    public void step(float[] p, float[] g, float[][] s, int slot0, int off, int len, int bodyEnd, double lr, long t) {
        fast(g, p, p, s, slot0, off, len, bodyEnd, lr, t);
    }

    /** The float64 form of {@link #step(float[], float[], float[][], int, int, int, int, double, long)} ({@code bodyEnd}: {@code n − n mod 4}). */
    public void step(double[] p, double[] g, double[][] s, int slot0, int off, int len, int bodyEnd, double lr, long t) {
        fast(g, p, p, s, slot0, off, len, bodyEnd, lr, t);
    }

    // ---- per-step scalars, rounded to the element type where PyTorch rounds them; the loops are kernel.ProfilePyTorchLoops

    private double adagradStep(double lr, long t) {
        if (arithmetic == Arithmetic.PYTORCH_1_13_FOREACH) {              // float32 tensor arithmetic on `step`
            float x = ((float) t - 1f) * (float) lrDecay;
            return (1f / (1f + x)) * (float) -lr;
        }
        return -(lr / (1 + (t - 1) * lrDecay));
    }

    private void fast(float[] g, float[] p, float[] out, float[][] s, int slot0, int off, int len, int bodyEnd, double lr, long t) {
        float wd = (float) weightDecay;
        boolean l2 = weightDecay > 0 && !decoupled;
        if (RmsPropProfile.vector && arithmetic == Arithmetic.PYTORCH_2_13) {      // MKL's root: the Vector API loops for the default forms
            if (family.equals("adagrad") && weightDecay == 0) {
                RmsPropProfile.VectorLanes vl = RmsPropProfile.VectorLanes.LOCAL.get();
                ProfileVectorF32.adagrad213(RmsPropProfile.VectorLanes.EST, vl.idx, vl.tmp, g, p, out, s[slot0], off, len, (float) eps,
                        (float) adagradStep(lr, t));
                return;
            }
            if (family.equals("adam") && (weightDecay == 0 || decoupled) && !amsgrad && Math.abs(1 - beta1) < 0.5) {
                RmsPropProfile.VectorLanes vl = RmsPropProfile.VectorLanes.LOCAL.get();
                double bc1 = 1 - Math.pow(beta1, t), bc2s = Math.sqrt(1 - Math.pow(beta2, t)), stepSize = lr / bc1;
                ProfileVectorF32.adam213(RmsPropProfile.VectorLanes.EST, vl.idx, vl.tmp, g, p, out, s[slot0], s[slot0 + 1], off, len,
                        weightDecay > 0, (float) (1 - lr * weightDecay), (float) (1 - beta1), (float) (1 - beta2), (float) beta2, (float) bc2s,
                        (float) eps, (float) -stepSize);
                return;
            }
        }
        switch (family) {
            case "sgd" -> ProfilePyTorchLoops.sgd(g, p, out, momentum > 0 ? s[slot0] : null, off, len, bodyEnd, wd, l2, momentum > 0, t == 1,
                    (float) momentum, (float) (1 - dampening), nesterov, (float) -lr);
            case "adagrad" -> ProfilePyTorchLoops.adagrad(g, p, out, s[slot0], off, len, wd, l2, (float) eps, (float) adagradStep(lr, t),
                    arithmetic == Arithmetic.PYTORCH_1_13_FOREACH, arithmetic == Arithmetic.PYTORCH_2_13);
            case "adadelta" -> ProfilePyTorchLoops.adadelta(g, p, out, s[slot0], s[slot0 + 1], off, len, wd, l2, (float) rho, (float) (1 - rho),
                    (float) eps, (float) -lr);
            default -> {
                double bc1 = 1 - Math.pow(beta1, t), bc2s = Math.sqrt(1 - Math.pow(beta2, t)), stepSize = lr / bc1;
                float w = (float) (1 - beta1);
                ProfilePyTorchLoops.adam(g, p, out, s[slot0], s[slot0 + 1], amsgrad ? s[slot0 + 2] : null, off, len, bodyEnd, fused(), wd,
                        l2, weightDecay > 0 && decoupled, (float) (1 - lr * weightDecay), w, (float) (1 - w), Math.abs(1 - beta1) < 0.5,
                        (float) (1 - beta2), (float) beta2, (float) bc2s, (float) eps, (float) stepSize, (float) -stepSize);
            }
        }
    }

    private void fast(double[] g, double[] p, double[] out, double[][] s, int slot0, int off, int len, int bodyEnd, double lr, long t) {
        boolean l2 = weightDecay > 0 && !decoupled;
        switch (family) {
            case "sgd" -> ProfilePyTorchLoops.sgd(g, p, out, momentum > 0 ? s[slot0] : null, off, len, bodyEnd, weightDecay, l2, momentum > 0,
                    t == 1, momentum, 1 - dampening, nesterov, -lr);
            case "adagrad" -> ProfilePyTorchLoops.adagrad(g, p, out, s[slot0], off, len, weightDecay, l2, eps, adagradStep(lr, t),
                    arithmetic == Arithmetic.PYTORCH_1_13_FOREACH, arithmetic == Arithmetic.PYTORCH_2_13);
            case "adadelta" -> ProfilePyTorchLoops.adadelta(g, p, out, s[slot0], s[slot0 + 1], off, len, weightDecay, l2, rho, 1 - rho, eps, -lr);
            default -> {
                double bc1 = 1 - Math.pow(beta1, t), bc2s = Math.sqrt(1 - Math.pow(beta2, t)), stepSize = lr / bc1, w = 1 - beta1;
                ProfilePyTorchLoops.adam(g, p, out, s[slot0], s[slot0 + 1], amsgrad ? s[slot0 + 2] : null, off, len, bodyEnd, fused(), weightDecay,
                        l2, weightDecay > 0 && decoupled, 1 - lr * weightDecay, w, 1 - w, Math.abs(1 - beta1) < 0.5,
                        1 - beta2, beta2, bc2s, eps, stepSize, -stepSize);
            }
        }
    }
}
