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
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kvl export}: write a SavedModel for any variant, with imported or random weights. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Export an EfficientNet as a TensorFlow SavedModel (tag serve, signature"
                        + " serving_default, uint8 RGB in, probabilities out).")
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
        ModelInfo info =
                SavedModelExport.export(
                        new SavedModelExport.Request(arch, w, norm, padding, modelName, version),
                        out);
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
        return 0;
    }
}
