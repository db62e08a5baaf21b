package io.kvl.efficientnet.weights;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order.
 *
 * @param shape dimensions
 * @param data values, {@code product(shape)} of them
 */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + n
                            + " values, got "
                            + data.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t
                && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
