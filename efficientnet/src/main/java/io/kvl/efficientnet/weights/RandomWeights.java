package io.kvl.efficientnet.weights;

import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.TensorSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic He-normal initialization for architectures without pretrained weights (useful for
 * export, speed and plumbing tests; the labels are meaningless). Batch norm starts as identity.
 */
public final class RandomWeights {
    private RandomWeights() {}

    public static ModelWeights create(Architecture arch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        for (TensorSpec spec : arch.parameters()) {
            float[] data = new float[Math.toIntExact(spec.size())];
            String name = spec.name();
            if (name.endsWith("/gamma") || name.endsWith("/moving_variance")) {
                java.util.Arrays.fill(data, 1f);
            } else if (name.endsWith("kernel")) {
                long[] s = spec.shape();
                // fan-in: k*k*in for convolutions, k*k for depthwise, in for dense
                long fanIn =
                        name.endsWith("depthwise_kernel")
                                ? s[0] * s[1]
                                : spec.size() / s[s.length - 1];
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (random.nextGaussian() * std);
                }
            }
            tensors.put(name, new FloatTensor(spec.shape(), data));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelWeights.SOURCE, "random (seed " + seed + ")");
        meta.put(ModelWeights.VARIANT, arch.variant().name());
        return new ModelWeights(tensors, meta);
    }
}
