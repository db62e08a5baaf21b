package io.kvl.cli;

import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.pretrained.DefaultModel;
import io.kvl.efficientnet.quantize.Int8Quantization;
import io.kvl.image.RgbImage;
import io.kvl.streams.inference.CalibrationImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kvl quantize}: the INT8 model of the bundled default model. */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description =
                "Write the INT8 (QDQ, post-training static) ONNX model of the bundled"
                        + " EfficientNet-Lite0, calibrated on photos or clips; run it with"
                        + " --precision int8 / model.precision=int8. For a model of your own use"
                        + " 'kvl export --int8-calibration'.")
final class QuantizeCommand implements Callable<Integer> {
    static final String DEFAULT_IMAGES = "200";

    @Option(
            names = "--calibration",
            paramLabel = "PATH",
            split = ",",
            description =
                    "Photos, clips or directories of them (default: the bundled clips in"
                            + " samples/).")
    List<Path> calibration;

    @Option(
            names = "--calibration-images",
            defaultValue = DEFAULT_IMAGES,
            description = "Most calibration images, spread evenly (default: ${DEFAULT-VALUE}).")
    int images;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Path> sources =
                calibration != null
                        ? calibration
                        : List.of(Path.of(System.getProperty("kvl.home", ".")).resolve("samples"));
        quantize(
                DefaultModel.exportRequest(),
                sources,
                images,
                DefaultModel.ensureExported(),
                spec.commandLine().getOut());
        return 0;
    }

    static void quantize(
            SavedModelExport.Request request,
            List<Path> sources,
            int limit,
            Path dir,
            PrintWriter out)
            throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("--calibration-images must be at least 1");
        }
        List<RgbImage> images =
                CalibrationImages.load(sources, request.architecture().resolution(), limit);
        Int8Quantization.Report r = Int8Quantization.quantize(request, images, dir);
        out.printf(
                Locale.ROOT,
                "wrote %s: %d activations calibrated on %d images from %s; weights int8 up to"
                        + " +-%d (%s) in %.1f s%n",
                r.model(),
                r.activations(),
                r.images(),
                sources,
                r.weightLevels(),
                r.weightsWhy(),
                r.millis() / 1000.0);
        out.flush();
    }
}
