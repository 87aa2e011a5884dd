package org.rmsprop4j.optim;

import java.util.List;

import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.RmsPropProfile;

/**
 * The fused path of a chain that is one element-wise {@link RmsPropProfile} and nothing else (what
 * {@link RmsPropConfig#chain()} builds for every arithmetic but PyTorch 1.13's, without maximize):
 * the profile's loop runs straight on the parameters, with no update buffer and no copies, split
 * across threads like the other fused kernels. Every other chain (a profile after other members,
 * or Keras's graph profile, whose arithmetic depends on the position in each tensor) keeps the
 * chain path, where the profile runs the same loops member by member.
 */
final class ProfileRule extends StepRule {
    private final RmsPropProfile profile;

    private ProfileRule(RmsPropProfile profile) { this.profile = profile; }

    /** The rule for {@code chain}, or null when it is not one element-wise profile. */
    static StepRule of(Chain chain) {
        List<Chain.Link> links = chain.links();
        if (links.size() != 1 || !(links.get(0).transform() instanceof RmsPropProfile p) || !p.elementwise()) return null;
        return new ProfileRule(p);
    }

    @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
        profile.step(p, g, s, 0, off, len, lr, t);
    }

    @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
        profile.step(p, g, s, 0, off, len, lr, t);
    }
}
