package io.kvl.connect.testing;

import io.kvl.testing.Fixtures;
import java.nio.file.Path;

/** What the connector tests know about {@code samples/car-detection.mp4}. */
public final class CarClip {
    /** Frames of car-detection.mp4 (768x432, 12.5 fps, a keyframe every 60 frames). */
    public static final int FRAMES = 377;

    /** Chunks of car-detection.mp4 at the default 2 s target: one GOP each. */
    public static final int CHUNKS = 7;

    private CarClip() {}

    /** The clip's file (see {@link Fixtures#sampleClip}). */
    public static Path path() {
        return Fixtures.sampleClip(Fixtures.CAR_CLIP).toAbsolutePath().normalize();
    }
}
