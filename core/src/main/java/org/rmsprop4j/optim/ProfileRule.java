package org.rmsprop4j.optim;

import java.util.List;

import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.RmsPropProfile;

/**
 * The fused path of a chain that is one {@link RmsPropProfile} and nothing else (what
 * {@link RmsPropConfig#chain()} builds for every arithmetic but PyTorch 1.13's, without maximize):
 * the profile's loop runs straight on the parameters, with no update buffer and no copies, split
 * across threads like the other fused kernels. Keras's graph profile, whose float32 arithmetic
 * depends on the position in each tensor (Eigen's packets), is cut at the tensors' edges. The
 * float32 profiles built on the {@code rsqrtps} table run their plain forms, and most of their momentum and centered
 * forms (one loop per form), on the Vector API when the JVM has it ({@code kernel.ProfileVectorF32}, no scratch);
 * without it their plain forms get a scratch array
 * as long as the parameters (4 bytes per element, allocated once), which lets their block loops
 * vectorise everything but the table lookup. Any other chain (a profile after other members, such as
 * maximize's {@code scale}) keeps the chain path, where the profile runs the same loops member by
 * member.
 */
final class ProfileRule extends StepRule {
    private final RmsPropProfile profile;
    /** The block loops' scratch ({@link RmsPropProfile#step}), as long as the parameters; threads share it on disjoint ranges. */
    private volatile float[] scratch;

    /** Keras graph in float32: the group's tensors, by offset, and where each one's whole 8-float packets end. */
    private final int[] tensorOff, tensorEnd, packetEnd;

    private ProfileRule(RmsPropProfile profile, List<ParamLayout.Param> params) {
        this.profile = profile;
        List<ParamLayout.Param> sorted = new java.util.ArrayList<>(params);
        sorted.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
        tensorOff = new int[sorted.size()];
        tensorEnd = new int[sorted.size()];
        packetEnd = new int[sorted.size()];
        for (int k = 0; k < sorted.size(); k++) {
            ParamLayout.Param q = sorted.get(k);
            tensorOff[k] = q.offset();
            tensorEnd[k] = q.offset() + q.length();
            packetEnd[k] = tensorEnd[k] - q.length() % 8;
        }
    }

    /**
     * 8-bit state runs the PyTorch-order kernels block by block; a profile's loops (its own operation
     * order, packets cut at tensor edges, a scratch as long as the parameters) are not written for it.
     */
    @Override String notQuantizable() {
        return "a framework's arithmetic profile (" + profile.arithmetic().id() + "; 8-bit state runs the PyTorch 1.13-order "
                + "kernels only: use arithmetic(PYTORCH_1_13) or the pytorch preset)";
    }

    /** Allocated on the first float32 step (the rule does not know the dtype before), by whichever chunk comes first. */
    private float[] scratch(int n) {
        float[] y = scratch;
        if (y == null || y.length < n) {
            synchronized (this) {
                y = scratch;
                if (y == null || y.length < n) scratch = y = new float[n];
            }
        }
        return y;
    }

    /** The rule for {@code chain} over the group's tensors {@code params}, or null when the chain is not one profile ({@link PyTorchProfileRule} for a {@code PyTorchProfile}). */
    static StepRule of(Chain chain, List<ParamLayout.Param> params) {
        List<Chain.Link> links = chain.links();
        if (links.size() == 1 && links.get(0).transform() instanceof org.rmsprop4j.transform.PyTorchProfile q) return new PyTorchProfileRule(q, params);
        if (links.size() != 1 || !(links.get(0).transform() instanceof RmsPropProfile p)) return null;
        return new ProfileRule(p, params);
    }

    @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
        float[] y = profile.usesScratch() ? scratch(p.length) : null;
        if (profile.elementwise()) {
            profile.step(p, g, s, 0, off, len, lr, t, y);
            return;
        }
        int end = off + len;                                     // a run, or a thread's chunk of one, cut at the tensors' edges
        for (int k = 0; k < tensorOff.length; k++) {
            int a = Math.max(off, tensorOff[k]), c = Math.min(end, tensorEnd[k]);
            if (a < c) profile.stepInTensor(p, g, s, 0, a, c - a, packetEnd[k], lr, t, y);
        }
    }

    @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
        profile.step(p, g, s, 0, off, len, lr, t);
    }
}
