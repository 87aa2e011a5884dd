package org.rmsprop4j.optim;

import java.util.ArrayList;
import java.util.List;

import org.rmsprop4j.parallel.ChunkPool;
import org.rmsprop4j.transform.Chain;
import org.rmsprop4j.transform.GradientTransform;

/**
 * Runs a chain that no fused kernel covers, transform by transform. Consecutive element-wise members
 * form a stage that runs over blocks of {@value #BLOCK} elements (every member on a block, then the
 * next block), split across threads for long runs; a member that needs the whole group runs alone.
 * The first stage copies the gradient into the update buffer, the last one applies
 * {@code θ ← θ − u} (or {@code θ ← u} when the chain {@linkplain Chain#producesParameters() produces
 * the parameters}). Allocates nothing per step.
 */
final class ChainRunner {
    /** Elements per block: the block's arrays stay in the first-level cache while every member of a stage passes over them. */
    static final int BLOCK = 2048;

    private final GradientTransform[] members;
    private final int[] slot0;
    /** Stage k covers members [stageStart[k], stageStart[k+1]); element-wise unless {@code group[k]}. */
    private final int[] stageStart;
    private final boolean[] group;
    private final StageTask task = new StageTask();
    /** The last member leaves the new parameters in the update buffer: assign instead of subtracting. */
    private final boolean assign;

    ChainRunner(Chain chain) {
        List<Chain.Link> links = chain.links();
        assign = chain.producesParameters();
        members = new GradientTransform[links.size()];
        slot0 = new int[links.size()];
        List<Integer> starts = new ArrayList<>();
        List<Boolean> kinds = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            members[i] = links.get(i).transform();
            slot0[i] = chain.slotBase(i);
            boolean ew = members[i].elementwise();
            if (i == 0 || !ew || !kinds.get(kinds.size() - 1)) {
                starts.add(i);
                kinds.add(ew);
            }
        }
        starts.add(members.length);
        stageStart = starts.stream().mapToInt(Integer::intValue).toArray();
        group = new boolean[kinds.size()];
        for (int k = 0; k < group.length; k++) group[k] = !kinds.get(k);
    }

    /** One element-wise stage over one range, reused so that a parallel step allocates nothing. */
    private final class StageTask implements ChunkPool.RangeTask {
        float[] pf, gf, uf;
        double[] pd, gd, ud;
        float[][] sf;
        double[][] sd;
        GroupContext ctx;
        int from, to;
        boolean copyIn, applyOut;

        @Override public void run(int off, int len) {
            for (int b = off, end = off + len; b < end; b += BLOCK) {
                int n = Math.min(BLOCK, end - b);
                if (pf != null) {
                    if (copyIn) System.arraycopy(gf, b, uf, b, n);
                    for (int m = from; m < to; m++) members[m].update(uf, pf, sf, slot0[m], b, n, ctx);
                    if (applyOut) {
                        if (assign) System.arraycopy(uf, b, pf, b, n);
                        else for (int i = b, e = b + n; i < e; i++) pf[i] = pf[i] - uf[i];
                    }
                } else {
                    if (copyIn) System.arraycopy(gd, b, ud, b, n);
                    for (int m = from; m < to; m++) members[m].update(ud, pd, sd, slot0[m], b, n, ctx);
                    if (applyOut) {
                        if (assign) System.arraycopy(ud, b, pd, b, n);
                        else for (int i = b, e = b + n; i < e; i++) pd[i] = pd[i] - ud[i];
                    }
                }
            }
        }
    }

    /** One step of the group described by {@code ctx}: exactly one of the (f) and (d) triples is non-null. */
    void step(float[] pf, float[] gf, float[] uf, float[][] sf, double[] pd, double[] gd, double[] ud, double[][] sd,
              GroupContext ctx, int threads, int threshold) {
        StageTask t = task;
        t.pf = pf; t.gf = gf; t.uf = uf; t.sf = sf; t.pd = pd; t.gd = gd; t.ud = ud; t.sd = sd; t.ctx = ctx;
        try {
            int stages = group.length;
            boolean copied = false;
            for (int k = 0; k < stages; k++) {
                boolean last = k == stages - 1;
                if (group[k]) {
                    if (!copied) rangeStage(ctx, threads, threshold, 0, 0, true, false);
                    copied = true;
                    for (int m = stageStart[k]; m < stageStart[k + 1]; m++) {
                        if (pf != null) members[m].updateGroup(uf, pf, sf, slot0[m], ctx);
                        else members[m].updateGroup(ud, pd, sd, slot0[m], ctx);
                    }
                    if (last) rangeStage(ctx, threads, threshold, 0, 0, false, true);
                } else {
                    rangeStage(ctx, threads, threshold, stageStart[k], stageStart[k + 1], !copied, last);
                    copied = true;
                }
            }
            if (stages == 0) rangeStage(ctx, threads, threshold, 0, 0, true, true);
        } finally {
            t.pf = null; t.gf = null; t.uf = null; t.sf = null; t.pd = null; t.gd = null; t.ud = null; t.sd = null; t.ctx = null;
        }
    }

    private void rangeStage(GroupContext ctx, int threads, int threshold, int from, int to, boolean copyIn, boolean applyOut) {
        StageTask t = task;
        t.from = from; t.to = to; t.copyIn = copyIn; t.applyOut = applyOut;
        for (int r = 0; r < ctx.runOff.length; r++) {
            if (threads > 1 && ctx.runLen[r] >= threshold) ChunkPool.shared().run(t, ctx.runOff[r], ctx.runLen[r], threads);
            else t.run(ctx.runOff[r], ctx.runLen[r]);
        }
    }
}
