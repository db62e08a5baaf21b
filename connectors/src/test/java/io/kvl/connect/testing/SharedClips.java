package io.kvl.connect.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The sample clips of {@code ../shared/videos} (system property {@code kvl.shared.dir}). */
public final class SharedClips {
    /** Frames of car-detection.mp4 (768x432, 12.5 fps, a keyframe every 60 frames). */
    public static final int CAR_FRAMES = 377;

    /** Chunks of car-detection.mp4 at the default 2 s target: one GOP each. */
    public static final int CAR_CHUNKS = 7;

    private SharedClips() {}

    /** car-detection.mp4; skips the test when the shared data is absent. */
    public static Path carClip() {
        Path clip =
                Path.of(
                                System.getProperty("kvl.shared.dir", "../shared"),
                                "videos",
                                "car-detection.mp4")
                        .toAbsolutePath()
                        .normalize();
        assumeTrue(Files.isRegularFile(clip), "sample clip " + clip + " present");
        return clip;
    }
}
