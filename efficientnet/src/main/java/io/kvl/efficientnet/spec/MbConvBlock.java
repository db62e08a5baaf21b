package io.kvl.efficientnet.spec;

/**
 * One concrete mobile inverted bottleneck block after scaling.
 *
 * @param index position in the network, 0-based, as in the official {@code blocks_N} scope
 * @param inputChannels channels entering the block
 * @param expandedChannels channels after the 1x1 expansion (equal to input when the ratio is 1)
 * @param outputChannels channels after the 1x1 projection
 * @param kernel depthwise kernel size
 * @param stride depthwise stride
 * @param seChannels squeeze-excitation bottleneck width, 0 without squeeze-excitation
 * @param inputSize spatial size entering the block
 */
public record MbConvBlock(
        int index,
        int inputChannels,
        int expandedChannels,
        int outputChannels,
        int kernel,
        int stride,
        int seChannels,
        int inputSize) {

    public boolean hasExpansion() {
        return expandedChannels != inputChannels;
    }

    public boolean hasSqueezeExcitation() {
        return seChannels > 0;
    }

    /** Identity skip: only when the block keeps both shape and channel count. */
    public boolean hasSkip() {
        return stride == 1 && inputChannels == outputChannels;
    }

    /** Spatial size after the block, as TensorFlow's SAME padding gives it. */
    public int outputSize() {
        return ceilDiv(inputSize, stride);
    }

    /** The official variable scope of this block, e.g. {@code blocks_3}. */
    public String scope() {
        return "blocks_" + index;
    }

    // The official Keras layers are named by creation order: the expansion conv, when present,
    // takes "conv2d" and the first batch norm, shifting the names of everything after it.

    public String expandConv() {
        return scope() + "/conv2d";
    }

    public String expandNorm() {
        return scope() + "/tpu_batch_normalization";
    }

    public String depthwiseConv() {
        return scope() + "/depthwise_conv2d";
    }

    public String depthwiseNorm() {
        return scope()
                + (hasExpansion() ? "/tpu_batch_normalization_1" : "/tpu_batch_normalization");
    }

    public String seReduce() {
        return scope() + "/se/conv2d";
    }

    public String seExpand() {
        return scope() + "/se/conv2d_1";
    }

    public String projectConv() {
        return scope() + (hasExpansion() ? "/conv2d_1" : "/conv2d");
    }

    public String projectNorm() {
        return scope()
                + (hasExpansion() ? "/tpu_batch_normalization_2" : "/tpu_batch_normalization_1");
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
