package org.rmsprop4j.train.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pull passes' line touches ({@link Mlp#pullLines}, {@link Mlp#claimLines}): which elements they read and write. */
class MlpPullTest {
    @Test
    void pullLinesSumsOneElementPerLineAndTheLastOfEachRowOfTheRange() {
        // rows of 40 floats: elements 0, 16, 32 and 39 are touched; each holds a distinct power of two's bits, the rest a value
        // whose bits would show in the sum
        float[][] rows = new float[4][40];
        for (float[] r : rows) java.util.Arrays.fill(r, Float.intBitsToFloat(1 << 20));
        int expected = 0;
        for (int q = 1; q < 3; q++) {
            int[] at = {0, 16, 32, 39};
            for (int k = 0; k < at.length; k++) {
                int bits = 1 << (4 * q + k);
                rows[q][at[k]] = Float.intBitsToFloat(bits);
                expected += bits;
            }
        }
        assertThat(Mlp.pullLines(rows, 1, 3, 40)).isEqualTo(expected);
        assertThat(Mlp.pullLines(rows, 2, 2, 40)).isZero();
    }

    @Test
    void claimLinesZeroesOnlyOneElementPerLineAndTheLastOfEachRowOfTheRange() {
        float[][] rows = new float[3][33];
        for (float[] r : rows) java.util.Arrays.fill(r, 5f);
        Mlp.claimLines(rows, 1, 2, 33);
        for (int q = 0; q < 3; q++) {
            for (int k = 0; k < 33; k++) {
                boolean claimed = q == 1 && (k % 16 == 0 || k == 32);
                assertThat(rows[q][k]).as("row %d element %d", q, k).isEqualTo(claimed ? 0f : 5f);
            }
        }
    }
}
