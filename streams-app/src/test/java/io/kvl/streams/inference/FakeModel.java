package io.kvl.streams.inference;

import io.kvl.image.RgbImage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A deterministic stand-in for the network in topology tests: class = first pixel's red value, so a
 * test controls the label through the pixels. Records the size of every batch it is given.
 */
public final class FakeModel implements Function<List<RgbImage>, float[][]> {
    public static final int CLASSES = 1000;

    public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @Override
    public float[][] apply(List<RgbImage> images) {
        batchSizes.add(images.size());
        float[][] out = new float[images.size()][CLASSES];
        for (int i = 0; i < images.size(); i++) {
            int cls = images.get(i).pixels()[0] & 0xFF;
            out[i][cls] = 0.9f;
            out[i][(cls + 1) % CLASSES] = 0.1f;
        }
        return out;
    }

    /** A batcher around this model. */
    public MicroBatcher batcher(int resolution, int maxBatch, long maxDelayMs) {
        return new MicroBatcher(
                this,
                resolution,
                new FrameClassifier.ModelIdentity("fake", "fake-variant", "0"),
                maxBatch,
                maxDelayMs,
                BatchListener.NONE);
    }
}
