package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.image.ImagePreprocessor;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.RuntimeOptions;
import io.kvl.testing.Fixtures;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    /** The bundled Lite0 ImageNet weights (efficientnet module resources). */
    private static final String BUNDLED_WEIGHTS =
            "/io/kvl/efficientnet/pretrained/efficientnet-lite0-imagenet.safetensors";

    @TempDir Path tmp;

    private Path bundledWeights() throws Exception {
        Path file = tmp.resolve("lite0.safetensors");
        try (InputStream in = ExportCommandTest.class.getResourceAsStream(BUNDLED_WEIGHTS)) {
            assertThat(in).as("bundled weights on the class path").isNotNull();
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void shouldWriteARandomWeightsSavedModelThatLoadsAndPredicts() throws Exception {
        Path out = tmp.resolve("lite0-random");

        CliRun run = CliRun.of("export", "--variant", "lite0", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(
                        "exported efficientnet-lite0-random (efficientnet-lite0, 224x224, weights:"
                                + " random (seed 0)) to "
                                + out
                                + "\n");
        assertThat(out.resolve("saved_model.pb")).isRegularFile();
        assertThat(out.resolve("variables")).isDirectory();
        ModelInfo info = ModelInfo.read(out);
        assertThat(info.resolution()).isEqualTo(224);
        assertThat(info.classes()).isEqualTo(1000);
        try (EfficientNetModel model = EfficientNetModel.load(out, RuntimeOptions.defaults());
                EfficientNetPredictor predictor = model.newPredictor()) {
            Path image = TestImages.png(tmp.resolve("image.png"), 3);
            float[][] probs = predictor.predict(List.of(new ImagePreprocessor(224).load(image)));
            assertThat(probs).hasDimensions(1, 1000);
            double sum = 0;
            for (float p : probs[0]) {
                assertThat(p).isBetween(0f, 1f);
                sum += p;
            }
            // The graph ends in a softmax, whatever the weights.
            assertThat(sum).isCloseTo(1.0, Offset.offset(1e-3));
        }
    }

    @Test
    void shouldExportImportedWeightsThatClassifyAPhotoCorrectly() throws Exception {
        Path photo = Fixtures.imagenetSample().resolve("n02007558_flamingo.JPEG");
        Path out = tmp.resolve("my-lite0");

        CliRun export =
                CliRun.of(
                        "export",
                        "--variant",
                        "lite0",
                        "--weights",
                        bundledWeights().toString(),
                        "--name",
                        "my-lite0",
                        "--model-version",
                        "7",
                        "--out",
                        out.toString());

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).startsWith("exported my-lite0 (efficientnet-lite0, 224x224,");
        ModelInfo info = ModelInfo.read(out);
        assertThat(info.name()).isEqualTo("my-lite0");
        assertThat(info.version()).isEqualTo("7");
        CliRun classify = CliRun.of("classify", "--model", out.toString(), photo.toString());
        assertThat(classify.exitCode()).as(classify.err()).isZero();
        assertThat(ClassifyCommandTest.rows(classify.outLines(), 0).get(0).name())
                .isEqualTo("flamingo");
    }

    @Test
    void shouldFailNamingTheVariantWhenWeightsDoNotFitIt() throws Exception {
        Path out = tmp.resolve("b0");

        CliRun run =
                CliRun.of(
                        "export",
                        "--variant",
                        "b0",
                        "--weights",
                        bundledWeights().toString(),
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kvl export: weights do not fit efficientnet-b0 (");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldFailForAnUnknownVariant() {
        Path out = tmp.resolve("b9");

        CliRun run = CliRun.of("export", "--variant", "b9", "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("kvl export: unknown variant 'b9': expected b0..b7 or lite0..lite4\n");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldFailNamingAMissingWeightsFile() {
        Path weights = tmp.resolve("missing.safetensors");

        CliRun run =
                CliRun.of(
                        "export",
                        "--variant",
                        "lite0",
                        "--weights",
                        weights.toString(),
                        "--out",
                        tmp.resolve("m").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kvl export: no such file or directory: " + weights + "\n");
    }

    @Test
    void shouldRefuseANonEmptyOutputDirectory() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(out.resolve("notes.txt"), "keep me");

        CliRun run = CliRun.of("export", "--variant", "lite0", "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kvl export: export directory is not empty: " + out + "\n");
        assertThat(out.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void shouldRequireTheOutputDirectory() {
        CliRun run = CliRun.of("export", "--variant", "lite0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required option: '--out=DIR'");
    }
}
