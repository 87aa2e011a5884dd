package org.rmsprop4j.sim;

import java.util.List;
import java.util.Objects;

/**
 * Several optimizers run on one surface from one start for the same number of steps: what a race
 * figure draws. Immutable.
 *
 * @param surface      the surface
 * @param start        the common start point
 * @param steps        the requested number of steps (trajectories that stopped early are shorter)
 * @param trajectories one per contender, in the contenders' order
 */
public record Race(Surface surface, Surface.Point start, int steps, List<Trajectory> trajectories) {
    public Race {
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(start, "start");
        trajectories = List.copyOf(trajectories);
    }

    /** The number of frames of the longest trajectory. */
    public int maxFrames() {
        int m = 0;
        for (Trajectory t : trajectories) m = Math.max(m, t.frames());
        return m;
    }
}
