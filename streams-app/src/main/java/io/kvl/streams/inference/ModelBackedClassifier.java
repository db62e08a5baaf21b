package io.kvl.streams.inference;

import io.kvl.efficientnet.pretrained.DefaultModel;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.RuntimeOptions;
import io.kvl.image.RgbImage;
import io.kvl.streams.config.LabelerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link FrameClassifier}: the exported EfficientNet loaded once per process, warmed
 * up at every batch size it can see, behind a {@link MicroBatcher}.
 */
public final class ModelBackedClassifier implements FrameClassifier {
    private static final Logger LOG = LoggerFactory.getLogger(ModelBackedClassifier.class);

    private final EfficientNetModel model;
    private final EfficientNetPredictor predictor;
    private final MicroBatcher batcher;

    private ModelBackedClassifier(
            EfficientNetModel model, int maxBatch, long maxDelayMs, BatchListener listener) {
        this.model = model;
        this.predictor = model.newPredictor();
        warmUp(maxBatch);
        this.batcher =
                new MicroBatcher(
                        predictor::predict,
                        model.info().resolution(),
                        new ModelIdentity(
                                model.info().name(),
                                model.info().variant(),
                                model.info().version()),
                        maxBatch,
                        maxDelayMs,
                        listener);
    }

    public static ModelBackedClassifier create(LabelerConfig config, BatchListener listener)
            throws IOException {
        Path dir =
                config.modelDir().isBlank()
                        ? DefaultModel.ensureExported()
                        : Path.of(config.modelDir());
        RuntimeOptions options =
                new RuntimeOptions(
                        config.modelDevice(),
                        config.modelIntraOpThreads(),
                        config.modelInterOpThreads(),
                        config.modelPrecision());
        EfficientNetModel model = EfficientNetModel.load(dir, options);
        try {
            return new ModelBackedClassifier(
                    model, config.batchSize(), config.batchMaxDelayMs(), listener);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The first call at a new batch shape costs 0.3-2.5 s (graph specialization); pay it at start
     * rather than on live frames.
     */
    private void warmUp(int maxBatch) {
        long start = System.nanoTime();
        int res = model.info().resolution();
        List<RgbImage> images = new ArrayList<>();
        for (int n = 1; n <= maxBatch; n++) {
            images.add(new RgbImage(res, res, new byte[res * res * 3]));
            predictor.predict(images);
        }
        LOG.info(
                "Warmed up batch sizes 1..{} in {} ms",
                maxBatch,
                (System.nanoTime() - start) / 1_000_000);
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
    public void close() {
        batcher.close();
        predictor.close();
        model.close();
    }
}
