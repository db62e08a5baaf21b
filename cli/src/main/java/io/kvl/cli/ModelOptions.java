package io.kvl.cli;

import io.kvl.efficientnet.pretrained.DefaultModel;
import io.kvl.efficientnet.runtime.DeviceChoice;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Mixin: which exported model to load and where to run it. */
final class ModelOptions {
    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "SavedModel directory from 'kvl export' (default: the bundled"
                            + " EfficientNet-Lite0 ImageNet model).")
    Path model;

    @Option(
            names = "--engine",
            defaultValue = "auto",
            description =
                    "auto, tensorflow or onnxruntime; auto measures both at load and keeps the"
                            + " faster (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--intra-op-threads",
            defaultValue = "0",
            description = "Threads inside one kernel; 0 = all cores.")
    int intraOpThreads;

    @Option(
            names = "--inter-op-threads",
            defaultValue = "0",
            description = "Kernels run concurrently; 0 = the engine's default.")
    int interOpThreads;

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            description =
                    "fp32, bf16 (TensorFlow's oneDNN bfloat16 rewrite; needs AVX512-BF16 or AMX)"
                            + " or int8 (ONNX Runtime, the model 'kvl quantize' wrote)"
                            + " (default: ${DEFAULT-VALUE}).")
    String precision;

    Path modelDirectory() {
        return model != null ? model : DefaultModel.ensureExported();
    }

    RuntimeOptions runtimeOptions() {
        return new RuntimeOptions(
                RuntimeOptions.ModelEngine.parse(engine),
                DeviceChoice.parse(device),
                intraOpThreads,
                interOpThreads,
                RuntimeOptions.Precision.parse(precision));
    }

    EfficientNetModel load() throws IOException {
        return EfficientNetModel.load(modelDirectory(), runtimeOptions());
    }
}
