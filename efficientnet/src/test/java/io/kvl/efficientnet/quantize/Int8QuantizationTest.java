package io.kvl.efficientnet.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.efficientnet.graph.ActivationStats;
import io.kvl.efficientnet.graph.EfficientNetOnnx;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.image.ImageNetClasses;
import io.kvl.efficientnet.image.ImageNetEvaluation;
import io.kvl.efficientnet.image.ImagePreprocessor;
import io.kvl.efficientnet.pretrained.DefaultModel;
import io.kvl.efficientnet.runtime.DeviceChoice;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.RuntimeOptions;
import io.kvl.efficientnet.runtime.RuntimeOptions.ModelEngine;
import io.kvl.efficientnet.runtime.RuntimeOptions.Precision;
import io.kvl.efficientnet.runtime.TopK;
import io.kvl.image.RgbImage;
import io.kvl.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INT8 of the bundled model, calibrated on half of the sample photos and judged on the other half
 * (no image is both), against float32 on the same engine; and the judgement shown to catch a model
 * quantized with wrong ranges. The acceptance on clip frames is in streams-app's Int8OnClipsTest.
 */
class Int8QuantizationTest {
    private static SavedModelExport.Request request;
    private static List<RgbImage> calibration;
    private static List<RgbImage> held;
    private static float[][] fp32;

    @TempDir static Path tmp;

    @BeforeAll
    static void prepare() throws Exception {
        request = DefaultModel.exportRequest();
        ImagePreprocessor prep = new ImagePreprocessor(224);
        List<RgbImage> photos = new ArrayList<>();
        for (Path p :
                ImageNetEvaluation.labeledFiles(Fixtures.imagenetSample(), ImageNetClasses.get())
                        .keySet()) {
            photos.add(prep.load(p));
        }
        calibration = new ArrayList<>();
        held = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            (i % 2 == 0 ? calibration : held).add(photos.get(i));
        }
        fp32 = predict(DefaultModel.ensureExported(), Precision.FP32);
    }

    @Test
    void shouldAgreeWithFloat32OnPhotosItWasNotCalibratedOn() throws Exception {
        Path dir = copyOfDefaultModel("good");
        Int8Quantization.Report report = Int8Quantization.quantize(request, calibration, dir);
        assertThat(report.images()).isEqualTo(50);
        assertThat(report.activations()).isGreaterThan(40);
        assertThat(Files.size(dir.resolve(EfficientNetOnnx.INT8_FILE)))
                .as("int8 weights take a quarter of the float32 bytes")
                .isLessThan(Files.size(dir.resolve(EfficientNetOnnx.FILE)) / 2);
        float[][] int8 = predict(dir, Precision.INT8);
        assertThat(top1Agreement(fp32, int8)).isGreaterThanOrEqualTo(0.9);
    }

    /** Planted fault: every activation range cut to a tenth, so most activations saturate. */
    @Test
    void shouldNoticeAModelQuantizedWithWrongRanges() throws Exception {
        Path dir = copyOfDefaultModel("planted");
        EfficientNetOnnx.Calibration c =
                EfficientNetOnnx.calibration(
                        request.architecture(),
                        request.weights(),
                        request.normalization(),
                        request.padding());
        Map<String, ActivationStats> ranges = new HashMap<>();
        Int8Quantization.observe(c, calibration, 224)
                .forEach((k, v) -> ranges.put(k, v.scaled(0.1f)));
        Files.write(
                dir.resolve(EfficientNetOnnx.INT8_FILE),
                EfficientNetOnnx.int8(
                        request.architecture(),
                        request.weights(),
                        request.normalization(),
                        request.padding(),
                        ranges,
                        127));
        float[][] int8 = predict(dir, Precision.INT8);
        assertThat(top1Agreement(fp32, int8)).isLessThan(0.5);
    }

    @Test
    void shouldUseSevenBitWeightsWithoutVnni() {
        assertThat(CpuInt8.levelsFor("fpu sse avx2 fma").levels()).isEqualTo(63);
        assertThat(CpuInt8.levelsFor("fpu avx2 avx512f avx512_vnni").levels()).isEqualTo(127);
        assertThat(CpuInt8.levelsFor("fpu avx2 avx_vnni").levels()).isEqualTo(127);
        assertThat(CpuInt8.levelsFor(null).levels()).isEqualTo(63);
    }

    private static Path copyOfDefaultModel(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path source = DefaultModel.ensureExported();
        for (String f : List.of("kvl-model.json", EfficientNetOnnx.FILE)) {
            Files.copy(source.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static float[][] predict(Path dir, Precision precision) throws Exception {
        RuntimeOptions options =
                new RuntimeOptions(
                        ModelEngine.ONNXRUNTIME, DeviceChoice.parse("cpu"), 0, 0, precision);
        try (EfficientNetModel model = EfficientNetModel.load(dir, options);
                EfficientNetPredictor p = model.newPredictor()) {
            return p.predict(held);
        }
    }

    static double top1Agreement(float[][] a, float[][] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (TopK.of(a[i], 1).get(0).index() == TopK.of(b[i], 1).get(0).index()) {
                same++;
            }
        }
        return same / (double) a.length;
    }
}
