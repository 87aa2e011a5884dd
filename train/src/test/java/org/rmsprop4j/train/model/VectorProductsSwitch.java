package org.rmsprop4j.train.model;

/** Lets tests outside this package run the MLP's scalar loops ({@link Gemm32#vectorProducts}); returns the previous setting. */
public final class VectorProductsSwitch {
    private VectorProductsSwitch() {}

    public static boolean set(boolean on) {
        boolean before = Gemm32.vectorProducts;
        Gemm32.vectorProducts = on && Gemm32.vectorAvailable();
        return before;
    }
}
