package io.kvl.efficientnet.graph;

/** How convolutions pad their input; must match how the weights were trained. */
public enum Padding {
    /** TensorFlow's SAME: extra row/column at the bottom/right for strided layers (official). */
    SAME,
    /** {@code k/2} on every side, as PyTorch ports without static-same padding do. */
    SYMMETRIC
}
