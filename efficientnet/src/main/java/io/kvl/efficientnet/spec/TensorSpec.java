package io.kvl.efficientnet.spec;

import java.util.Arrays;

/**
 * A named parameter tensor of the network, in TensorFlow layout (HWIO kernels, {@code [k,k,C,1]}
 * depthwise kernels, {@code [in,out]} dense kernels).
 *
 * @param name official checkpoint name without the model prefix, e.g. {@code
 *     blocks_0/conv2d/kernel}
 * @param shape dimensions
 * @param trainable false for batch-norm moving statistics
 */
public record TensorSpec(String name, long[] shape, boolean trainable) {

    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t
                && name.equals(t.name)
                && trainable == t.trainable
                && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
