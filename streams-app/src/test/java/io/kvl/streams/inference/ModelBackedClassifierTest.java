package io.kvl.streams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.image.RgbImage;
import io.kvl.streams.config.LabelerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The production classifier with the bundled model: engine, automatic batch size, workers. */
class ModelBackedClassifierTest {

    @Test
    void shouldMeasureTheBatchSizeAndReportTheEngineItRunsOn() throws Exception {
        LabelerConfig config =
                new LabelerConfig(
                        Map.of(
                                "bootstrap.servers", "unused:9092",
                                "model.engine", "onnxruntime",
                                "model.device", "cpu",
                                "model.workers", "2",
                                "batch.size", "auto",
                                "batch.max.size", "4"));
        List<String> ready = new ArrayList<>();
        BatchListener listener =
                new BatchListener() {
                    @Override
                    public void onBatch(int size, long inferenceNanos, long oldestWaitNanos) {}

                    @Override
                    public void modelReady(String engine, String precision, int batchLimit) {
                        ready.add(engine + "/" + precision + "/" + batchLimit);
                    }
                };
        try (ModelBackedClassifier classifier = ModelBackedClassifier.create(config, listener)) {
            assertThat(ready).hasSize(1);
            assertThat(ready.get(0)).matches("onnxruntime/fp32/(1|2|4)");
            List<RgbImage> images = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                images.add(new RgbImage(224, 224, new byte[224 * 224 * 3]));
            }
            List<Prediction> out = classifier.classify(images);
            assertThat(out).hasSize(6);
            int limit = Integer.parseInt(ready.get(0).substring(ready.get(0).lastIndexOf('/') + 1));
            assertThat(out).allSatisfy(p -> assertThat(p.batchSize()).isBetween(1, limit));
        }
    }
}
