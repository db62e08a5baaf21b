package io.kvl.efficientnet.graph;

import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.tensorflow.TensorFlowNatives;
import io.kvl.efficientnet.weights.ModelWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

/**
 * Exports an EfficientNet as a TensorFlow SavedModel: tag {@code serve}, signature {@code
 * serving_default} with input {@value EfficientNetGraph#INPUT} (uint8 NHWC, dynamic batch) and
 * output {@value EfficientNetGraph#OUTPUT}; next to it the same network as ONNX ({@value
 * EfficientNetOnnx#FILE}, same input and output), plus {@link ModelInfo}.
 */
public final class SavedModelExport {
    /**
     * Version of the graph this code builds; part of cached exports' names, so a cache written by
     * an older build is not reused after the graph changes.
     */
    public static final int GRAPH_VERSION = 3;

    /** The tag DJL and TF Serving load by default. */
    public static final String TAG = "serve";

    private static final Logger LOG = LoggerFactory.getLogger(SavedModelExport.class);

    private SavedModelExport() {}

    /** Options of one export. */
    public record Request(
            Architecture architecture,
            ModelWeights weights,
            InputNormalization normalization,
            Padding padding,
            String name,
            String version) {}

    /**
     * Writes the SavedModel to {@code dir} (created; must be empty or absent) and returns its info.
     */
    public static ModelInfo export(Request r, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("export directory is not empty: " + dir);
                }
            }
        }
        Files.createDirectories(dir);
        TensorFlowNatives.ensureLoaded();
        long start = System.nanoTime();
        try (Graph graph = new Graph()) {
            EfficientNetGraph net =
                    EfficientNetGraph.build(
                            graph, r.architecture(), r.weights(), r.normalization(), r.padding());
            try (Session session = new Session(graph)) {
                net.initialize(session);
                Signature signature =
                        Signature.builder()
                                .key(Signature.DEFAULT_KEY)
                                .methodName("tensorflow/serving/predict")
                                .input(EfficientNetGraph.INPUT, net.input())
                                .output(EfficientNetGraph.OUTPUT, net.output())
                                .build();
                SavedModelBundle.exporter(dir.toString())
                        .withTags(TAG)
                        .withSession(session)
                        .withSignature(signature)
                        .export();
            }
        }
        Files.write(
                dir.resolve(EfficientNetOnnx.FILE),
                EfficientNetOnnx.fp32(
                        r.architecture(), r.weights(), r.normalization(), r.padding()));
        ModelInfo info =
                new ModelInfo(
                        r.name(),
                        r.architecture().variant().name(),
                        r.version(),
                        r.architecture().resolution(),
                        r.architecture().numClasses(),
                        r.normalization().mean(),
                        r.normalization().std(),
                        r.padding().name().toLowerCase(Locale.ROOT),
                        r.weights().describeSource());
        info.write(dir);
        LOG.info(
                "Exported {} ({}) to {} in {} ms",
                info.name(),
                info.variant(),
                dir,
                (System.nanoTime() - start) / 1_000_000);
        return info;
    }
}
