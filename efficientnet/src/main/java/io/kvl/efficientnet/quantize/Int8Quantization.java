package io.kvl.efficientnet.quantize;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.kvl.efficientnet.graph.ActivationStats;
import io.kvl.efficientnet.graph.EfficientNetGraph;
import io.kvl.efficientnet.graph.EfficientNetOnnx;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.runtime.OnnxRuntimeEnvironment;
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
        Map<String, ActivationStats> stats = observe(calibration, images, arch.resolution());
        CpuInt8.Levels levels = CpuInt8.weightLevels();
        byte[] model =
                EfficientNetOnnx.int8(
                        arch,
                        request.weights(),
                        request.normalization(),
                        request.padding(),
                        stats,
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
                        stats.size(),
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

    /** Range and channel means of every observed activation over all images. */
    static Map<String, ActivationStats> observe(
            EfficientNetOnnx.Calibration calibration, List<RgbImage> images, int res)
            throws IOException {
        Map<String, Accumulator> ranges = new LinkedHashMap<>();
        for (String name : calibration.observed()) {
            ranges.put(name, new Accumulator());
        }
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
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
                    for (Map.Entry<String, Accumulator> e : ranges.entrySet()) {
                        OnnxTensor t = (OnnxTensor) result.get(e.getKey()).orElseThrow();
                        e.getValue().add(t.getInfo().getShape(), t.getFloatBuffer());
                    }
                }
            }
        } catch (OrtException e) {
            throw new IOException("INT8 calibration failed: " + e.getMessage(), e);
        }
        Map<String, ActivationStats> stats = new HashMap<>();
        ranges.forEach((name, acc) -> stats.put(name, acc.stats()));
        return stats;
    }

    /** Running min, max and per-channel sums of one NCHW activation. */
    private static final class Accumulator {
        private float min = Float.POSITIVE_INFINITY;
        private float max = Float.NEGATIVE_INFINITY;
        private double[] sums;
        private long perChannel;

        void add(long[] shape, FloatBuffer values) {
            int n = (int) shape[0];
            int channels = (int) shape[1];
            int spatial = values.remaining() / (n * channels);
            if (sums == null) {
                sums = new double[channels];
            }
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int k = 0; k < spatial; k++) {
                        float v = values.get();
                        sum += v;
                        if (v < min) {
                            min = v;
                        }
                        if (v > max) {
                            max = v;
                        }
                    }
                    sums[c] += sum;
                }
            }
            perChannel += (long) n * spatial;
        }

        ActivationStats stats() {
            float[] means = new float[sums.length];
            for (int c = 0; c < means.length; c++) {
                means[c] = (float) (sums[c] / perChannel);
            }
            return new ActivationStats(min, max, means);
        }
    }
}
