package org.rmsprop4j.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A trainer's persistent threads: the caller and {@code size − 1} daemon workers run one task together
 * (a <em>region</em>, {@link #run}), with barriers inside it ({@link #barrier}), so that a batch of the
 * fused path costs one hand-off to the workers instead of one pool round trip per phase.
 *
 * <h2>Waiting</h2> A thread that waits (a worker for the next region, anyone at a barrier, the caller
 * for the end of a region) spins with {@link Thread#onSpinWait()} for up to {@link #SPIN_NS}, then parks;
 * whoever releases it unparks it. The spin covers the short serial part between two regions (the
 * optimizer step, about 40 µs here), so back-to-back batches do not pay a wake-up, and no thread spins
 * longer than that before parking. Yielding instead of spinning (as {@code ChunkPool}'s caller does after
 * 2 µs) measured worse: at a load average of 10 it gave the core away for whole time slices, 0.31 s per
 * epoch against 0.12 s with the spin, the same CPU time.
 *
 * <h2>Failures</h2> A task that throws breaks the region: the other threads leave it at their next
 * barrier (which throws {@link Broken} to them), the region ends when every thread has left it, and
 * {@link #run} rethrows the first failure. The gang is then ready for the next region.
 *
 * <p>Results never depend on which thread runs what: tasks take work items from shared counters, and
 * every item is computed the same way whoever takes it. One caller at a time; not reentrant.
 */
final class Gang implements AutoCloseable {

    /** A region's work for thread {@code w} ({@code 0} is the caller). */
    interface Task {
        void run(int w);
    }

    /** How long a waiting thread spins before it parks (nanoseconds); {@code -Drmsprop4j.train.spinMicros=N}. */
    static final long SPIN_NS = 1000L * Long.getLong("rmsprop4j.train.spinMicros", 50L);

    /**
     * One round of a wait that started {@code waited} nanoseconds ago: a pause instruction, or park. Returns true when it
     * cleared the thread's interrupt (which must not turn parking into a busy loop); the waiter re-asserts it when done.
     */
    private boolean idle(long waited) {
        if (waited < SPIN_NS) Thread.onSpinWait();
        else {
            LockSupport.parkNanos(this, 1_000_000L);
            return Thread.interrupted();
        }
        return false;
    }

    /** Thrown to the threads still in a region that another thread's failure has broken. */
    static final class Broken extends RuntimeException {
        Broken() { super("another thread of the region failed", null, false, false); }
    }

    private static final Broken BROKEN = new Broken();

    private final int size;
    private final Thread[] threads;          // [0] is the caller of the region in progress
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;         // counts regions; a worker runs one region per increment
    private volatile int phase;              // counts barriers passed in the region
    private volatile boolean broken;
    private volatile boolean closed;
    private volatile Throwable failure;
    private Task task;                       // published by the volatile write of generation

    Gang(int size, String name) {
        if (size < 2) throw new IllegalArgumentException("a gang has at least 2 threads, not " + size);
        this.size = size;
        threads = new Thread[size];
        for (int w = 1; w < size; w++) {
            int id = w;
            Thread t = new Thread(() -> work(id), name);
            t.setDaemon(true);
            threads[w] = t;
        }
        for (int w = 1; w < size; w++) threads[w].start();
    }

    /** Threads in a region, the caller included. */
    int size() { return size; }

    /** Runs {@code t.run(w)} for every {@code w < size()} at once, the caller taking {@code w = 0}; returns when all are done. */
    void run(Task t) {
        if (closed) throw new IllegalStateException("the trainer's threads are stopped (closed)");
        threads[0] = Thread.currentThread();
        task = t;
        failure = null;
        broken = false;
        arrived.set(0);
        pending.set(size - 1);
        generation = generation + 1; // publishes the fields above
        for (int w = 1; w < size; w++) LockSupport.unpark(threads[w]);
        runPart(t, 0);
        long start = System.nanoTime();
        boolean interrupted = false;
        while (pending.get() != 0) interrupted |= idle(System.nanoTime() - start);
        if (interrupted) Thread.currentThread().interrupt();
        task = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            throw new IllegalStateException(f);
        }
    }

    /**
     * Waits until every thread of the region has called it (the same number of times); throws
     * {@link Broken} when a failure has broken the region.
     */
    void barrier() {
        int ph = phase;
        if (broken) throw BROKEN;
        if (arrived.incrementAndGet() == size) {
            arrived.set(0);
            phase = ph + 1;
            for (int w = 0; w < size; w++) if (threads[w] != Thread.currentThread()) LockSupport.unpark(threads[w]);
        } else {
            long start = System.nanoTime();
            boolean interrupted = false;
            while (phase == ph && !broken) interrupted |= idle(System.nanoTime() - start);
            if (interrupted) Thread.currentThread().interrupt();
        }
        if (broken) throw BROKEN;
    }

    private void runPart(Task t, int w) {
        try {
            t.run(w);
        } catch (Broken b) {
            // left a broken region; the failure that broke it is reported
        } catch (Throwable e) {
            synchronized (this) {
                if (failure == null) failure = e;
                else if (failure != e) failure.addSuppressed(e);
            }
            broken = true;
            for (int i = 0; i < size; i++) if (threads[i] != null && threads[i] != Thread.currentThread()) LockSupport.unpark(threads[i]);
        }
    }

    private void work(int w) {
        int seen = 0;
        long idleSince = System.nanoTime();
        while (!closed) {
            if (generation == seen) {
                long waited = System.nanoTime() - idleSince;
                if (waited < SPIN_NS) idle(waited);
                else {
                    LockSupport.park(this);
                    Thread.interrupted(); // an interrupt must not turn parking into a busy loop
                }
                continue;
            }
            seen = generation;
            runPart(task, w);
            idleSince = System.nanoTime();
            if (pending.decrementAndGet() == 0) LockSupport.unpark(threads[0]);
        }
    }

    /** Stops the workers (they exit when idle); a later {@link #run} is refused. */
    @Override public void close() {
        closed = true;
        for (int w = 1; w < size; w++) LockSupport.unpark(threads[w]);
    }
}
