package io.kvl.cli;

import io.kvl.efficientnet.graph.InputNormalization;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.graph.Padding;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.ModelVariant;
import io.kvl.efficientnet.weights.ModelWeights;
import io.kvl.efficientnet.weights.RandomWeights;
import io.kvl.efficientnet.weights.WeightsFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kvl export}: write a SavedModel and the same network as ONNX for any variant, with
 * imported or random weights; optionally the INT8 ONNX model too.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Export an EfficientNet as a TensorFlow SavedModel (tag serve, signature"
                        + " serving_default, uint8 RGB in, probabilities out) and as ONNX"
                        + " (model.onnx, same input and output).")
final class ExportCommand implements Callable<Integer> {
    @Mixin VariantOptions variantOptions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description =
                    "A .safetensors file (see tools/) or an official TF checkpoint prefix"
                            + " (model.ckpt). Without it the weights are random (seed 0).")
    Path weights;

    @Option(names = "--name", description = "Model name recorded in kvl-model.json.")
    String name;

    @Option(names = "--model-version", defaultValue = "1", description = "Version recorded.")
    String version;

    @Option(
            names = "--int8-calibration",
            paramLabel = "PATH",
            split = ",",
            description =
                    "Also write model-int8.onnx, calibrated on these photos, clips or directories"
                            + " of them (see 'kvl quantize').")
    List<Path> calibration;

    @Option(
            names = "--calibration-images",
            defaultValue = QuantizeCommand.DEFAULT_IMAGES,
            description = "Most calibration images (default: ${DEFAULT-VALUE}).")
    int calibrationImages;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelVariant variant = variantOptions.resolve();
        Architecture arch = Architecture.of(variant);
        ModelWeights w =
                weights == null ? RandomWeights.create(arch, 0) : WeightsFiles.load(weights, arch);
        InputNormalization norm =
                InputNormalization.fromMetadata(
                        w.metadata(),
                        variant.lite() ? InputNormalization.LITE : InputNormalization.IMAGENET);
        Padding padding =
                Padding.valueOf(
                        w.metadata().getOrDefault("padding", "same").toUpperCase(Locale.ROOT));
        String modelName =
                name != null ? name : variant.name() + (weights == null ? "-random" : "-imported");
        SavedModelExport.Request request =
                new SavedModelExport.Request(arch, w, norm, padding, modelName, version);
        ModelInfo info = SavedModelExport.export(request, out);
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "exported %s (%s, %dx%d, weights: %s) to %s%n",
                        info.name(),
                        info.variant(),
                        info.resolution(),
                        info.resolution(),
                        info.weightsSource(),
                        out);
        if (calibration != null) {
            QuantizeCommand.quantize(
                    request, calibration, calibrationImages, out, spec.commandLine().getOut());
        }
        return 0;
    }
}
