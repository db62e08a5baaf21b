package io.kvl.efficientnet.graph;

/**
 * What INT8 calibration measured of one activation: its range, which sets the quantization scale,
 * and its mean per channel, which bias correction uses to cancel the shift that rounding the next
 * convolution's weights introduces (Nagel et al., "Data-Free Quantization", 2019).
 *
 * @param min smallest value seen
 * @param max largest value seen
 * @param channelMeans mean per channel (NCHW axis 1) over all calibration images and positions
 */
public record ActivationStats(float min, float max, float[] channelMeans) {
    /** The same statistics with the range scaled by {@code factor} (tests plant bad ranges). */
    public ActivationStats scaled(float factor) {
        return new ActivationStats(min * factor, max * factor, channelMeans);
    }
}
