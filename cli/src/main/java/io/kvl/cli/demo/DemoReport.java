package io.kvl.cli.demo;

import io.kvl.image.RgbImage;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.video.ChunkSampler;
import io.kvl.video.DecodedFrame;
import io.kvl.video.SamplingMode;
import io.kvl.video.VideoDecodeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/** Builds the report's content: thumbnails of labeled frames, summary lines. */
final class DemoReport {
    private static final int THUMBNAILS_PER_CAMERA = 10;
    private static final int RESOLUTION = 224;

    private DemoReport() {}

    /** The written report and, per camera, how many frames the application samples. */
    record Written(Path page, Map<String, Integer> sampledFrames) {}

    /**
     * Writes the report.
     *
     * @param sampledImages per camera, {@link #decodeSampled} of its clip: decoded once, while the
     *     demo runs, because the demo's end is decided by how many frames the application samples
     */
    static Written write(
            Path dir,
            List<DemoCamera> cameras,
            Map<String, Map<Long, RgbImage>> sampledImages,
            DemoResults results,
            LabelerConfig config,
            double seconds)
            throws IOException {
        Map<String, List<ReportWriter.Thumbnail>> thumbs = new LinkedHashMap<>();
        Map<String, Integer> sampled = new LinkedHashMap<>();
        List<LabeledFrame> frames;
        synchronized (results.frames) {
            frames = new ArrayList<>(results.frames);
        }
        for (DemoCamera c : cameras) {
            List<LabeledFrame> mine =
                    frames.stream().filter(f -> f.getCameraId().equals(c.id())).toList();
            Map<Long, RgbImage> images = sampledImages.get(c.id());
            sampled.put(c.id(), images.size());
            List<ReportWriter.Thumbnail> list = new ArrayList<>();
            int step = Math.max(1, mine.size() / THUMBNAILS_PER_CAMERA);
            for (int i = 0; i < mine.size() && list.size() < THUMBNAILS_PER_CAMERA; i += step) {
                RgbImage img = images.get(mine.get(i).getFrameIndex());
                if (img != null) {
                    list.add(ReportWriter.Thumbnail.of(mine.get(i), img));
                }
            }
            thumbs.put(c.id(), list);
        }
        List<String> summary = new ArrayList<>();
        summary.add(
                String.format(
                        Locale.ROOT,
                        "%d cameras, %d frames labeled in %.1f s (%.1f frames/s)",
                        cameras.size(),
                        frames.size(),
                        seconds,
                        frames.size() / seconds));
        if (!frames.isEmpty()) {
            var m = frames.get(0).getModel();
            summary.add(
                    "model "
                            + m.getName()
                            + " ("
                            + m.getVariant()
                            + ", v"
                            + m.getVersion()
                            + "); "
                            + DemoCommand.describe(config));
        }
        summary.add(
                results.alerts.size()
                        + " alerts; windowed counts every "
                        + config.windowSizeMs() / 1000
                        + " s of capture time");
        Path page =
                ReportWriter.write(
                        dir,
                        "kafka-video-labeler demo",
                        summary,
                        thumbs,
                        new ArrayList<>(results.counts),
                        new ArrayList<>(results.alerts));
        return new Written(page, sampled);
    }

    /** The frames the application samples from this camera (same decoder and sampler), by index. */
    static Map<Long, RgbImage> decodeSampled(DemoCamera c, double fps) throws VideoDecodeException {
        Map<Long, RgbImage> images = new HashMap<>();
        ChunkSampler sampler = new ChunkSampler(SamplingMode.FPS, fps, RESOLUTION);
        OptionalLong position = OptionalLong.empty();
        for (VideoChunk chunk : c.chunks()) {
            ChunkSampler.Sampled sampled = sampler.sample(chunk, position);
            position = sampled.position();
            for (DecodedFrame f : sampled.frames()) {
                images.put(chunk.getFirstFrameIndex() + f.indexInChunk(), f.image());
            }
        }
        return images;
    }
}
