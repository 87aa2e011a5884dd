package org.rmsprop4j.parallel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent set of daemon worker threads that runs one elementwise loop over a range split
 * into contiguous blocks, the calling thread taking part. <b>Not API.</b>
 *
 * <p>Why not a {@code ForkJoinPool}: a fork-join round trip measured ~20 µs here, as long as a
 * whole in-cache step of ~1.5e5 float32 elements. Here a step hands each worker the task through
 * a volatile field and wakes it with {@code unpark}; a worker that has just finished or been woken
 * spins for a short time ({@link #WORKER_SPIN_NS}) before parking, so back-to-back steps do not pay the wake-up.
 *
 * <p>Blocks, not fixed halves: the range is cut into blocks that shrink as the range is used up
 * ({@link #plan}: a quarter of what is left on 2 threads, down to {@link #GUIDED_MIN_BLOCK} elements),
 * and every participating thread takes the next block from a shared counter until none is left, so
 * the threads end within one short block of each other and the worker is still spinning when a
 * back-to-back step starts (with equal blocks it waited up to a long block, parked, and started the
 * next step a wake-up late: measured in 46–100% of steps at 1e7–1e8 elements). On a
 * machine whose cores are shared with other processes one thread is often slowed or descheduled for
 * a while; with fixed halves the step then waits for the slow half, with blocks the other thread
 * takes over the rest. A worker that has not started by the time the caller has run out of blocks
 * is withdrawn from the step, so the caller never waits for a wake-up that brings no work.
 *
 * <p>Block boundaries are multiples of {@link #ALIGN} elements counted from index 0 of the arrays,
 * (64 bytes of floats), so blocks cover whole cache lines whenever the array's data starts on a line
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

    /** Block plans: {@link #GUIDED} (the default), {@link #EVEN} or {@link #HALVES}; see {@link #useSchedule}. */
    public static final int GUIDED = 0, EVEN = 1, HALVES = 2;

    /**
     * Room for the block edges of a step on {@code parts} threads: the {@link #GUIDED} plan needs at most
     * about {@code 2·parts·ln(2^31 / (2·parts·GUIDED_MIN_BLOCK)) + 2·parts + 1} edges (with the shortest
     * block {@code tune} allows, 16, about {@code 2·parts·(ln(2^31/parts) − 3.5) + 2·parts}); {@code 48·parts + 64}
     * covers every case, and the plan stops cutting if it would not.
     */
    static int edgeCapacity(int parts) { return 48 * parts + 64; }

    /** Blocks per participating thread when the range is long enough (see {@link #blockCount}). */
    static final int BLOCKS_PER_THREAD = 4;

    /** Shortest block, in elements, of the EVEN plan when there are more blocks than threads. */
    static final int MIN_BLOCK = 1 << 16;

    /**
     * Shortest block of the GUIDED plan (64 KiB of floats, 10–30 µs of a step): the threads end within
     * about this much of each other, well inside {@link #WORKER_SPIN_NS}.
     */
    static final int GUIDED_MIN_BLOCK = 1 << 14;

    /**
     * How long an idle worker spins before parking, in nanoseconds. Longer than the caller's wait: a
     * worker that parks between back-to-back steps starts the next one a wake-up late (measured here:
     * 0.1–1 ms under load), and a worker that finished its last block waits for the caller's last one.
     */
    static final long WORKER_SPIN_NS = 200_000;

    /** How long the waiting caller spins (pause, then yield) before parking, in nanoseconds. */
    static final long SPIN_NS = 50_000;

    /**
     * The first part of {@link #SPIN_NS} that the waiting caller spends in pause instructions; the rest
     * yields (an idle worker only pauses).
     */
    static final long PAUSE_NS = 2_000;

    /** A worker start later than this after its assignment counts as late in {@link #counters()}. */
    static final long LATE_NS = 20_000;

    private static final int IDLE = 0, ASSIGNED = 1, RUNNING = 2;

    private static final ChunkPool SHARED = new ChunkPool();

    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    /** The next block to take in the step in progress. */
    private final AtomicInteger nextBlock = new AtomicInteger();
    private volatile Thread caller;
    private volatile Worker[] workers = new Worker[0];
    // the step in progress (written before the workers' state is set to ASSIGNED, which publishes them)
    private RangeTask task;
    private int blocks;
    /** Block k of the step in progress is [edges[k], edges[k + 1]) (grown with the thread count, like the workers). */
    private int[] edges = new int[0];
    private volatile int schedule = GUIDED;
    /** Shortest block of the GUIDED plan, and how long an idle worker spins before parking (see {@link #tune}). */
    private volatile int guidedMinBlock = GUIDED_MIN_BLOCK;
    private volatile long workerSpinNs = WORKER_SPIN_NS;
    private volatile long callerPauseNs = PAUSE_NS;
    /** When the workers of the step in progress were assigned (System.nanoTime), for {@link #counters()}. */
    private volatile long assignedAt;
    // diagnostics, written by the caller only (plain fields; read racily by counters())
    private long parallelRuns, withdrawn, callerBlocks;

    private ChunkPool() {}

    /** The process-wide pool. */
    public static ChunkPool shared() { return SHARED; }

    /**
     * Chooses how a step is cut into blocks, for A/B benchmarks ({@code ThreadsAB}); results are the same
     * bits either way. {@link #GUIDED}: blocks shrink as the range is used up (each a quarter of what is
     * left on 2 threads, {@code 1 / (2·threads)} in general, none shorter than {@link #GUIDED_MIN_BLOCK}), so the
     * threads finish within one short block of each other. {@link #EVEN}: {@link #BLOCKS_PER_THREAD} equal
     * blocks per thread (the pool before 2026-11-27 evening), where one thread can wait for up to one long
     * block at the end of every step. {@link #HALVES}: one block per thread, as OpenMP's static schedule
     * when every thread starts on time (a late worker's block is still taken by the caller).
     */
    public void useSchedule(int schedule) {
        if (schedule < GUIDED || schedule > HALVES) {
            throw new IllegalArgumentException("schedule must be GUIDED (0), EVEN (1) or HALVES (2), got " + schedule);
        }
        this.schedule = schedule;
    }

    /**
     * Sets the shortest block of the {@link #GUIDED} plan (default {@link #GUIDED_MIN_BLOCK}) and how long an
     * idle worker spins before it parks (default {@link #WORKER_SPIN_NS}), for A/B benchmarks; results are the
     * same bits whatever the values.
     */
    public void tune(int guidedMinBlock, long workerSpinNs) {
        tune(guidedMinBlock, workerSpinNs, PAUSE_NS);
    }

    /** {@link #tune(int, long)}, and how long the waiting caller pauses before it starts yielding (default {@link #PAUSE_NS}). */
    public void tune(int guidedMinBlock, long workerSpinNs, long callerPauseNs) {
        if (callerPauseNs < 0 || callerPauseNs > SPIN_NS) throw new IllegalArgumentException("callerPauseNs must be in 0.." + SPIN_NS + ", got " + callerPauseNs);
        if (guidedMinBlock < ALIGN) throw new IllegalArgumentException("guidedMinBlock must be >= " + ALIGN + ", got " + guidedMinBlock);
        if (workerSpinNs < 0 || workerSpinNs > 1_000_000_000L) {
            throw new IllegalArgumentException("workerSpinNs must be in 0..1e9, got " + workerSpinNs);
        }
        this.guidedMinBlock = guidedMinBlock;
        this.workerSpinNs = workerSpinNs;
        this.callerPauseNs = callerPauseNs;
    }

    /**
     * Diagnostics since the pool was created (read without synchronisation, so only approximate while a
     * step runs): {@code [0]} steps run on more than one thread, {@code [1]} worker assignments withdrawn
     * because the worker had not started when the blocks ran out, {@code [2]} blocks run by the callers,
     * {@code [3]} blocks run by the workers, {@code [4]} worker starts that found no block left, {@code [5]}
     * worker starts, {@code [6]} their summed delay from assignment to start in ns, {@code [7]} starts
     * later than {@link #LATE_NS} (a worker that had parked, or lost its core). Differences between two
     * calls describe the steps between them.
     */
    public long[] counters() {
        long wb = 0, empty = 0, starts = 0, delay = 0, late = 0;
        for (Worker w : workers) {
            wb += w.blocksRun;
            empty += w.emptyStarts;
            starts += w.starts;
            delay += w.startDelayNs;
            late += w.lateStarts;
        }
        return new long[] {parallelRuns, withdrawn, callerBlocks, wb, empty, starts, delay, late};
    }

    /**
     * Runs {@code task} over {@code [off, off + len)} with up to {@code parts} threads (the calling
     * one included) and returns when all of it is done. An exception thrown by any block is rethrown
     * here, after every block has run.
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

    /**
     * Number of blocks for {@code len} elements on {@code parts} threads: {@link #BLOCKS_PER_THREAD}
     * per thread, fewer when blocks would be shorter than {@link #MIN_BLOCK}, never fewer than
     * {@code parts}.
     */
    static int blockCount(int len, int parts) {
        // (the EVEN plan)
        long byLength = len / MIN_BLOCK;
        long want = (long) parts * BLOCKS_PER_THREAD;
        return (int) Math.max(parts, Math.min(want, byLength));
    }

    private void runParallel(RangeTask task, int off, int len, int parts) {
        Worker[] ws = ensureWorkers(parts - 1);
        int nw = parts - 1;
        this.task = task;
        if (edges.length < edgeCapacity(parts)) edges = new int[edgeCapacity(parts)];
        this.blocks = plan(schedule, off, len, parts, guidedMinBlock, edges);
        nextBlock.set(0);
        caller = Thread.currentThread();
        pending.set(nw);
        parallelRuns++;
        assignedAt = System.nanoTime();
        for (int i = 0; i < nw; i++) {
            Worker w = ws[i];
            w.state = ASSIGNED; // volatile write publishes the step's fields
            LockSupport.unpark(w);
        }
        Throwable err = runBlocks(null);
        // withdraw workers that have not started: every block is taken, so they would find nothing to do
        for (int i = 0; i < nw; i++) {
            if (Worker.STATE.compareAndSet(ws[i], ASSIGNED, IDLE)) {
                pending.decrementAndGet();
                withdrawn++;
            }
        }
        awaitWorkers();
        caller = null;
        this.task = null;
        for (int i = 0; i < nw; i++) {
            Throwable e = ws[i].error;
            ws[i].error = null;
            if (err == null) err = e;
        }
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error er) throw er;
        if (err != null) throw new IllegalStateException(err);
    }

    /**
     * Takes blocks of the step in progress until none is left; the first exception thrown, or null.
     * {@code w} is the worker running it (its counters), or null for the caller.
     */
    private Throwable runBlocks(Worker w) {
        RangeTask t = task;
        int[] ed = edges;
        int n = blocks;
        Throwable first = null;
        int taken = 0;
        for (int b; (b = nextBlock.getAndIncrement()) < n; ) {
            taken++;
            int lo = ed[b], hi = ed[b + 1];
            if (hi <= lo) continue;
            try {
                t.run(lo, hi - lo);
            } catch (Throwable e) {
                if (first == null) first = e; // the other blocks still run, as documented
            }
        }
        if (w == null) {
            callerBlocks += taken;
        } else {
            w.blocksRun += taken;
            if (taken == 0) w.emptyStarts++;
        }
        return first;
    }

    /**
     * Writes the edges of the blocks of {@code [off, off + len)} for {@code parts} threads into
     * {@code edges[0..n]} and returns {@code n}, the number of blocks. Inner edges are multiples of
     * {@link #ALIGN}; blocks are never empty unless the range is.
     */
    static int plan(int schedule, int off, int len, int parts, int[] edges) {
        return plan(schedule, off, len, parts, GUIDED_MIN_BLOCK, edges);
    }

    /** {@link #plan(int, int, int, int, int[])} with {@code minGuided} as the shortest GUIDED block. */
    static int plan(int schedule, int off, int len, int parts, int minGuided, int[] edges) {
        if (schedule == EVEN || schedule == HALVES) {
            int n = Math.min(schedule == EVEN ? blockCount(len, parts) : parts, edges.length - 1);
            for (int k = 0; k <= n; k++) edges[k] = boundary(off, len, n, k);
            return n;
        }
        long end = (long) off + len;
        int minBlock = Math.max(ALIGN, Math.min(minGuided, len / parts));
        int n = 0;
        long pos = off;
        edges[0] = off;
        while (pos < end) {
            long rest = end - pos;
            long size = Math.max(minBlock, rest / (2L * parts));
            long next = (pos + size + ALIGN / 2) / ALIGN * ALIGN; // nearest edge; size >= ALIGN, so next > pos
            // the last block: nothing left worth a block of its own (or, never with edgeCapacity, no room for more edges)
            if (end - next < minBlock / 2 || n == edges.length - 2) next = end;
            edges[++n] = (int) next;
            pos = next;
        }
        return n;
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
            idle(now - (deadline - SPIN_NS), callerPauseNs);
            if (now >= deadline) LockSupport.parkNanos(this, 1_000_000L);
        }
    }

    /**
     * One round of waiting without parking: a pause instruction for the first microseconds, then
     * {@code Thread.yield()}, so that on a machine with more runnable threads than cores a waiting
     * thread hands its core to the thread it waits for instead of spinning against it.
     */
    private static void idle(long waitedNs, long pauseNs) {
        if (waitedNs < pauseNs) Thread.onSpinWait();
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
        static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Worker.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final ChunkPool pool;
        /** IDLE, ASSIGNED (by the caller) or RUNNING (taken by this worker); ASSIGNED → RUNNING and ASSIGNED → IDLE race by CAS. */
        volatile int state;
        volatile Throwable error;
        // diagnostics, written by this worker only (see counters())
        long blocksRun, emptyStarts, starts, startDelayNs, lateStarts;

        Worker(ChunkPool pool, int index) {
            super("rmsprop4j-chunk-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override public void run() {
            long idleSince = System.nanoTime();
            for (;;) {
                if (state != ASSIGNED || !STATE.compareAndSet(this, ASSIGNED, RUNNING)) {
                    long idleNs = System.nanoTime() - idleSince;
                    if (idleNs < pool.workerSpinNs) {
                        // pause, never yield: a worker waiting for work has nobody of ours to hand its core to,
                        // and a yield can give the core to a background process for a whole time slice, so
                        // that the worker misses the next step (measured: it then ran 1-20% of the blocks)
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(pool);
                        Thread.interrupted(); // an interrupt must not turn parking into a busy loop
                        // woken (usually for a step): spin again before the next park, also when the caller has
                        // withdrawn this worker meanwhile, so that the next back-to-back step finds it awake
                        idleSince = System.nanoTime();
                    }
                    continue;
                }
                long delay = System.nanoTime() - pool.assignedAt;
                starts++;
                startDelayNs += delay;
                if (delay > LATE_NS) lateStarts++;
                Throwable e = pool.runBlocks(this);
                if (e != null) error = e;
                state = IDLE;
                idleSince = System.nanoTime();
                pool.done();
            }
        }
    }
}
