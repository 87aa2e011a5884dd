package org.rmsprop4j.train.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Gemm32DivideTest {

    @Test
    void divideGivesTheBitsOfTheQuotientForEveryDivisorKind() {
        float[] divisors = {64f, 1f, 2f, 0.5f, 0x1p-126f, 0x1p127f, 0x1p-127f, 3f, 50f, 1e-40f, -64f, 0f, -0f,
                Float.POSITIVE_INFINITY, Float.NaN, Float.MAX_VALUE};
        SplittableRandom r = new SplittableRandom(15);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1.5f * Float.MIN_NORMAL, 3 * Float.MIN_VALUE,
                Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -7f};
        int n = 4096;
        for (float d : divisors) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = i < special.length ? special[i] : Float.intBitsToFloat(r.nextInt()); // every exponent, subnormals too
            float[] want = new float[n];
            for (int i = 0; i < n; i++) want[i] = v[i] / d;
            Gemm32.divide(v, n, d);
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(want[i])) assertThat(v[i]).as("element %d / %s", i, d).isNaN();
                else assertThat(Float.floatToRawIntBits(v[i])).as("element %d / %s", i, d).isEqualTo(Float.floatToRawIntBits(want[i]));
            }
        }
    }
}
