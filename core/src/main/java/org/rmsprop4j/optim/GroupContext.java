package org.rmsprop4j.optim;

import org.rmsprop4j.transform.StepContext;

/** The {@link StepContext} of one group: its tensors and runs, and the step in progress. Reused every step. */
final class GroupContext implements StepContext {
    final int[] tensorOff;
    final int[] tensorLen;
    final int[] runOff;
    final int[] runLen;
    long step;
    double lr;
    private GroupContext child;

    GroupContext(int[] tensorOff, int[] tensorLen, int[] runOff, int[] runLen) {
        this.tensorOff = tensorOff;
        this.tensorLen = tensorLen;
        this.runOff = runOff;
        this.runLen = runLen;
    }

    @Override public long step() { return step; }

    @Override public double learningRate() { return lr; }

    @Override public int tensorCount() { return tensorOff.length; }

    @Override public int tensorOffset(int i) { return tensorOff[i]; }

    @Override public int tensorLength(int i) { return tensorLen[i]; }

    @Override public int runCount() { return runOff.length; }

    @Override public int runOffset(int r) { return runOff[r]; }

    @Override public int runLength(int r) { return runLen[r]; }

    @Override public StepContext withStep(long s) {
        GroupContext c = child;
        if (c == null) c = child = new GroupContext(tensorOff, tensorLen, runOff, runLen);   // once per nesting depth
        c.step = s;
        c.lr = lr;
        return c;
    }
}
