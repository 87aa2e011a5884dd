package org.rmsprop4j.optim;

/** Where RMSprop adds {@code eps} to the denominator. */
public enum EpsPlacement {
    /** {@code sqrt(v) + eps}: PyTorch, DL4J, Tribuo, Caffe, MXNet 2. */
    OUTSIDE,
    /** {@code sqrt(v + eps)}: Keras, TF1, Optax (default), MXNet 1, Lasagne, DQN, Graves, the seed article. */
    INSIDE
}
