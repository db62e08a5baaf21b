package io.kvl.efficientnet.runtime;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;

/**
 * The process's one ONNX Runtime environment, created through DJL. DJL's engine creates it with
 * threading options and fails when anything created it first, so code that uses ONNX Runtime
 * directly (calibration) must get it here.
 */
public final class OnnxRuntimeEnvironment {
    /** DJL's name of the engine. */
    static final String ENGINE = "OnnxRuntime";

    private static final String DISABLE_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

    private OnnxRuntimeEnvironment() {}

    /** DJL's ONNX Runtime engine, initialized without borrowing another engine. */
    static Engine engine() {
        // DJL's ONNX Runtime engine otherwise borrows the default engine (TensorFlow here) for
        // NDArray operations ONNX Runtime lacks, initializing it, and DJL's TensorFlow engine
        // downloads natives when they are not loaded yet. The predictor needs none of those.
        if (System.getProperty(DISABLE_ALTERNATIVE) == null) {
            System.setProperty(DISABLE_ALTERNATIVE, "true");
        }
        return Engine.getEngine(ENGINE);
    }

    /** The environment, created by DJL's engine on first use. */
    public static OrtEnvironment get() {
        engine();
        return OrtEnvironment.getEnvironment();
    }
}
