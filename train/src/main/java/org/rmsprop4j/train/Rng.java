package org.rmsprop4j.train;

/**
 * A small seeded random number generator (SplitMix64, Steele, Lea &amp; Flood 2014) whose whole state
 * is one {@code long}, so that a checkpoint can save it and a resumed run continues the same stream.
 * Not thread-safe; not for cryptography.
 */
public final class Rng {
    private long state;

    /** A generator started from {@code seed}; equal seeds give equal streams on every JVM. */
    public Rng(long seed) { this.state = seed; }

    /** The whole state; {@link #setState} with it continues the stream from here. */
    public long state() { return state; }

    /** Restores a state returned by {@link #state()}. */
    public void setState(long state) { this.state = state; }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A double uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** An int uniform in {@code [0, bound)}, without modulo bias (Lemire's method with rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be > 0, got " + bound);
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long t = (0x1_0000_0000L - bound) % bound;
            while (low < t) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Shuffles {@code a} in place (Fisher–Yates, from the end). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
