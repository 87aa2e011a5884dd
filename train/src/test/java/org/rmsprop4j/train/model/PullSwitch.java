package org.rmsprop4j.train.model;

/** Lets tests outside this package turn the MLP's pull passes ({@link Mlp#pull}) on and off; returns the previous setting. */
public final class PullSwitch {
    private PullSwitch() {}

    public static boolean set(boolean on) {
        boolean before = Mlp.pull;
        Mlp.pull = on;
        return before;
    }

    /** {@link Mlp#pullSwitch}: the value of {@code -Drmsprop4j.train.pull}. */
    public static boolean parse(String raw) {
        return Mlp.pullSwitch(raw);
    }
}
