package io.kvl.efficientnet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kvl.efficientnet.graph.InputNormalization;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.graph.Padding;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.ModelVariant;
import io.kvl.efficientnet.weights.RandomWeights;
import io.kvl.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports B0 and runs it through DJL's TensorFlow engine with no manual native setup. */
class ExportAndInferTest {

    @Test
    void shouldExportB0AndReturnOneProbabilityRowPerImage(@TempDir Path tmp) throws Exception {
        Architecture arch = Architecture.of(ModelVariant.of("b0"));
        Path dir = tmp.resolve("b0");
        ModelInfo info =
                SavedModelExport.export(
                        new SavedModelExport.Request(
                                arch,
                                RandomWeights.create(arch, 7),
                                InputNormalization.IMAGENET,
                                Padding.SAME,
                                "efficientnet-b0-random",
                                "0"),
                        dir);
        assertThat(info.resolution()).isEqualTo(224);
        // Weights are stored once: in variables/, not also as graph constants.
        long graphBytes = Files.size(dir.resolve("saved_model.pb"));
        long variableBytes = Files.size(dir.resolve("variables/variables.data-00000-of-00001"));
        assertThat(graphBytes).isLessThan(1_000_000);
        assertThat(variableBytes).isGreaterThan(4L * 5_000_000);

        try (EfficientNetModel model = EfficientNetModel.load(dir, RuntimeOptions.defaults());
                EfficientNetPredictor predictor = model.newPredictor()) {
            Random random = new Random(1);
            List<RgbImage> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] px = new byte[224 * 224 * 3];
                random.nextBytes(px);
                batch.add(new RgbImage(224, 224, px));
            }
            float[][] probs = predictor.predict(batch);
            assertThat(probs).hasNumberOfRows(8);
            for (float[] row : probs) {
                assertThat(row).hasSize(1000);
                double sum = 0;
                for (float p : row) {
                    assertThat(p).isBetween(0f, 1f);
                    sum += p;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-4));
            }
            // Different images give different outputs (the input is really wired in).
            assertThat(probs[0]).isNotEqualTo(probs[1]);
        }
    }
}
