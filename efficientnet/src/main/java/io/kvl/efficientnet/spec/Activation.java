package io.kvl.efficientnet.spec;

/** Non-linearity used after the stem, expansion, depthwise and head convolutions. */
public enum Activation {
    /** {@code x * sigmoid(x)}: EfficientNet B0-B7. */
    SWISH,
    /** {@code min(max(x, 0), 6)}: EfficientNet-Lite, friendlier to quantization. */
    RELU6
}
