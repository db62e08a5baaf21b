package io.kvl.efficientnet.runtime;

import java.util.Locale;

/**
 * How to run a model.
 *
 * @param device where: auto, cpu, gpu:N
 * @param intraOpThreads threads inside one kernel, 0 for TensorFlow's default (all cores)
 * @param interOpThreads kernels run concurrently, 0 for TensorFlow's default
 * @param precision arithmetic of convolutions and matrix products
 */
public record RuntimeOptions(
        DeviceChoice device, int intraOpThreads, int interOpThreads, Precision precision) {

    /** Arithmetic of the heavy kernels. */
    public enum Precision {
        /** IEEE float32 everywhere. */
        FP32,
        /**
         * oneDNN's automatic bfloat16 rewrite (grappler {@code
         * auto_mixed_precision_onednn_bfloat16}): convolutions and matrix products in bfloat16 with
         * float32 accumulation, where the CPU has AVX512-BF16 or AMX; elsewhere TensorFlow emulates
         * it slowly.
         */
        BF16;

        public static Precision parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "invalid precision '" + text + "': expected fp32 or bf16", e);
            }
        }
    }

    public RuntimeOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0");
        }
    }

    /** Auto device, TensorFlow's thread defaults, float32. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(DeviceChoice.parse("auto"), 0, 0, Precision.FP32);
    }
}
