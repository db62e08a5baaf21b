package io.kvl.efficientnet.runtime;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.kvl.efficientnet.graph.EfficientNetGraph;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.image.RgbImage;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Runs batches of RGB images through the model. Not thread-safe: one per thread. Each call works in
 * its own {@link NDManager} scope, because DJL's TensorFlow engine attaches outputs to the input's
 * manager and a long-lived manager grows without bound.
 */
public final class EfficientNetPredictor implements AutoCloseable {
    private final Predictor<NDList, NDList> predictor;
    private final NDManager root;
    private final int resolution;
    private final int classes;
    private ByteBuffer staging = ByteBuffer.allocateDirect(0);

    EfficientNetPredictor(ZooModel<NDList, NDList> model, ModelInfo info) {
        this.predictor = model.newPredictor();
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
            float[] flat = out.get(0).toFloatArray();
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = new float[classes];
                System.arraycopy(flat, i * classes, rows[i], 0, classes);
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
