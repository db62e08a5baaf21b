package io.kvl.streams.labeling;

import io.kvl.image.RgbImage;
import io.kvl.schemas.LabeledFrame;

/**
 * Sees every labeled frame as it is forwarded, with the image it was computed from (for example the
 * live dashboard's thumbnails). Called on stream threads: implementations must be quick and
 * thread-safe, and never throw.
 */
@FunctionalInterface
public interface LabeledFrameObserver {
    LabeledFrameObserver NONE = (frame, image) -> {};

    void labeled(LabeledFrame frame, RgbImage image);
}
