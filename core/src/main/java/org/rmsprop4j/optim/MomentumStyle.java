package org.rmsprop4j.optim;

/**
 * Where the learning rate enters the momentum buffer. Both give the same trajectory while the
 * learning rate is constant and differ as soon as it changes (a schedule).
 */
public enum MomentumStyle {
    /** PyTorch: {@code b = m*b + g/d; p -= lr*b}. A new learning rate rescales the whole buffer at once. */
    LR_OUTSIDE,
    /** TF1, Keras, Optax, Graves: {@code b = m*b + lr*g/d; p -= b}. Past steps keep the rate they were taken with. */
    LR_INSIDE
}
