package org.rmsprop4j.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent set of daemon worker threads that runs one elementwise loop over a range split
 * into contiguous chunks, the calling thread taking the first chunk. <b>Not API.</b>
 *
 * <p>Why not a {@code ForkJoinPool}: a fork-join round trip measured ~20 µs here, as long as a
 * whole in-cache step of ~1.5e5 float32 elements. Here a step hands each worker its range through
 * a volatile field and wakes it with {@code unpark}; a worker that has just finished spins for a
 * short time ({@link #SPIN_NS}) before parking, so back-to-back steps do not pay the wake-up.
 *
 * <p>Chunk boundaries are multiples of {@link #ALIGN} elements counted from index 0 of the arrays,
 * (64 bytes of floats), so chunks cover whole cache lines whenever the array's data starts on a line
 * boundary (the JVM does not promise it; at worst two threads share the line at an edge, which costs
 * speed, never correctness). Because every element is
 * computed by exactly the same loop body whichever thread runs it, results are bit-identical to
 * one call over the whole range.
 *
 * <p>One caller at a time uses the workers; a call made while they are busy (another optimizer
 * stepping on another thread, or a nested call) runs serially in the calling thread instead of
 * waiting. Workers are created on first use, as many as the largest {@code parts − 1} requested.
 */
public final class ChunkPool {

    /** Work over {@code [off, off + len)}; must only touch that range of its output arrays. */
    public interface RangeTask {
        void run(int off, int len);
    }

    /** Chunk boundaries are multiples of this many elements (64 bytes of float32). */
    public static final int ALIGN = 16;

    /** How long an idle worker (or the waiting caller) spins before parking, in nanoseconds. */
    static final long SPIN_NS = 50_000;

    /** The first part of {@link #SPIN_NS} spent in pause instructions; the rest yields. */
    static final long PAUSE_NS = 2_000;

    private static final ChunkPool SHARED = new ChunkPool();

    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread caller;
    private volatile Worker[] workers = new Worker[0];

    private ChunkPool() {}

    /** The process-wide pool. */
    public static ChunkPool shared() { return SHARED; }

    /**
     * Runs {@code task} over {@code [off, off + len)} split into at most {@code parts} chunks, one
     * per thread, and returns when all are done. An exception thrown by any chunk is rethrown here
     * (after every chunk has finished).
     */
    public void run(RangeTask task, int off, int len, int parts) {
        if (parts <= 1 || len < 2 * ALIGN || !busy.compareAndSet(false, true)) {
            task.run(off, len);
            return;
        }
        try {
            runParallel(task, off, len, Math.min(parts, len / ALIGN));
        } finally {
            busy.set(false);
        }
    }

    private void runParallel(RangeTask task, int off, int len, int parts) {
        Worker[] ws = ensureWorkers(parts - 1);
        int end = off + len;
        // boundaries: off = b0 <= b1 <= ... <= b_parts = end, inner ones rounded to ALIGN
        int first = boundary(off, len, parts, 1);
        int started = 0;
        caller = Thread.currentThread();
        int lo = first;
        int count = 0;
        for (int k = 1; k < parts; k++) if (boundary(off, len, parts, k + 1) > boundary(off, len, parts, k)) count++;
        pending.set(count);
        for (int k = 1; k < parts; k++) {
            int hi = k == parts - 1 ? end : boundary(off, len, parts, k + 1);
            if (hi > lo) {
                Worker w = ws[started++];
                w.off = lo;
                w.len = hi - lo;
                w.task = task; // volatile write publishes off/len
                LockSupport.unpark(w);
            }
            lo = hi;
        }
        Throwable mine = null;
        try {
            task.run(off, first - off);
        } catch (Throwable e) {
            mine = e;
        }
        awaitWorkers();
        caller = null;
        Throwable err = mine;
        for (int i = 0; i < started; i++) {
            Throwable e = ws[i].error;
            ws[i].error = null;
            if (err == null) err = e;
        }
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error er) throw er;
        if (err != null) throw new IllegalStateException(err);
    }

    /** Start of chunk {@code k} (0 ≤ k ≤ parts), a multiple of ALIGN except for the two ends. */
    static int boundary(int off, int len, int parts, int k) {
        if (k <= 0) return off;
        if (k >= parts) return off + len;
        long raw = off + (long) len * k / parts;
        long aligned = (raw + ALIGN / 2) / ALIGN * ALIGN;
        return (int) Math.max(off, Math.min(off + (long) len, aligned));
    }

    private void awaitWorkers() {
        long deadline = 0;
        while (pending.get() != 0) {
            long now = System.nanoTime();
            if (deadline == 0) deadline = now + SPIN_NS;
            idle(now - (deadline - SPIN_NS));
            if (now >= deadline) LockSupport.parkNanos(this, 1_000_000L);
        }
    }

    /**
     * One round of waiting without parking: a pause instruction for the first microseconds, then
     * {@code Thread.yield()}, so that on a machine with more runnable threads than cores a waiting
     * thread hands its core to the thread it waits for instead of spinning against it.
     */
    private static void idle(long waitedNs) {
        if (waitedNs < PAUSE_NS) Thread.onSpinWait();
        else Thread.yield();
    }

    private Worker[] ensureWorkers(int n) {
        Worker[] ws = workers;
        if (ws.length >= n) return ws;
        Worker[] grown = java.util.Arrays.copyOf(ws, n);
        for (int i = ws.length; i < n; i++) {
            grown[i] = new Worker(this, i + 1);
            grown[i].start();
        }
        workers = grown;
        return grown;
    }

    private void done() {
        if (pending.decrementAndGet() == 0) {
            Thread c = caller;
            if (c != null) LockSupport.unpark(c);
        }
    }

    private static final class Worker extends Thread {
        private final ChunkPool pool;
        volatile RangeTask task;
        int off;
        int len;
        volatile Throwable error;

        Worker(ChunkPool pool, int index) {
            super("rmsprop4j-chunk-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override public void run() {
            long idleSince = System.nanoTime();
            for (;;) {
                RangeTask t = task;
                if (t == null) {
                    long idleNs = System.nanoTime() - idleSince;
                    if (idleNs < SPIN_NS) {
                        idle(idleNs);
                    } else {
                        LockSupport.park(pool);
                        Thread.interrupted(); // an interrupt must not turn parking into a busy loop
                    }
                    continue;
                }
                try {
                    t.run(off, len);
                } catch (Throwable e) {
                    error = e;
                }
                task = null;
                idleSince = System.nanoTime();
                pool.done();
            }
        }
    }
}
