package io.kvl.efficientnet.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kvl.efficientnet.weights.FloatTensor;
import io.kvl.efficientnet.weights.ModelWeights;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {

    private static ModelWeights norm(float[] gamma, float[] beta, float[] mean, float[] var) {
        long[] s = {gamma.length};
        return new ModelWeights(
                Map.of(
                        "bn/gamma", new FloatTensor(s, gamma),
                        "bn/beta", new FloatTensor(s, beta),
                        "bn/moving_mean", new FloatTensor(s, mean),
                        "bn/moving_variance", new FloatTensor(s, var)),
                Map.of());
    }

    @Test
    void shouldMatchConvolutionFollowedByBatchNorm() {
        // 1x1 conv, 2 inputs -> 2 outputs, HWIO: k[0][0][in][out]
        float[] k = {1f, 2f, 3f, 4f};
        ModelWeights w =
                norm(
                        new float[] {2f, 0.5f},
                        new float[] {1f, -1f},
                        new float[] {0.5f, 3f},
                        new float[] {4f, 1f});
        BatchNormFolding.Folded f =
                BatchNormFolding.fold(new FloatTensor(new long[] {1, 1, 2, 2}, k), w, "bn", 1e-3);
        float[] x = {0.7f, -1.3f};
        for (int o = 0; o < 2; o++) {
            double conv = x[0] * k[o] + x[1] * k[2 + o];
            double[] gamma = {2, 0.5};
            double[] beta = {1, -1};
            double[] mean = {0.5, 3};
            double[] var = {4, 1};
            double expected = gamma[o] * (conv - mean[o]) / Math.sqrt(var[o] + 1e-3) + beta[o];
            double folded =
                    x[0] * f.kernel().data()[o]
                            + x[1] * f.kernel().data()[2 + o]
                            + f.bias().data()[o];
            assertThat(folded).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void shouldScaleDepthwiseKernelsPerChannel() {
        float[] k = new float[3 * 3 * 2];
        java.util.Arrays.fill(k, 1f);
        ModelWeights w =
                norm(
                        new float[] {1f, 3f},
                        new float[] {0f, 0f},
                        new float[] {0f, 0f},
                        new float[] {1f, 1f});
        BatchNormFolding.Folded f =
                BatchNormFolding.fold(new FloatTensor(new long[] {3, 3, 2, 1}, k), w, "bn", 0);
        for (int i = 0; i < k.length; i++) {
            assertThat(f.kernel().data()[i]).isEqualTo(i % 2 == 0 ? 1f : 3f);
        }
    }
}
