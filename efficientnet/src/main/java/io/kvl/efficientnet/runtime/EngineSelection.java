package io.kvl.efficientnet.runtime;

import io.kvl.efficientnet.graph.EfficientNetOnnx;
import io.kvl.efficientnet.runtime.RuntimeOptions.ModelEngine;
import io.kvl.efficientnet.runtime.RuntimeOptions.Precision;
import io.kvl.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine {@code auto}: the precision decides when only one engine has it; otherwise both engines
 * load the model and run the same batch for {@link #PROBE_SECONDS} each, and the faster one stays.
 * Figures differ by CPU (vector width, VNNI, cores), so this is measured on the machine that runs.
 */
final class EngineSelection {
    private static final Logger LOG = LoggerFactory.getLogger(EngineSelection.class);

    /** Images per probe call when the caller does not say. */
    static final int PROBE_BATCH = 8;

    /** Measuring time per engine, after warm-up. */
    static final double PROBE_SECONDS = 1.5;

    private EngineSelection() {}

    static EfficientNetModel select(Path dir, RuntimeOptions options, int probeBatch)
            throws IOException {
        String forced = forcedBy(dir, options);
        if (forced != null) {
            ModelEngine engine =
                    forced.startsWith("onnxruntime")
                            ? ModelEngine.ONNXRUNTIME
                            : ModelEngine.TENSORFLOW;
            EfficientNetModel model = EfficientNetModel.loadEngine(dir, options.withEngine(engine));
            model.selection(forced);
            LOG.info("Engine auto: {}", forced);
            return model;
        }
        EfficientNetModel tf =
                EfficientNetModel.loadEngine(dir, options.withEngine(ModelEngine.TENSORFLOW));
        EfficientNetModel ort;
        try {
            ort = EfficientNetModel.loadEngine(dir, options.withEngine(ModelEngine.ONNXRUNTIME));
        } catch (IOException | RuntimeException e) {
            String why = "onnxruntime failed to load (" + e.getMessage() + "), using tensorflow";
            LOG.warn("Engine auto: {}", why);
            tf.selection(why);
            return tf;
        }
        double tfRate = rate(tf, probeBatch);
        double ortRate = rate(ort, probeBatch);
        boolean ortWins = ortRate >= tfRate;
        String why =
                String.format(
                        Locale.ROOT,
                        "%s measured faster at batch %d: onnxruntime %.1f images/s, tensorflow %.1f"
                                + " images/s (%.2fx)",
                        ortWins ? "onnxruntime" : "tensorflow",
                        probeBatch,
                        ortRate,
                        tfRate,
                        ortWins ? ortRate / tfRate : tfRate / ortRate);
        LOG.info("Engine auto: {}", why);
        EfficientNetModel kept = ortWins ? ort : tf;
        (ortWins ? tf : ort).close();
        kept.selection(why);
        return kept;
    }

    /** Why one engine is the only choice, or null when both can run the model. */
    static String forcedBy(Path dir, RuntimeOptions options) {
        if (options.precision() == Precision.INT8) {
            return "onnxruntime (precision int8 runs on ONNX Runtime)";
        }
        if (options.precision() == Precision.BF16) {
            return "tensorflow (precision bf16 is TensorFlow's oneDNN rewrite)";
        }
        if (!Files.isRegularFile(dir.resolve(EfficientNetOnnx.FILE))) {
            return "tensorflow (the export has no "
                    + EfficientNetOnnx.FILE
                    + "; re-export it to enable ONNX Runtime)";
        }
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            return "onnxruntime (the export has no SavedModel)";
        }
        return null;
    }

    private static double rate(EfficientNetModel model, int batch) {
        try (EfficientNetPredictor p = model.newPredictor()) {
            return InferenceBenchmark.measure(
                            p, randomImages(batch, model.info().resolution()), PROBE_SECONDS)
                    .imagesPerSecond();
        }
    }

    /** Random pixels: a dense CNN's speed does not depend on the content. */
    static List<RgbImage> randomImages(int n, int res) {
        Random random = new Random(n);
        List<RgbImage> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[res * res * 3];
            random.nextBytes(px);
            list.add(new RgbImage(res, res, px));
        }
        return list;
    }
}
