package io.kvl.video;

import io.kvl.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The sample clips of {@code samples/} (real H.264 camera footage, CC BY 4.0) and what is known
 * about them.
 */
enum SampleClip {
    BOTTLE("bottle-detection.mp4", 1189, 640, 360, 250, List.of(250, 250, 250, 250, 189)),
    CAR("car-detection.mp4", 377, 768, 432, 60, List.of(60, 60, 60, 60, 60, 60, 17));

    private static final Map<SampleClip, List<Chunk>> CHUNKS = new ConcurrentHashMap<>();

    final String fileName;
    final int frameCount;
    final int width;
    final int height;
    final int keyframeInterval;
    final List<Integer> defaultChunkFrameCounts;

    SampleClip(
            String fileName,
            int frameCount,
            int width,
            int height,
            int keyframeInterval,
            List<Integer> defaultChunkFrameCounts) {
        this.fileName = fileName;
        this.frameCount = frameCount;
        this.width = width;
        this.height = height;
        this.keyframeInterval = keyframeInterval;
        this.defaultChunkFrameCounts = defaultChunkFrameCounts;
    }

    /** The clip's file (see {@link Fixtures#sampleClip}). */
    Path path() {
        return Fixtures.sampleClip(fileName);
    }

    byte[] bytes() throws Exception {
        return Files.readAllBytes(path());
    }

    /** The clip cut with the default options, computed once per test run. */
    List<Chunk> chunks() throws Exception {
        Path file = path();
        List<Chunk> cached = CHUNKS.get(this);
        if (cached == null) {
            cached = ClipChunker.chunkAll(file, ClipChunker.Options.defaults());
            CHUNKS.put(this, cached);
        }
        return cached;
    }

    /** Counts video frames with a plain JavaCV pass over the file, independent of this module. */
    int countFramesWithPlainGrabber() throws FrameGrabber.Exception {
        int count = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(path().toFile())) {
            grabber.setVideoOption("threads", "1");
            grabber.start();
            while (grabber.grabFrame(false, true, false, false, false) != null) {
                count++;
            }
        }
        return count;
    }
}
