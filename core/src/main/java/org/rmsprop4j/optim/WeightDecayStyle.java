package org.rmsprop4j.optim;

/** How weight decay {@code λ} enters a step. */
public enum WeightDecayStyle {
    /** Coupled L2 (PyTorch, Caffe, MXNet): {@code g ← g + λ·p} before anything else. */
    L2,
    /** Decoupled and learning-rate scaled, before the step (Keras 3, AdamW): {@code p ← p − (p·λ)·lr}. */
    DECOUPLED
}
