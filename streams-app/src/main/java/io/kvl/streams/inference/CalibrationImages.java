package io.kvl.streams.inference;

import io.kvl.efficientnet.image.ImagePreprocessor;
import io.kvl.image.RgbImage;
import io.kvl.schemas.VideoChunk;
import io.kvl.video.ChunkSampler;
import io.kvl.video.DecodedFrame;
import io.kvl.video.SamplingMode;
import io.kvl.video.VideoChunks;
import io.kvl.video.VideoDecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Images for INT8 calibration from what the user points at: photos (JPEG, PNG) centre-cropped as
 * for classification, and video clips (MP4, MPEG-TS, MKV) sampled at {@value #CLIP_FPS} frames per
 * second through the same decoder and scaler as live chunks. Directories are read in name order. At
 * most {@code limit} images are kept, spread evenly over what was found.
 */
public final class CalibrationImages {
    /** Frames per second taken from clips: neighbouring frames add little. */
    static final double CLIP_FPS = 2.0;

    private CalibrationImages() {}

    public static List<RgbImage> load(List<Path> sources, int resolution, int limit)
            throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path source : sources) {
            if (Files.isDirectory(source)) {
                try (Stream<Path> s = Files.list(source)) {
                    s.filter(CalibrationImages::usable).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(source)) {
                files.add(source);
            } else {
                throw new IOException("calibration source not found: " + source);
            }
        }
        List<RgbImage> images = new ArrayList<>();
        ImagePreprocessor photos = new ImagePreprocessor(resolution);
        for (Path f : files) {
            if (isVideo(f)) {
                images.addAll(frames(f, resolution));
            } else if (isPhoto(f)) {
                images.add(photos.load(f));
            } else {
                throw new IOException("not a photo or video clip: " + f);
            }
        }
        if (images.isEmpty()) {
            throw new IOException("no photos or video clips in " + sources);
        }
        return spread(images, limit);
    }

    private static List<RgbImage> frames(Path clip, int resolution) throws IOException {
        List<RgbImage> out = new ArrayList<>();
        ChunkSampler sampler = new ChunkSampler(SamplingMode.FPS, CLIP_FPS, resolution);
        OptionalLong position = OptionalLong.empty();
        try {
            for (VideoChunk chunk : VideoChunks.ofClip(clip, "calibration", 0)) {
                ChunkSampler.Sampled sampled = sampler.sample(chunk, position);
                position = sampled.position();
                for (DecodedFrame f : sampled.frames()) {
                    out.add(f.image());
                }
            }
        } catch (VideoDecodeException e) {
            throw new IOException(
                    "cannot decode calibration clip " + clip + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Every n-th image so that at most {@code limit} remain, first and last clips both covered. */
    static List<RgbImage> spread(List<RgbImage> images, int limit) {
        if (images.size() <= limit) {
            return images;
        }
        List<RgbImage> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            out.add(images.get((int) ((long) i * images.size() / limit)));
        }
        return out;
    }

    private static boolean usable(Path p) {
        return isPhoto(p) || isVideo(p);
    }

    private static boolean isPhoto(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    private static boolean isVideo(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".mp4") || n.endsWith(".ts") || n.endsWith(".mkv") || n.endsWith(".mov");
    }
}
