package io.kvl.efficientnet.graph;

import io.kvl.efficientnet.weights.FloatTensor;
import io.kvl.efficientnet.weights.ModelWeights;

/**
 * Folds inference-time batch norm into the preceding convolution: {@code scale = gamma / sqrt(var +
 * eps)}, {@code kernel' = kernel * scale} per output channel, {@code bias' = beta - mean * scale}.
 * The graph then runs Conv + BiasAdd, which oneDNN fuses with the activation; a FusedBatchNorm fed
 * by variables measured 3-4x slower on CPU.
 */
final class BatchNormFolding {
    private BatchNormFolding() {}

    /** Kernel and bias of one folded layer. */
    record Folded(FloatTensor kernel, FloatTensor bias) {}

    /**
     * @param kernel HWIO kernel ({@code [k,k,in,out]}) or depthwise kernel ({@code [k,k,C,1]})
     * @param normScope scope holding gamma, beta, moving_mean, moving_variance
     */
    static Folded fold(FloatTensor kernel, ModelWeights w, String normScope, double epsilon) {
        float[] gamma = w.get(normScope + "/gamma").data();
        float[] beta = w.get(normScope + "/beta").data();
        float[] mean = w.get(normScope + "/moving_mean").data();
        float[] var = w.get(normScope + "/moving_variance").data();
        int channels = gamma.length;
        long[] shape = kernel.shape();
        boolean depthwise = shape[3] == 1 && shape[2] == channels && channels != 1;
        int outputs = (int) (depthwise ? shape[2] : shape[3]);
        if (outputs != channels) {
            throw new IllegalArgumentException(
                    normScope + " has " + channels + " channels, kernel has " + outputs);
        }
        double[] scale = new double[channels];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = gamma[c] / Math.sqrt(var[c] + epsilon);
            bias[c] = (float) (beta[c] - mean[c] * scale[c]);
        }
        float[] src = kernel.data();
        float[] dst = new float[src.length];
        // In both layouts ([k,k,in,out] and [k,k,C,1]) the scaled channel varies fastest.
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) (src[i] * scale[i % channels]);
        }
        return new Folded(
                new FloatTensor(shape, dst), new FloatTensor(new long[] {channels}, bias));
    }
}
