package io.kvl.efficientnet.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.efficientnet.image.ImageNetClasses;
import io.kvl.efficientnet.image.ImageNetEvaluation;
import io.kvl.efficientnet.image.ImagePreprocessor;
import io.kvl.efficientnet.pretrained.DefaultModel;
import io.kvl.efficientnet.runtime.RuntimeOptions.ModelEngine;
import io.kvl.efficientnet.runtime.RuntimeOptions.Precision;
import io.kvl.image.RgbImage;
import io.kvl.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ONNX model the project writes, run by ONNX Runtime, against the SavedModel run by TensorFlow:
 * same probabilities within 1e-4 on the 100 sample photos and on random images.
 */
class EngineEquivalenceTest {

    static RuntimeOptions options(ModelEngine engine) {
        return new RuntimeOptions(engine, DeviceChoice.parse("cpu"), 0, 0, Precision.FP32);
    }

    @Test
    void shouldGiveTheSameProbabilitiesOnBothEnginesForTheSamplePhotos() throws Exception {
        Path dir = DefaultModel.ensureExported();
        List<RgbImage> images = new ArrayList<>();
        ImagePreprocessor prep = new ImagePreprocessor(224);
        for (Path p :
                ImageNetEvaluation.labeledFiles(Fixtures.imagenetSample(), ImageNetClasses.get())
                        .keySet()) {
            images.add(prep.load(p));
        }
        images.addAll(EngineSelection.randomImages(4, 224));
        assertThat(images).hasSize(104);
        float[][] tf = predict(dir, ModelEngine.TENSORFLOW, images);
        float[][] ort = predict(dir, ModelEngine.ONNXRUNTIME, images);
        assertThat(maxDifference(tf, ort)).as("max |tensorflow - onnxruntime|").isLessThan(1e-4);
    }

    static float[][] predict(Path dir, ModelEngine engine, List<RgbImage> images) throws Exception {
        try (EfficientNetModel model = EfficientNetModel.load(dir, options(engine));
                EfficientNetPredictor predictor = model.newPredictor()) {
            assertThat(model.engine()).isEqualTo(engine);
            float[][] out = new float[images.size()][];
            for (int i = 0; i < images.size(); i += 16) {
                float[][] rows =
                        predictor.predict(images.subList(i, Math.min(images.size(), i + 16)));
                System.arraycopy(rows, 0, out, i, rows.length);
            }
            return out;
        }
    }

    static double maxDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
