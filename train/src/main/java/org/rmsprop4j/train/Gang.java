package org.rmsprop4j.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A trainer's persistent threads: the caller and {@code size − 1} daemon workers run one task together
 * (a <em>region</em>, {@link #run}), so that a batch of the fused path costs one hand-off to the workers
 * instead of one pool round trip per phase. Inside a region the threads take work items from shared
 * counters, and a phase that needs the previous one complete waits for its count of finished items
 * ({@link #await}), never for the other threads themselves: a worker that is slow to wake (or that the
 * system has descheduled) does not hold the caller up, the caller just takes more of the items.
 *
 * <h2>Joining</h2> A worker joins a region only if it starts before the caller has finished its own part;
 * by then every item has been taken, so the caller withdraws a worker that has not started (as
 * {@code ChunkPool} does) instead of waiting for its wake-up. A worker that has joined is waited for.
 *
 * <h2>Waiting</h2> A waiting thread spins with {@link Thread#onSpinWait()} for up to {@link #SPIN_NS},
 * then parks. The spin covers the short serial part between two regions (the optimizer step, about
 * 40 µs here), so back-to-back batches do not pay a wake-up, and no thread spins longer than that
 * before parking. Yielding instead of spinning (as {@code ChunkPool}'s caller does after 2 µs) measured
 * worse: at a load average of 10 it gave the core away for whole time slices (0.31 s per epoch against
 * 0.12 s, the same CPU time).
 *
 * <h2>Failures</h2> A task that throws breaks the region: the threads waiting in {@link #await} leave it
 * ({@link Broken} is thrown to them), the region ends when every joined thread has left it, and
 * {@link #run} rethrows the first failure. The gang is then ready for the next region.
 *
 * <p>Results never depend on which thread runs what: every item is computed the same way whoever takes
 * it. One caller at a time; not reentrant.
 */
final class Gang implements AutoCloseable {

    /** A region's work for thread {@code w} ({@code 0} is the caller). */
    interface Task {
        void run(int w);
    }

    /** How long a waiting thread spins before it parks (nanoseconds); {@code -Drmsprop4j.train.spinMicros=N}. */
    static final long SPIN_NS = 1000L * Long.getLong("rmsprop4j.train.spinMicros", 50L);

    /** Thrown to the threads still in a region that another thread's failure has broken. */
    static final class Broken extends RuntimeException {
        Broken() { super("another thread of the region failed", null, false, false); }
    }

    private static final Broken BROKEN = new Broken();
    private static final int IDLE = 0, ASSIGNED = 1, RUNNING = 2; // ASSIGNED must stay the only odd one (run's withdrawal)

    private final int size;
    private final Thread[] threads;          // [0] is the caller of the region in progress
    private final AtomicIntegerArray state;  // per worker: IDLE, ASSIGNED (by the caller), RUNNING (joined); ASSIGNED → RUNNING or → IDLE by CAS
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean broken;
    private volatile boolean closed;
    private volatile Throwable failure;
    private Task task;                       // published by the volatile writes of state
    /** {@link Trainer#STABLE_BRANCHES} for the caller's withdrawal loop; set by the caller only (Trainer.stableBranches). */
    boolean stableBranches = Trainer.STABLE_BRANCHES;

    Gang(int size, String name) {
        if (size < 2) throw new IllegalArgumentException("a gang has at least 2 threads, not " + size);
        this.size = size;
        threads = new Thread[size];
        state = new AtomicIntegerArray(size);
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

    /**
     * Runs {@code t.run(w)} on the caller ({@code w = 0}) and on every worker that joins in time (see the class
     * comment); returns when all of them are done. The task must leave no work untaken when the caller's part returns.
     */
    void run(Task t) {
        if (closed) throw new IllegalStateException("the trainer's threads are stopped (closed)");
        threads[0] = Thread.currentThread();
        task = t;
        failure = null;
        broken = false;
        pending.set(size - 1);
        for (int w = 1; w < size; w++) {
            state.set(w, ASSIGNED); // publishes the fields above
            LockSupport.unpark(threads[w]);
        }
        runPart(t, 0);
        if (stableBranches) { // no branch on the rare outcome (see Trainer.STABLE_BRANCHES): ASSIGNED is the only odd state
            for (int w = 1; w < size; w++) pending.addAndGet(-(state.compareAndExchange(w, ASSIGNED, IDLE) & 1)); // ASSIGNED: too late, withdrawn
        } else {
            for (int w = 1; w < size; w++) if (state.compareAndSet(w, ASSIGNED, IDLE)) pending.decrementAndGet(); // too late: withdrawn
        }
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
     * Inside a region: waits until {@code done} has reached {@code total} (the items of a phase, counted as they finish);
     * throws {@link Broken} when a failure has broken the region.
     */
    void await(AtomicInteger done, int total) {
        if (done.get() >= total) return;
        long start = System.nanoTime();
        boolean interrupted = false;
        while (done.get() < total && !broken) interrupted |= idle(System.nanoTime() - start);
        if (interrupted) Thread.currentThread().interrupt();
        if (done.get() < total) throw BROKEN;
    }

    /** Inside a region: waits until {@code flags[i]} is non-zero (an item another thread has taken is done); throws {@link Broken} as {@link #await}. */
    void awaitFlag(AtomicIntegerArray flags, int i) {
        if (flags.get(i) != 0) return;
        long start = System.nanoTime();
        boolean interrupted = false;
        while (flags.get(i) == 0 && !broken) interrupted |= idle(System.nanoTime() - start);
        if (interrupted) Thread.currentThread().interrupt();
        if (flags.get(i) == 0) throw BROKEN;
    }

    /**
     * One round of a wait that started {@code waited} nanoseconds ago: a pause instruction, or a short park. Returns true
     * when it cleared the thread's interrupt (which must not turn parking into a busy loop); the waiter re-asserts it.
     */
    private boolean idle(long waited) {
        if (waited < SPIN_NS) Thread.onSpinWait();
        else {
            LockSupport.parkNanos(this, 50_000L);
            return Thread.interrupted();
        }
        return false;
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
        }
    }

    private void work(int w) {
        long idleSince = System.nanoTime();
        while (!closed) {
            int v = state.get(w);
            if (v == ASSIGNED) v = state.compareAndExchange(w, ASSIGNED, RUNNING); // one branch below on the merged result
            if (v != ASSIGNED) {
                long waited = System.nanoTime() - idleSince;
                if (waited < SPIN_NS) Thread.onSpinWait();
                else {
                    LockSupport.park(this);
                    Thread.interrupted(); // an interrupt must not turn parking into a busy loop
                    idleSince = System.nanoTime(); // woken, usually for a region: spin again before the next park
                }
                continue;
            }
            runPart(task, w);
            state.set(w, IDLE);
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
