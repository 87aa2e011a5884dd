package org.rmsprop4j.train.fuzz;

import org.rmsprop4j.train.data.Dataset;

/** What a data set that a loader accepted must satisfy. */
final class Invariants {
    private Invariants() {}

    static void check(Dataset d) {
        if (d.size() < 1) throw new IllegalStateException("accepted a data set without rows");
        if (d.features() < 1) throw new IllegalStateException("accepted " + d.features() + " features");
        if (d.classes() < 2) throw new IllegalStateException("accepted " + d.classes() + " classes");
        if (d.x().length != (long) d.size() * d.features()) throw new IllegalStateException("x has " + d.x().length + " values");
        for (int y : d.y()) if (y < 0 || y >= d.classes()) throw new IllegalStateException("label " + y + " of " + d.classes() + " classes");
        for (float v : d.x()) if (!Float.isFinite(v)) throw new IllegalStateException("accepted a non-finite feature " + v);
    }
}
