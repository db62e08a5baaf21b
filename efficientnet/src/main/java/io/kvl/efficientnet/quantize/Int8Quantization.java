package io.kvl.efficientnet.quantize;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.kvl.efficientnet.graph.EfficientNetGraph;
import io.kvl.efficientnet.graph.EfficientNetOnnx;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.image.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-training static INT8 quantization of an exported EfficientNet: runs the float32 ONNX graph
 * (with every activation to quantize as an output) over calibration images in ONNX Runtime, takes
 * each activation's min and max, and writes {@value EfficientNetOnnx#INT8_FILE} in QDQ form (see
 * {@link EfficientNetOnnx#int8}) next to the float32 model.
 */
public final class Int8Quantization {
    private static final Logger LOG = LoggerFactory.getLogger(Int8Quantization.class);

    /** Images per calibration call: the observed activations of one call take ~50 MB per image. */
    private static final int BATCH = 4;

    private Int8Quantization() {}

    /** What one quantization did. */
    public record Report(
            Path model,
            int images,
            int activations,
            int weightLevels,
            String weightsWhy,
            long millis) {}

    /**
     * Quantizes the model {@code request} describes, calibrated on {@code images} (at the model's
     * resolution), into {@code dir}/{@value EfficientNetOnnx#INT8_FILE}.
     */
    public static Report quantize(SavedModelExport.Request request, List<RgbImage> images, Path dir)
            throws IOException {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("INT8 calibration needs at least one image");
        }
        long start = System.nanoTime();
        var arch = request.architecture();
        EfficientNetOnnx.Calibration calibration =
                EfficientNetOnnx.calibration(
                        arch, request.weights(), request.normalization(), request.padding());
        Map<String, float[]> ranges = observe(calibration, images, arch.resolution());
        CpuInt8.Levels levels = CpuInt8.weightLevels();
        byte[] model =
                EfficientNetOnnx.int8(
                        arch,
                        request.weights(),
                        request.normalization(),
                        request.padding(),
                        ranges,
                        levels.levels());
        Path target = dir.resolve(EfficientNetOnnx.INT8_FILE);
        Path tmp = Files.createTempFile(dir, "model-int8", ".tmp");
        Files.write(tmp, model);
        Files.move(
                tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Report report =
                new Report(
                        target,
                        images.size(),
                        ranges.size(),
                        levels.levels(),
                        levels.why(),
                        (System.nanoTime() - start) / 1_000_000);
        LOG.info(
                "Quantized {} to INT8 in {} ms: {} activations calibrated on {} images, weights"
                        + " int8 up to +-{} ({}), written to {}",
                request.name(),
                report.millis(),
                report.activations(),
                report.images(),
                report.weightLevels(),
                report.weightsWhy(),
                target);
        return report;
    }

    /** Min and max of every observed activation over all images. */
    static Map<String, float[]> observe(
            EfficientNetOnnx.Calibration calibration, List<RgbImage> images, int res)
            throws IOException {
        Map<String, float[]> ranges = new LinkedHashMap<>();
        for (String name : calibration.observed()) {
            ranges.put(name, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(calibration.model(), options)) {
            int frame = res * res * 3;
            ByteBuffer pixels = ByteBuffer.allocateDirect(BATCH * frame);
            for (int i = 0; i < images.size(); i += BATCH) {
                List<RgbImage> batch = images.subList(i, Math.min(images.size(), i + BATCH));
                pixels.clear();
                for (RgbImage img : batch) {
                    if (img.width() != res || img.height() != res) {
                        throw new IllegalArgumentException(
                                "calibration image is "
                                        + img.width()
                                        + "x"
                                        + img.height()
                                        + ", model expects "
                                        + res
                                        + "x"
                                        + res);
                    }
                    pixels.put(img.pixels());
                }
                pixels.flip();
                long[] shape = {batch.size(), res, res, 3};
                try (OnnxTensor input =
                                OnnxTensor.createTensor(env, pixels, shape, OnnxJavaType.UINT8);
                        OrtSession.Result result =
                                session.run(
                                        Map.of(EfficientNetGraph.INPUT, input), ranges.keySet())) {
                    for (Map.Entry<String, float[]> e : ranges.entrySet()) {
                        OnnxTensor t = (OnnxTensor) result.get(e.getKey()).orElseThrow();
                        update(e.getValue(), t.getFloatBuffer());
                    }
                }
            }
        } catch (OrtException e) {
            throw new IOException("INT8 calibration failed: " + e.getMessage(), e);
        }
        return new HashMap<>(ranges);
    }

    private static void update(float[] range, FloatBuffer values) {
        float lo = range[0];
        float hi = range[1];
        while (values.hasRemaining()) {
            float v = values.get();
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        range[0] = lo;
        range[1] = hi;
    }
}
