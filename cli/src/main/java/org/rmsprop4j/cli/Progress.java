package org.rmsprop4j.cli;

import java.io.PrintWriter;

/**
 * Progress lines on stderr for work that may take a while: nothing during the first second, then
 * at most one line every half second, and a closing line if anything was shown. Lines, not a
 * redrawn bar, so logs in CI stay readable.
 */
final class Progress {
    private final PrintWriter err;
    private final String what;
    private final long start = System.nanoTime();
    private long lastShown;
    private boolean shown;

    Progress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
    }

    /** Reports {@code done} of {@code total} units. */
    void update(int done, int total) {
        long now = System.nanoTime();
        if (now - start < 1_000_000_000L || now - lastShown < 500_000_000L) return;
        lastShown = now;
        shown = true;
        err.printf("%s: %d/%d (%d%%)%n", what, done, total, Math.round(100.0 * done / Math.max(1, total)));
        err.flush();
    }

    /** Closes the report with the elapsed time, if progress was shown. */
    void done() {
        if (shown) {
            err.printf("%s: done in %.1f s%n", what, (System.nanoTime() - start) / 1e9);
            err.flush();
        }
    }
}
