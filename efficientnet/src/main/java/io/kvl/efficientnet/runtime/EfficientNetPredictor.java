package io.kvl.efficientnet.runtime;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.kvl.efficientnet.graph.EfficientNetGraph;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.image.RgbImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Runs batches of RGB images through the model, on either engine. Not thread-safe: one per thread.
 * Each call works in its own {@link NDManager} scope, because DJL's engines attach outputs to the
 * input's manager and a long-lived manager grows without bound.
 *
 * <p>Memory: every native object of a call (input and output tensors, eager handles, statuses) is
 * freed when the call returns; resident memory outside the Java heap stays flat over thousands of
 * batches. What a call leaves behind is Java garbage (the returned rows, {@code 4 * classes} bytes
 * per image, plus a copy of the output and DJL's per-call bookkeeping, about 80 KB for a batch of 8
 * at 1000 classes). With {@code -Xms == -Xmx} the heap is reserved up front but its pages only
 * become resident when first written, so RSS climbs until G1's eden has been filled once and then
 * stays flat; measure native growth with {@code -XX:+AlwaysPreTouch}.
 */
public final class EfficientNetPredictor implements AutoCloseable {
    private final Predictor<NDList, NDList> predictor;
    private final NDManager root;
    private final int resolution;
    private final int classes;
    private ByteBuffer staging = ByteBuffer.allocateDirect(0);

    EfficientNetPredictor(Model model, ModelInfo info) {
        this.predictor = model.newPredictor(new NoopTranslator());
        this.root = model.getNDManager().newSubManager();
        this.resolution = info.resolution();
        this.classes = info.classes();
    }

    public int resolution() {
        return resolution;
    }

    /**
     * Class probabilities for each image, in order.
     *
     * @throws IllegalArgumentException when an image is not {@code resolution x resolution}
     */
    public float[][] predict(List<RgbImage> images) {
        int n = images.size();
        if (n == 0) {
            return new float[0][];
        }
        int frame = resolution * resolution * 3;
        ByteBuffer pixels = staging(n * frame);
        for (RgbImage img : images) {
            if (img.width() != resolution || img.height() != resolution) {
                throw new IllegalArgumentException(
                        "image is "
                                + img.width()
                                + "x"
                                + img.height()
                                + ", model expects "
                                + resolution
                                + "x"
                                + resolution);
            }
            pixels.put(img.pixels());
        }
        pixels.flip();
        return predict(pixels, n);
    }

    /**
     * A direct buffer of at least {@code bytes}, reused across calls: a fresh direct buffer per
     * batch is only freed by a garbage collection and made resident memory climb in soak runs.
     */
    private ByteBuffer staging(int bytes) {
        if (staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(bytes);
        }
        staging.clear().limit(bytes);
        return staging;
    }

    /** Probabilities for {@code n} packed {@code res x res x 3} uint8 images. */
    public float[][] predict(ByteBuffer pixels, int n) {
        try (NDManager scope = root.newSubManager()) {
            NDArray input =
                    scope.create(pixels, new Shape(n, resolution, resolution, 3), DataType.UINT8);
            // DJL's TF engine binds inputs to the signature by this name.
            input.setName(EfficientNetGraph.INPUT);
            NDList out = predictor.predict(new NDList(input));
            // Outputs may come back detached from any manager: tie them to this call's scope so
            // their native tensors are freed when it closes.
            out.attach(scope);
            // One copy out of the native tensor (the engine always copies into a heap buffer),
            // read straight into the rows: toFloatArray() would add a second full-size copy.
            FloatBuffer probs = out.get(0).toByteBuffer().asFloatBuffer();
            if (probs.remaining() != n * classes) {
                throw new IllegalStateException(
                        "model returned "
                                + probs.remaining()
                                + " values for "
                                + n
                                + " images of "
                                + classes
                                + " classes");
            }
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = new float[classes];
                probs.get(rows[i]);
            }
            return rows;
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        root.close();
    }
}
