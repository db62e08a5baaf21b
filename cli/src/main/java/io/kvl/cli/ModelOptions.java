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
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--intra-op-threads",
            defaultValue = "0",
            description = "Threads inside one TensorFlow kernel; 0 = all cores.")
    int intraOpThreads;

    @Option(
            names = "--inter-op-threads",
            defaultValue = "0",
            description = "TensorFlow kernels run concurrently; 0 = TensorFlow's default.")
    int interOpThreads;

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            description =
                    "fp32 or bf16 (oneDNN bfloat16 rewrite; needs AVX512-BF16 or AMX)"
                            + " (default: ${DEFAULT-VALUE}).")
    String precision;

    Path modelDirectory() {
        return model != null ? model : DefaultModel.ensureExported();
    }

    RuntimeOptions runtimeOptions() {
        return new RuntimeOptions(
                DeviceChoice.parse(device),
                intraOpThreads,
                interOpThreads,
                RuntimeOptions.Precision.parse(precision));
    }

    EfficientNetModel load() throws IOException {
        return EfficientNetModel.load(modelDirectory(), runtimeOptions());
    }
}
