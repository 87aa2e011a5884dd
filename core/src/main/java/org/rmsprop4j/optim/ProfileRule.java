package org.rmsprop4j.optim;

import java.util.List;

import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.RmsPropProfile;

/**
 * The fused path of a chain that is one element-wise {@link RmsPropProfile} and nothing else (what
 * {@link RmsPropConfig#chain()} builds for every arithmetic but PyTorch 1.13's, without maximize):
 * the profile's loop runs straight on the parameters, with no update buffer and no copies, split
 * across threads like the other fused kernels. The float32 profiles built on the {@code rsqrtps}
 * table also get a scratch array as long as the parameters (4 bytes per element, allocated once),
 * which lets their block loops vectorise everything but the table lookup. Every other chain (a profile after other members,
 * or Keras's graph profile, whose arithmetic depends on the position in each tensor) keeps the
 * chain path, where the profile runs the same loops member by member.
 */
final class ProfileRule extends StepRule {
    private final RmsPropProfile profile;
    /** The block loops' scratch ({@link RmsPropProfile#step}), as long as the parameters; threads share it on disjoint ranges. */
    private volatile float[] scratch;

    private ProfileRule(RmsPropProfile profile) { this.profile = profile; }

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

    /** The rule for {@code chain}, or null when it is not one element-wise profile. */
    static StepRule of(Chain chain) {
        List<Chain.Link> links = chain.links();
        if (links.size() != 1 || !(links.get(0).transform() instanceof RmsPropProfile p) || !p.elementwise()) return null;
        return new ProfileRule(p);
    }

    @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
        profile.step(p, g, s, 0, off, len, lr, t, profile.usesScratch() ? scratch(p.length) : null);
    }

    @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
        profile.step(p, g, s, 0, off, len, lr, t);
    }
}
