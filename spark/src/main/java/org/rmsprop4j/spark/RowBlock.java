package org.rmsprop4j.spark;

import java.io.Serializable;

/**
 * Consecutive rows {@code start .. start+size()-1} of a distributed data set: features row-major in
 * {@code x}, labels in {@code y}. Immutable by contract, as {@link org.rmsprop4j.train.data.Dataset}.
 */
public final class RowBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int start;
    final int features;
    final float[] x;
    final int[] y;

    RowBlock(int start, int features, float[] x, int[] y) {
        if ((long) y.length * features != x.length) {
            throw new IllegalArgumentException("x.length must be labels (" + y.length + ") x features (" + features + "), got " + x.length);
        }
        this.start = start;
        this.features = features;
        this.x = x;
        this.y = y;
    }

    /** Index of the first row in the whole data set. */
    public int start() { return start; }

    /** Rows in this block. */
    public int size() { return y.length; }

    /** One row with its index in the whole data set, as moved between partitions. */
    static final class Row implements Serializable {
        private static final long serialVersionUID = 1L;
        final int index;
        final float[] x;
        final int y;

        Row(int index, float[] x, int y) {
            this.index = index;
            this.x = x;
            this.y = y;
        }
    }
}
