package org.rmsprop4j.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rmsprop4j.internal.Checks;
import org.rmsprop4j.kernel.ProfileBlocksF32;
import org.rmsprop4j.kernel.ProfileLoops;
import org.rmsprop4j.kernel.ProfileLoopsF32;
import org.rmsprop4j.kernel.ProfileVectorF32;
import org.rmsprop4j.kernel.ProfileVectorF64;
import org.rmsprop4j.kernel.ProfileVectorTribuo;
import org.rmsprop4j.optim.Arithmetic;
import org.rmsprop4j.optim.EpsPlacement;
import org.rmsprop4j.optim.MomentumStyle;
import org.rmsprop4j.optim.WeightDecayStyle;

/**
 * A whole RMSprop step in one framework's arithmetic: its operations, in its order, each rounded
 * where the framework rounds it, with its fused multiply-adds, its square root and its state
 * layout ({@link Arithmetic}; {@code docs/arithmetic.md} lists every profile's per-element
 * operations and the recorded runs they replay at 0 ULP). It reads the gradient from {@code u} and
 * the parameter from {@code p} and leaves the <em>new parameter</em> in {@code u}
 * ({@link #producesParameters()}): several frameworks fold the parameter into a last fused
 * multiply-add, which {@code θ − u} cannot express. So it must be the last member of a chain.
 *
 * <p>Per-step scalars: the learning rate is {@link StepContext#learningRate()} (schedule applied),
 * narrowed as the framework narrows it (Keras and TF1 through float32). Gradient scaling, maximize
 * and value clipping are separate members before it ({@link Scale}, {@link ClipByValue}).
 *
 * <p>Profiles built on the CPU's {@code rsqrtps} estimate ({@code PYTORCH_2_13}, {@code TIMM_TF}:
 * MKL's {@code sqrt}; {@code KERAS_3_GRAPH}, {@code KERAS_3_XLA}, {@code OPTAX} in float32: Eigen's
 * and XLA's reciprocal roots) reproduce the framework <b>as run on AMD Zen 4</b> ({@link CpuMath});
 * XLA's float64 {@code rsqrt} (a 14-bit AVX-512 estimate) is not tabulated, so {@code OPTAX} and
 * {@code KERAS_3_XLA} take {@code 1/√x} (two IEEE operations) in float64, within a few ULP of XLA.
 * {@code KERAS_3_GRAPH}'s reciprocal root depends on the element's position in its tensor (8-float
 * packets, then a scalar tail), so that profile works tensor by tensor ({@link #elementwise()} false).
 *
 * <p>Slots: {@code square_avg}; {@code grad_avg} when centered; {@code momentum_buffer} when
 * momentum is above 0, and always for TF1 and TF.js (their kernels keep it); Tribuo adds
 * {@code elements} and {@code multiplier} (its scaled storage; {@code square_avg} holds their
 * product, what Tribuo reports). Optax's trace is stored negated (in the gradient's direction, as
 * every other framework stores its buffer).
 */
public record RmsPropProfile(Arithmetic arithmetic, double decay, double eps, EpsPlacement epsPlacement,
                             double initialMeanSquare, boolean centered, double momentum, MomentumStyle momentumStyle,
                             boolean nesterov, double weightDecay, WeightDecayStyle weightDecayStyle, boolean biasCorrection)
        implements GradientTransform {

    public static final String SQUARE_AVG = "square_avg";
    public static final String GRAD_AVG = "grad_avg";
    public static final String MOMENTUM_BUFFER = "momentum_buffer";
    public static final String ELEMENTS = "elements";
    public static final String MULTIPLIER = "multiplier";

    public RmsPropProfile {
        Checks.notNull("arithmetic", arithmetic);
        if (arithmetic == Arithmetic.PYTORCH_1_13 || arithmetic == Arithmetic.PYTORCH_1_13_FOREACH || arithmetic == Arithmetic.PYTORCH_2_13_FUSED) {
            throw Checks.invalid("arithmetic of RMSprop", arithmetic.id(), "a profile of RMSprop (PyTorch 1.13's order, for-loop and foreach, is the"
                    + " fused kernels' own: use RmsPropConfig's chain; PyTorch has no fused RMSprop)");
        }
        ScaleByRms.checkCommon(decay, eps, epsPlacement, initialMeanSquare, biasCorrection);
        Checks.nonNegative("momentum", momentum);
        Checks.notNull("momentumStyle", momentumStyle);
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.notNull("weightDecayStyle", weightDecayStyle);
        check(arithmetic, epsPlacement, centered, momentum, momentumStyle, nesterov, weightDecay, weightDecayStyle, biasCorrection);
    }

    /** Refuses a knob the framework does not have (it would be silently ignored otherwise). */
    private static void check(Arithmetic a, EpsPlacement eps, boolean centered, double momentum, MomentumStyle style,
                              boolean nesterov, double wd, WeightDecayStyle wdStyle, boolean bc) {
        String who = "with arithmetic " + a.id();
        EpsPlacement want = switch (a) {
            case PYTORCH_2_13, ND4J, TRIBUO -> EpsPlacement.OUTSIDE;
            case OPTAX -> null;
            default -> EpsPlacement.INSIDE;
        };
        if (want != null && eps != want) throw Checks.invalid("epsPlacement " + who, eps, want + " (the framework's only placement)");
        if (centered && (a == Arithmetic.ND4J || a == Arithmetic.TRIBUO)) throw Checks.invalid("centered " + who, true, "false (the framework has no centered form)");
        if (momentum > 0 && (a == Arithmetic.ND4J || a == Arithmetic.TRIBUO)) throw Checks.invalid("momentum " + who, momentum, "0 (the framework has no momentum)");
        if (momentum > 0) {
            MomentumStyle ws = switch (a) {
                case PYTORCH_2_13 -> MomentumStyle.LR_OUTSIDE;
                case TIMM_TF -> null;
                default -> MomentumStyle.LR_INSIDE;
            };
            if (ws != null && style != ws) throw Checks.invalid("momentumStyle " + who, style, ws + " (the framework's only style)");
        }
        if (nesterov && a != Arithmetic.OPTAX) throw Checks.invalid("nesterov " + who, true, "false (only optax has Nesterov RMSprop)");
        if (bc && a != Arithmetic.OPTAX) throw Checks.invalid("biasCorrection " + who, true, "false (only optax has bias correction)");
        if (wd > 0) {
            boolean ok = switch (a) {
                case PYTORCH_2_13 -> wdStyle == WeightDecayStyle.L2;
                case KERAS_3, KERAS_3_GRAPH, KERAS_3_XLA -> wdStyle == WeightDecayStyle.DECOUPLED;
                case TIMM_TF -> true;
                default -> false;
            };
            if (!ok) throw Checks.invalid("weightDecay " + who + " and style " + wdStyle, wd,
                    "0, or the framework's own style (pytorch_2_13: L2; keras_3*: DECOUPLED; timm_tf: either; others: none)");
        }
    }

    /**
     * The float32 {@code rsqrtps} profiles' plain forms and some momentum and centered forms run {@link ProfileVectorF32}
     * (one pass, no scratch) instead of the block or scalar loops, and in float64 PyTorch 2.13's and timm's plain forms
     * run {@link ProfileVectorF64} (only with {@link #mklVector}) and Tribuo {@link ProfileVectorTribuo}: {@link ProfileBlocksF32#vectorEnabled()} when
     * this class loads. Not final, so that tests run both paths in one JVM.
     */
    static boolean vector = ProfileBlocksF32.vectorEnabled();

    /**
     * System property that turns on {@link ProfileVectorF64} for the float64 MKL roots of {@code pytorch_2_13} and
     * {@code timm_tf} ({@code -Drmsprop4j.profiles.mklVector=true}, with the Vector API module). Off by default: it is
     * about 20% faster than the scalar loop when it compiles well, but in a JVM that has run many other vector and
     * profile loops first, C2 sometimes compiled it with its vectors boxed (16 bytes allocated per element and step,
     * and no faster: 2 of 8 runs of one mixed program, docs/speed-history.md, "Tribuo, float64 MKL roots, momentum and centered forms").
     * Not final, so that tests run both paths in one JVM.
     */
    static boolean mklVector = Boolean.getBoolean("rmsprop4j.profiles.mklVector");

    /** {@link ProfileVectorF32}'s gather table, and per thread its two scratch arrays of 8 (allocated once per thread, never per step). */
    static final class VectorLanes {
        static final int[] EST = new int[8192];
        /** {@link ProfileVectorF64}'s table: the estimate itself, as doubles. */
        static final double[] EST64 = new double[8192];
        static {
            ProfileVectorF32.estimateTable(EST);
            ProfileVectorF64.estimateTable(EST64);
        }
        static final ThreadLocal<VectorLanes> LOCAL = ThreadLocal.withInitial(VectorLanes::new);
        final int[] idx = new int[ProfileVectorF32.LANES];
        final float[] tmp = new float[ProfileVectorF32.LANES];
        final long[] idx64 = new long[ProfileVectorF64.LANES];
        final double[] tmp64 = new double[ProfileVectorF64.LANES];
    }

    private boolean keepsMomentum() { return momentum > 0 || arithmetic == Arithmetic.TF1 || arithmetic == Arithmetic.TFJS; }

    @Override public String type() { return "rmsprop_profile"; }

    @Override public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arithmetic", arithmetic);
        m.put("decay", decay);
        m.put("eps", eps);
        m.put("epsPlacement", epsPlacement);
        m.put("initialMeanSquare", initialMeanSquare);
        m.put("centered", centered);
        m.put("momentum", momentum);
        m.put("momentumStyle", momentumStyle);
        m.put("nesterov", nesterov);
        m.put("weightDecay", weightDecay);
        m.put("weightDecayStyle", weightDecayStyle);
        m.put("biasCorrection", biasCorrection);
        return m;
    }

    @Override public List<String> slots() {
        List<String> s = new ArrayList<>();
        s.add(SQUARE_AVG);
        if (centered) s.add(GRAD_AVG);
        if (keepsMomentum()) s.add(MOMENTUM_BUFFER);
        if (arithmetic == Arithmetic.TRIBUO) {
            s.add(ELEMENTS);
            s.add(MULTIPLIER);
        }
        return List.copyOf(s);
    }

    @Override public double initialValue(String slot) {
        if (SQUARE_AVG.equals(slot) || ELEMENTS.equals(slot)) return initialMeanSquare;
        if (MULTIPLIER.equals(slot)) return 1.0;
        return 0.0;
    }

    @Override public boolean nonNegative(String slot) { return SQUARE_AVG.equals(slot) || ELEMENTS.equals(slot); }

    @Override public boolean elementwise() { return arithmetic != Arithmetic.KERAS_3_GRAPH; }

    @Override public boolean producesParameters() { return true; }

    @Override public void update(float[] u, float[] p, float[][] s, int slot0, int off, int len, StepContext c) {
        fast(u, p, u, s, slot0, off, len, off + len - len % 8, c.learningRate(), c.step(), null);
    }

    @Override public void update(double[] u, double[] p, double[][] s, int slot0, int off, int len, StepContext c) {
        fast(u, p, u, s, slot0, off, len, c.learningRate(), c.step());
    }

    /** Keras graph: Eigen's packets are per tensor, so the tensors are handed over one by one. */
    @Override public void updateGroup(float[] u, float[] p, float[][] s, int slot0, StepContext c) {
        for (int t = 0, n = c.tensorCount(); t < n; t++) {
            int off = c.tensorOffset(t), len = c.tensorLength(t);
            fast(u, p, u, s, slot0, off, len, off + len - len % 8, c.learningRate(), c.step(), null);
        }
    }

    @Override public void updateGroup(double[] u, double[] p, double[][] s, int slot0, StepContext c) {
        for (int t = 0, n = c.tensorCount(); t < n; t++) fast(u, p, u, s, slot0, c.tensorOffset(t), c.tensorLength(t), c.learningRate(), c.step());
    }

    /**
     * The whole step straight on the parameters, without an update buffer (the optimizer's fused
     * path for a chain that is this profile alone): reads the gradient from {@code g}, updates
     * {@code p[off, off+len)} and the state slots {@code s[slot0…]} in place; {@code g} is not
     * modified. Bit for bit the same as {@link #update(float[], float[], float[][], int, int, int, StepContext)}
     * followed by {@code p ← u}. Only for an {@linkplain #elementwise() element-wise} profile.
     *
     * @param lr      the learning rate of this step (schedule applied)
     * @param t       the 1-based number of this step
     * @param scratch null, or an array at least {@code off + len} long that this call may overwrite in
     *                {@code [off, off+len)}: with it the float32 profiles built on {@code rsqrtps}
     *                ({@code pytorch_2_13}, {@code timm_tf}, {@code keras_3_xla}, {@code keras_3_graph},
     *                {@code optax}) run their plain form in blocks whose only scalar loop is the table
     *                lookup (about 1.5× faster); without it, one scalar loop. Calls on disjoint
     *                ranges may share it ({@link #usesScratch()} says whether it is used: not when
     *                the Vector API loops run, which need none).
     */
    public void step(float[] p, float[] g, float[][] s, int slot0, int off, int len, double lr, long t, float[] scratch) {
        if (!elementwise()) throw new IllegalStateException("arithmetic " + arithmetic.id() + " works tensor by tensor: use stepInTensor");
        stepInTensor(p, g, s, slot0, off, len, off + len - len % 8, lr, t, scratch);
    }

    /**
     * {@link #step(float[], float[], float[][], int, int, int, double, long, float[])} over a range
     * that lies inside one tensor, for the profiles whose float32 arithmetic depends on the position
     * in the tensor ({@code keras_3_graph}: Eigen's 8-float packets, then a scalar tail).
     *
     * @param packetEnd the end of the tensor's whole packets, {@code tensorOffset + n − n mod 8} for a
     *                  tensor of n elements (it may lie outside {@code [off, off+len]}); ignored by
     *                  the element-wise profiles
     */
    public void stepInTensor(float[] p, float[] g, float[][] s, int slot0, int off, int len, int packetEnd, double lr, long t, float[] scratch) {
        if (scratch != null && scratch.length < off + len) throw Checks.invalid("scratch length", scratch.length, ">= off + len = " + (off + len));
        fast(g, p, p, s, slot0, off, len, packetEnd, lr, t, scratch);
    }

    /** The float32 root is built on the {@code rsqrtps} table (Keras 3 eager and Optax with ε outside are IEEE). */
    private boolean usesTable() {
        return switch (arithmetic) {
            case PYTORCH_2_13, TIMM_TF, KERAS_3_GRAPH, KERAS_3_XLA -> true;
            case OPTAX -> epsPlacement == EpsPlacement.INSIDE;
            default -> false;
        };
    }

    /** True if {@link #step(float[], float[], float[][], int, int, int, double, long, float[])} in float32 makes use of a scratch array. */
    public boolean usesScratch() {
        if (vector) return false;
        boolean plain = !centered && momentum == 0;
        return switch (arithmetic) {
            case PYTORCH_2_13, TIMM_TF, KERAS_3_XLA, KERAS_3_GRAPH -> plain && weightDecay == 0;
            case OPTAX -> plain && !biasCorrection && epsPlacement == EpsPlacement.INSIDE;
            default -> false;
        };
    }

    /** The float64 form of {@link #step(float[], float[], float[][], int, int, int, double, long, float[])} (no scratch: no float64 loop uses one). */
    public void step(double[] p, double[] g, double[][] s, int slot0, int off, int len, double lr, long t) {
        fast(g, p, p, s, slot0, off, len, lr, t);                // float64: every profile is element-wise
    }

    // ---- the fused loops (kernel.ProfileLoops*): per-step scalars computed here exactly as the reference below computes them

    private void fast(float[] g, float[] p, float[] out, float[][] s, int slot0, int off, int len, int packetEnd, double lr, long t, float[] y) {
        int k = slot0;
        float[] v = s[k++];
        float[] ga = centered ? s[k++] : null;
        float[] b = keepsMomentum() ? s[k++] : null;
        float rho = (float) decay, omr = (float) (1 - decay), epsW = (float) eps, m = (float) momentum, wd = (float) weightDecay;
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        boolean mom = momentum > 0;
        VectorLanes vl = vector && usesTable() ? VectorLanes.LOCAL.get() : null;
        switch (arithmetic) {
            case PYTORCH_2_13 -> {
                boolean lowW = Math.abs(1 - decay) < 0.5;
                if (vector && !centered && !mom && !l2) {
                    ProfileVectorF32.pytorch213(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, off, len, rho, omr, epsW, (float) -lr);
                } else if (vector && !centered && !l2) {
                    ProfileVectorF32.pytorch213Momentum(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, b, off, len, rho, omr, epsW, m, (float) -lr);
                } else if (vector && lowW && !mom && !l2) {
                    ProfileVectorF32.pytorch213Centered(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, ga, off, len, rho, omr, epsW, omr, (float) -lr);
                } else if (vector && lowW && !l2) {
                    ProfileVectorF32.pytorch213CenteredMomentum(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, ga, b, off, len, rho, omr, epsW, omr, m,
                            (float) -lr);
                } else if (y != null && !centered && !mom && !l2) {
                    ProfileBlocksF32.pytorch213(CpuMath.table(), y, g, p, out, v, off, len, rho, omr, epsW, (float) -lr);
                } else {
                    ProfileLoopsF32.pytorch213(g, p, out, v, ga, b, off, len, rho, omr, epsW, m, wd, l2, (float) -lr,
                            omr, (float) (1 - omr), lowW, centered, mom);
                }
            }
            case TIMM_TF -> {
                if (vector && !centered && !mom && !l2 && !dec) {
                    ProfileVectorF32.timmTf(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, off, len, omr, epsW, (float) -lr);
                } else if (vector && !centered && !l2 && !dec && momentumStyle == MomentumStyle.LR_INSIDE) {
                    ProfileVectorF32.timmTfMomentum(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, b, off, len, omr, epsW, m, (float) lr);
                } else if (vector && !centered && !l2 && !dec) {
                    ProfileVectorF32.timmTfMomentumLrOutside(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, b, off, len, omr, epsW, m, (float) -lr);
                } else if (y != null && !centered && !mom && !l2 && !dec) {
                    ProfileBlocksF32.timmTf(CpuMath.table(), y, g, p, out, v, off, len, omr, epsW, (float) -lr);
                } else {
                    ProfileLoopsF32.timmTf(g, p, out, v, ga, b, off, len, omr, epsW, m, wd, l2, dec, (float) (1 - lr * weightDecay),
                            (float) lr, (float) -lr, momentumStyle == MomentumStyle.LR_INSIDE, centered, mom);
                }
            }
            case KERAS_3, KERAS_3_GRAPH -> {
                float lrv = (float) lr;
                boolean plain = !centered && !mom && !dec;
                if (arithmetic == Arithmetic.KERAS_3 && plain) {
                    ProfileLoopsF32.keras3Plain(g, p, out, v, off, len, rho, omr, epsW, lrv);
                } else if (arithmetic == Arithmetic.KERAS_3 && !centered && !dec) {
                    ProfileLoopsF32.keras3Momentum(g, p, out, v, b, off, len, rho, omr, epsW, lrv, m);
                } else if (arithmetic == Arithmetic.KERAS_3 && !dec && !mom) {
                    ProfileLoopsF32.keras3Centered(g, p, out, v, ga, off, len, rho, omr, epsW, lrv);
                } else if (arithmetic == Arithmetic.KERAS_3 && !dec) {
                    ProfileLoopsF32.keras3CenteredMomentum(g, p, out, v, ga, b, off, len, rho, omr, epsW, lrv, m);
                } else if (vector && plain) {                     // graph: Eigen's packets on the Vector API, then the tensor's scalar tail
                    int end = off + len, pe = Math.max(off, Math.min(packetEnd, end));
                    ProfileVectorF32.keras3Graph(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, off, pe - off, rho, omr, epsW, lrv);
                    ProfileLoopsF32.keras3(g, p, out, v, ga, b, pe, end - pe, rho, omr, epsW, lrv, m, wd, dec, true, false, false, packetEnd);
                } else if (y != null && plain) {                  // graph: Eigen's packets in blocks, then the tensor's scalar tail
                    int end = off + len, pe = Math.max(off, Math.min(packetEnd, end));
                    ProfileBlocksF32.keras3Graph(CpuMath.table(), y, g, p, out, v, off, pe - off, rho, omr, epsW, lrv);
                    ProfileLoopsF32.keras3(g, p, out, v, ga, b, pe, end - pe, rho, omr, epsW, lrv, m, wd, dec, true, false, false, packetEnd);
                } else {
                    ProfileLoopsF32.keras3(g, p, out, v, ga, b, off, len, rho, omr, epsW, lrv, m, wd, dec,
                            arithmetic == Arithmetic.KERAS_3_GRAPH, centered, mom, packetEnd);
                }
            }
            case KERAS_3_XLA -> {
                float lrv = (float) lr;
                if (vector && !centered && !mom && !dec) {
                    ProfileVectorF32.keras3Xla(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, off, len, rho, omr, epsW, lrv);
                } else if (vector && !centered && !dec) {
                    ProfileVectorF32.keras3XlaMomentum(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, b, off, len, rho, omr, epsW, lrv, m);
                } else if (y != null && !centered && !mom && !dec) {
                    ProfileBlocksF32.keras3Xla(CpuMath.table(), y, g, p, out, v, off, len, rho, omr, epsW, lrv);
                } else {
                    ProfileLoopsF32.keras3Xla(g, p, out, v, ga, b, off, len, rho, omr, epsW, lrv, m, wd * lrv, dec, centered, mom);
                }
            }
            case TF1 -> {
                float om = 1 - (float) decay;
                if (centered) ProfileLoopsF32.tf1Centered(g, p, out, v, ga, b, off, len, om, (float) eps, (float) momentum, (float) lr);
                else ProfileLoopsF32.tf1Plain(g, p, out, v, b, off, len, om, (float) eps, (float) momentum, (float) lr);
            }
            case TFJS -> {
                if (centered) ProfileLoopsF32.tfjsCentered(g, p, out, v, ga, b, off, len, rho, omr, epsW, m, (float) lr);
                else ProfileLoopsF32.tfjsPlain(g, p, out, v, b, off, len, rho, omr, epsW, m, (float) lr);
            }
            case OPTAX -> {
                float nlr = -(float) lr;
                boolean inside = epsPlacement == EpsPlacement.INSIDE;
                if (vector && !centered && !mom && !biasCorrection && inside) {
                    ProfileVectorF32.optax(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, off, len, rho, omr, epsW, nlr);
                } else if (vector && !centered && !nesterov && !biasCorrection && inside) {
                    ProfileVectorF32.optaxMomentum(VectorLanes.EST, vl.idx, vl.tmp, g, p, out, v, b, off, len, rho, omr, epsW, nlr, m);
                } else if (!centered && !mom && !biasCorrection && inside) {
                    if (y != null) ProfileBlocksF32.optax(CpuMath.table(), y, g, p, out, v, off, len, rho, omr, epsW, nlr);
                    else ProfileLoopsF32.optaxPlain(g, p, out, v, off, len, rho, omr, epsW, nlr);
                } else {
                    float bc = biasCorrection ? 1 - (float) Math.pow(rho, (float) t) : 1f;
                    ProfileLoopsF32.optax(g, p, out, v, ga, b, off, len, rho, omr, epsW, nlr, m, bc, biasCorrection, inside, nesterov, centered, mom);
                }
            }
            case ND4J -> ProfileLoopsF32.nd4j(g, p, out, v, off, len, rho, 1 - rho, epsW, (float) lr);
            case TRIBUO -> {
                double inv = 1.0 - decay;
                ProfileLoopsF32.tribuo(g, p, out, v, s[k], s[k + 1], off, len, inv, 1.0 - inv, eps, (float) lr);
            }
            default -> throw new IllegalStateException("arithmetic " + arithmetic);
        }
    }

    private void fast(double[] g, double[] p, double[] out, double[][] s, int slot0, int off, int len, double lr, long t) {
        int k = slot0;
        double[] v = s[k++];
        double[] ga = centered ? s[k++] : null;
        double[] b = keepsMomentum() ? s[k++] : null;
        double rho = decay, omr = 1 - decay;
        boolean l2 = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.L2;
        boolean dec = weightDecay > 0 && weightDecayStyle == WeightDecayStyle.DECOUPLED;
        boolean mom = momentum > 0;
        switch (arithmetic) {
            case PYTORCH_2_13 -> {
                if (vector && mklVector && !centered && !mom && !l2) {
                    VectorLanes vl = VectorLanes.LOCAL.get();
                    ProfileVectorF64.pytorch213(VectorLanes.EST64, vl.idx64, vl.tmp64, g, p, out, v, off, len, rho, omr, eps, -lr);
                } else {
                    ProfileLoops.pytorch213(g, p, out, v, ga, b, off, len, rho, omr, eps, momentum, weightDecay, l2, -lr,
                            omr, 1 - omr, Math.abs(1 - decay) < 0.5, centered, mom);
                }
            }
            case TIMM_TF -> {
                if (vector && mklVector && !centered && !mom && !l2 && !dec) {
                    VectorLanes vl = VectorLanes.LOCAL.get();
                    ProfileVectorF64.timmTf(VectorLanes.EST64, vl.idx64, vl.tmp64, g, p, out, v, off, len, omr, eps, -lr);
                } else {
                    ProfileLoops.timmTf(g, p, out, v, ga, b, off, len, omr, eps, momentum, weightDecay, l2, dec, 1 - lr * weightDecay,
                            lr, -lr, momentumStyle == MomentumStyle.LR_INSIDE, centered, mom);
                }
            }
            case KERAS_3, KERAS_3_GRAPH -> {
                double lrv = (float) lr;
                if (arithmetic == Arithmetic.KERAS_3 && !centered && !mom && !dec) ProfileLoops.keras3Plain(g, p, out, v, off, len, rho, omr, eps, lrv);
                else if (arithmetic == Arithmetic.KERAS_3 && !centered && !dec) ProfileLoops.keras3Momentum(g, p, out, v, b, off, len, rho, omr, eps, lrv, momentum);
                else if (arithmetic == Arithmetic.KERAS_3 && !dec && !mom) ProfileLoops.keras3Centered(g, p, out, v, ga, off, len, rho, omr, eps, lrv);
                else if (arithmetic == Arithmetic.KERAS_3 && !dec) ProfileLoops.keras3CenteredMomentum(g, p, out, v, ga, b, off, len, rho, omr, eps, lrv, momentum);
                else ProfileLoops.keras3(g, p, out, v, ga, b, off, len, rho, omr, eps, lrv, momentum, weightDecay, dec,
                        arithmetic == Arithmetic.KERAS_3_GRAPH, centered, mom);
            }
            case KERAS_3_XLA -> {
                double lrv = (float) lr;
                ProfileLoops.keras3Xla(g, p, out, v, ga, b, off, len, rho, omr, eps, lrv, momentum, weightDecay * lrv, dec, centered, mom);
            }
            case TF1 -> {
                double rho32 = (float) decay;
                if (centered) ProfileLoops.tf1Centered(g, p, out, v, ga, b, off, len, 1 - rho32, (float) eps, (float) momentum, (float) lr);
                else ProfileLoops.tf1Plain(g, p, out, v, b, off, len, 1 - rho32, (float) eps, (float) momentum, (float) lr);
            }
            case TFJS -> {
                if (centered) ProfileLoops.tfjsCentered(g, p, out, v, ga, b, off, len, rho, omr, eps, momentum, lr);
                else ProfileLoops.tfjsPlain(g, p, out, v, b, off, len, rho, omr, eps, momentum, lr);
            }
            case OPTAX -> {
                boolean inside = epsPlacement == EpsPlacement.INSIDE;
                if (!centered && !mom && !biasCorrection && inside) ProfileLoops.optaxPlain(g, p, out, v, off, len, rho, omr, eps, -lr);
                else {
                    double bc = biasCorrection ? 1 - Math.pow(rho, t) : 1;
                    ProfileLoops.optax(g, p, out, v, ga, b, off, len, rho, omr, eps, -lr, momentum, bc, biasCorrection, inside, nesterov, centered, mom);
                }
            }
            case ND4J -> ProfileLoops.nd4j(g, p, out, v, off, len, rho, 1 - rho, eps, lr);
            case TRIBUO -> {
                double inv = 1.0 - decay;
                if (vector) ProfileVectorTribuo.tribuo(g, p, out, v, s[k], s[k + 1], off, len, inv, 1.0 - inv, eps, lr);
                else ProfileLoops.tribuo(g, p, out, v, s[k], s[k + 1], off, len, inv, 1.0 - inv, eps, lr);
            }
            default -> throw new IllegalStateException("arithmetic " + arithmetic);
        }
    }
}
