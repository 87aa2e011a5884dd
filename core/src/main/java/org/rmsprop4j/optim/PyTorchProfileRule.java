package org.rmsprop4j.optim;

import java.util.List;

import org.rmsprop4j.transform.PyTorchProfile;

/**
 * The fused path of a chain that is one {@link PyTorchProfile} and nothing else (SGD, AdaGrad,
 * Adadelta or Adam/AdamW in PyTorch 2.13's arithmetic, or AdaGrad in 1.13's foreach arithmetic):
 * the profile's loop runs straight on the parameters, with no update buffer and no copies, split
 * across threads like the other fused kernels. {@code pytorch_2_13_fused}, whose contraction depends
 * on the position in each tensor (vector body, then scalar tail), is cut at the tensors' edges.
 */
final class PyTorchProfileRule extends StepRule {
    private final PyTorchProfile profile;
    /** The group's tensors, by offset. */
    private final int[] tensorOff, tensorEnd;

    PyTorchProfileRule(PyTorchProfile profile, List<ParamLayout.Param> params) {
        this.profile = profile;
        List<ParamLayout.Param> sorted = new java.util.ArrayList<>(params);
        sorted.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
        tensorOff = new int[sorted.size()];
        tensorEnd = new int[sorted.size()];
        for (int k = 0; k < sorted.size(); k++) {
            tensorOff[k] = sorted.get(k).offset();
            tensorEnd[k] = tensorOff[k] + sorted.get(k).length();
        }
    }

    /** 8-bit state runs the PyTorch 1.13-order kernels only. */
    @Override String notQuantizable() {
        return "a PyTorch profile (" + profile.arithmetic().id() + " " + profile.family() + "; 8-bit state runs the PyTorch 1.13-order "
                + "kernels only: use arithmetic(PYTORCH_1_13))";
    }

    @Override void apply(float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
        if (profile.elementwise()) {
            profile.step(p, g, s, 0, off, len, off + len, lr, t);
            return;
        }
        int end = off + len;                                     // a run, or a thread's chunk of one, cut at the tensors' edges
        for (int k = 0; k < tensorOff.length; k++) {
            int a = Math.max(off, tensorOff[k]), c = Math.min(end, tensorEnd[k]);
            if (a < c) profile.step(p, g, s, 0, a, c - a, tensorEnd[k] - (tensorEnd[k] - tensorOff[k]) % 8, lr, t);
        }
    }

    @Override void apply(double[] p, double[] g, double[][] s, int off, int len, double lr, long t) {
        if (profile.elementwise()) {
            profile.step(p, g, s, 0, off, len, off + len, lr, t);
            return;
        }
        int end = off + len;
        for (int k = 0; k < tensorOff.length; k++) {
            int a = Math.max(off, tensorOff[k]), c = Math.min(end, tensorEnd[k]);
            if (a < c) profile.step(p, g, s, 0, a, c - a, tensorEnd[k] - (tensorEnd[k] - tensorOff[k]) % 4, lr, t);
        }
    }
}
