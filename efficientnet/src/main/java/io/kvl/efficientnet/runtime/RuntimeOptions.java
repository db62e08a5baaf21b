package io.kvl.efficientnet.runtime;

import java.util.Arrays;
import java.util.Locale;

/**
 * How to run a model.
 *
 * @param engine which inference engine: auto, tensorflow or onnxruntime
 * @param device where: auto, cpu, gpu:N
 * @param intraOpThreads threads inside one kernel, 0 for the engine's default (all cores)
 * @param interOpThreads kernels run concurrently, 0 for the engine's default
 * @param precision arithmetic of convolutions and matrix products
 */
public record RuntimeOptions(
        ModelEngine engine,
        DeviceChoice device,
        int intraOpThreads,
        int interOpThreads,
        Precision precision) {

    /** The inference engine behind the predictor. */
    public enum ModelEngine {
        /**
         * ONNX Runtime when the precision needs it (int8), TensorFlow when it needs it (bf16),
         * otherwise whichever runs the model faster on this machine, measured at load.
         */
        AUTO,
        /** DJL's TensorFlow engine on the SavedModel. */
        TENSORFLOW,
        /** DJL's ONNX Runtime engine on {@code model.onnx} or {@code model-int8.onnx}. */
        ONNXRUNTIME;

        public static ModelEngine parse(String text) {
            return RuntimeOptions.parse(ModelEngine.class, text, "engine");
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Arithmetic of the heavy kernels. */
    public enum Precision {
        /** IEEE float32 everywhere. */
        FP32,
        /**
         * TensorFlow only: oneDNN's automatic bfloat16 rewrite (grappler {@code
         * auto_mixed_precision_onednn_bfloat16}): convolutions and matrix products in bfloat16 with
         * float32 accumulation, where the CPU has AVX512-BF16 or AMX; elsewhere TensorFlow emulates
         * it slowly.
         */
        BF16,
        /**
         * ONNX Runtime only: the post-training statically quantized model ({@code model-int8.onnx},
         * uint8 activations, int8 weights per channel); see {@code kvl quantize}.
         */
        INT8;

        public static Precision parse(String text) {
            return RuntimeOptions.parse(Precision.class, text, "precision");
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RuntimeOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0");
        }
        if (engine == ModelEngine.TENSORFLOW && precision == Precision.INT8) {
            throw new IllegalArgumentException(
                    "precision int8 runs on ONNX Runtime: use engine onnxruntime or auto");
        }
        if (engine == ModelEngine.ONNXRUNTIME && precision == Precision.BF16) {
            throw new IllegalArgumentException(
                    "precision bf16 is TensorFlow's oneDNN rewrite: use engine tensorflow or auto");
        }
    }

    /** Auto engine and device, the engines' thread defaults, float32. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(
                ModelEngine.AUTO, DeviceChoice.parse("auto"), 0, 0, Precision.FP32);
    }

    /** These options with another engine. */
    public RuntimeOptions withEngine(ModelEngine other) {
        return new RuntimeOptions(other, device, intraOpThreads, interOpThreads, precision);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid "
                            + what
                            + " '"
                            + text
                            + "': expected one of "
                            + Arrays.stream(type.getEnumConstants())
                                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                                    .toList(),
                    e);
        }
    }
}
