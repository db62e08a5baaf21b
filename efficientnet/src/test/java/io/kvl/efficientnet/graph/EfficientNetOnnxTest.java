package io.kvl.efficientnet.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.efficientnet.runtime.DeviceChoice;
import io.kvl.efficientnet.runtime.EfficientNetModel;
import io.kvl.efficientnet.runtime.EfficientNetPredictor;
import io.kvl.efficientnet.runtime.RuntimeOptions;
import io.kvl.efficientnet.runtime.RuntimeOptions.ModelEngine;
import io.kvl.efficientnet.runtime.RuntimeOptions.Precision;
import io.kvl.efficientnet.runtime.TopK;
import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.ModelVariant;
import io.kvl.efficientnet.weights.ModelWeights;
import io.kvl.efficientnet.weights.RandomWeights;
import io.kvl.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ONNX graph written from the spec against the TensorFlow graph of the same weights, for the
 * architectures the default model does not cover: swish and squeeze-excitation (B0), a custom
 * {@code phi}, symmetric padding; and the comparison shown to catch a wrong graph.
 */
class EfficientNetOnnxTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"b0, SAME", "0.5, SAME", "lite1, SYMMETRIC"})
    void shouldMatchTensorFlowOnTheSameWeights(String variant, Padding padding, @TempDir Path tmp)
            throws Exception {
        Architecture arch =
                Architecture.of(
                        Character.isDigit(variant.charAt(0))
                                ? ModelVariant.ofPhi(Double.parseDouble(variant))
                                : ModelVariant.of(variant));
        ModelWeights weights = RandomWeights.create(arch, 3);
        InputNormalization norm =
                arch.variant().lite() ? InputNormalization.LITE : InputNormalization.IMAGENET;
        Path dir = tmp.resolve("model");
        SavedModelExport.export(
                new SavedModelExport.Request(arch, weights, norm, padding, "test", "0"), dir);
        assertThat(dir.resolve(EfficientNetOnnx.FILE)).isRegularFile();
        List<RgbImage> images = images(3, arch.resolution());
        float[][] tf = predict(dir, ModelEngine.TENSORFLOW, images);
        float[][] ort = predict(dir, ModelEngine.ONNXRUNTIME, images);
        assertThat(maxDifference(tf, ort)).isLessThan(1e-5);
        for (int i = 0; i < images.size(); i++) {
            assertThat(top5(ort[i])).containsExactlyElementsOf(top5(tf[i]));
        }
    }

    /** Planted fault: ONNX written with symmetric padding where TensorFlow's SAME is right. */
    @Test
    void shouldNoticeAGraphThatPadsDifferently(@TempDir Path tmp) throws Exception {
        Architecture arch = Architecture.of(ModelVariant.of("lite0"));
        ModelWeights weights = RandomWeights.create(arch, 3);
        Path dir = tmp.resolve("model");
        SavedModelExport.export(
                new SavedModelExport.Request(
                        arch, weights, InputNormalization.LITE, Padding.SAME, "test", "0"),
                dir);
        Files.write(
                dir.resolve(EfficientNetOnnx.FILE),
                EfficientNetOnnx.fp32(arch, weights, InputNormalization.LITE, Padding.SYMMETRIC));
        List<RgbImage> images = images(3, arch.resolution());
        float[][] tf = predict(dir, ModelEngine.TENSORFLOW, images);
        float[][] ort = predict(dir, ModelEngine.ONNXRUNTIME, images);
        assertThat(maxDifference(tf, ort)).isGreaterThan(1e-5);
    }

    static float[][] predict(Path dir, ModelEngine engine, List<RgbImage> images) throws Exception {
        RuntimeOptions options =
                new RuntimeOptions(engine, DeviceChoice.parse("cpu"), 0, 0, Precision.FP32);
        try (EfficientNetModel model = EfficientNetModel.load(dir, options);
                EfficientNetPredictor p = model.newPredictor()) {
            return p.predict(images);
        }
    }

    /** Largest difference relative to the largest probability of its row. */
    static double maxDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            float peak = 0;
            for (float v : a[i]) {
                peak = Math.max(peak, v);
            }
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]) / peak);
            }
        }
        return max;
    }

    private static List<Integer> top5(float[] probs) {
        return TopK.of(probs, 5).stream().map(TopK.Entry::index).toList();
    }

    /** Smooth synthetic scenes: random pixels make a random network's outputs near-uniform. */
    private static List<RgbImage> images(int n, int res) {
        Random random = new Random(11);
        List<RgbImage> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] px = new byte[res * res * 3];
            int fx = 1 + random.nextInt(9);
            int fy = 1 + random.nextInt(9);
            for (int y = 0; y < res; y++) {
                for (int x = 0; x < res; x++) {
                    for (int c = 0; c < 3; c++) {
                        double v =
                                Math.sin((x * fx + c * 40) * Math.PI / res)
                                        * Math.cos(y * fy * Math.PI / res);
                        px[(y * res + x) * 3 + c] = (byte) (128 + 120 * v);
                    }
                }
            }
            out.add(new RgbImage(res, res, px));
        }
        return out;
    }
}
