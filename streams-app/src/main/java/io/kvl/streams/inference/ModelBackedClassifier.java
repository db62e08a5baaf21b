package io.kvl.streams.inference;

import io.kvl.efficientnet.graph.EfficientNetOnnx;
import io.kvl.efficientnet.pretrained.DefaultModel;
import io.kvl.efficientnet.quantize.Int8Quantization;
import io.kvl.efficientnet.runtime.BatchSizeSelection;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.RuntimeOptions;
import io.kvl.efficientnet.runtime.RuntimeOptions.Precision;
import io.kvl.image.RgbImage;
import io.kvl.streams.config.LabelerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link FrameClassifier}: the exported EfficientNet loaded once per process on the
 * configured (or measured) engine, its batch size configured or measured, warmed up at every batch
 * size it can see, behind a {@link MicroBatcher}.
 */
public final class ModelBackedClassifier implements FrameClassifier {
    private static final Logger LOG = LoggerFactory.getLogger(ModelBackedClassifier.class);

    /** Calibration images for INT8 at start: enough for stable min/max, ~10 s on 2 cores. */
    private static final int CALIBRATION_IMAGES = 200;

    private final EfficientNetModel model;
    private final List<EfficientNetPredictor> predictors = new ArrayList<>();
    private final MicroBatcher batcher;

    private ModelBackedClassifier(
            EfficientNetModel model, LabelerConfig config, BatchListener listener) {
        this.model = model;
        for (int i = 0; i < config.modelWorkers(); i++) {
            predictors.add(model.newPredictor());
        }
        int maxBatch = config.batchSize();
        if (config.batchSizeAuto()) {
            BatchSizeSelection.Choice choice =
                    BatchSizeSelection.measure(predictors.get(0), config.batchMaxSize());
            LOG.info("batch.size=auto: {}", choice.describe());
            maxBatch = choice.batch();
        }
        for (EfficientNetPredictor p : predictors) {
            warmUp(p, maxBatch);
        }
        listener.modelReady(model.engine().configName(), model.precision().configName(), maxBatch);
        this.batcher =
                new MicroBatcher(
                        predictors.stream()
                                .<Function<List<RgbImage>, float[][]>>map(p -> p::predict)
                                .toList(),
                        model.info().resolution(),
                        new ModelIdentity(
                                model.info().name(),
                                model.info().variant(),
                                model.info().version()),
                        maxBatch,
                        config.batchMaxDelayMs(),
                        listener);
    }

    public static ModelBackedClassifier create(LabelerConfig config, BatchListener listener)
            throws IOException {
        Path dir =
                config.modelDir().isBlank()
                        ? DefaultModel.ensureExported()
                        : Path.of(config.modelDir());
        if (config.modelPrecision() == Precision.INT8) {
            ensureQuantized(dir, config);
        }
        RuntimeOptions options =
                new RuntimeOptions(
                        config.modelEngine(),
                        config.modelDevice(),
                        config.modelIntraOpThreads(),
                        config.modelInterOpThreads(),
                        config.modelPrecision());
        EfficientNetModel model = EfficientNetModel.load(dir, options, config.batchSize());
        try {
            return new ModelBackedClassifier(model, config, listener);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The default model is quantized on first use with INT8, calibrated on {@code
     * model.calibration.path} (the bundled clips by default); a model of the user's must come
     * quantized from {@code kvl export --int8-calibration}, since its weights are not at hand.
     */
    private static void ensureQuantized(Path dir, LabelerConfig config) throws IOException {
        if (Files.isRegularFile(dir.resolve(EfficientNetOnnx.INT8_FILE))) {
            return;
        }
        if (!config.modelDir().isBlank()) {
            throw new IOException(
                    dir
                            + " has no "
                            + EfficientNetOnnx.INT8_FILE
                            + ": export the model with 'kvl export --int8-calibration PATH'");
        }
        List<Path> sources = new ArrayList<>();
        for (String p : config.modelCalibrationPath()) {
            sources.add(Path.of(p));
        }
        if (sources.isEmpty()) {
            Path samples = Path.of(System.getProperty("kvl.home", ".")).resolve("samples");
            if (!Files.isDirectory(samples)) {
                throw new IOException(
                        "model.precision=int8 needs calibration data: set "
                                + LabelerConfig.MODEL_CALIBRATION_PATH_CONFIG
                                + " (no bundled clips in "
                                + samples.toAbsolutePath()
                                + ")");
            }
            sources.add(samples);
        }
        LOG.info("Quantizing the default model to INT8, calibrating on {}", sources);
        List<RgbImage> images = CalibrationImages.load(sources, 224, CALIBRATION_IMAGES);
        Int8Quantization.quantize(DefaultModel.exportRequest(), images, dir);
    }

    /**
     * The first call at a new batch shape costs 0.3-2.5 s (graph specialization); pay it at start
     * rather than on live frames.
     */
    private void warmUp(EfficientNetPredictor predictor, int maxBatch) {
        long start = System.nanoTime();
        int res = model.info().resolution();
        List<RgbImage> images = new ArrayList<>();
        for (int n = 1; n <= maxBatch; n++) {
            images.add(new RgbImage(res, res, new byte[res * res * 3]));
            predictor.predict(images);
        }
        LOG.info(
                "Warmed up batch sizes 1..{} in {} ms ({} {}{})",
                maxBatch,
                (System.nanoTime() - start) / 1_000_000,
                model.engine().configName(),
                model.precision().configName(),
                model.selection().isEmpty() ? "" : "; " + model.selection());
    }

    @Override
    public int resolution() {
        return batcher.resolution();
    }

    @Override
    public ModelIdentity model() {
        return batcher.model();
    }

    @Override
    public List<Prediction> classify(List<RgbImage> images) throws InterruptedException {
        return batcher.classify(images);
    }

    @Override
    public Submission submission() {
        return batcher.submission();
    }

    @Override
    public void close() {
        batcher.close();
        predictors.forEach(EfficientNetPredictor::close);
        model.close();
    }
}
