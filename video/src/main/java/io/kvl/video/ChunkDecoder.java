package io.kvl.video;

import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import io.kvl.video.VideoDecodeException.Reason;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes an in-memory chunk (MPEG-TS {@code "mpegts"}, or MP4 {@code "mp4"}/{@code "mov"},
 * fragmented or not) into model-sized RGB frames.
 *
 * <p>Every frame is decoded, because frame counts are checked and because H.264 frames depend on
 * each other; only frames the {@link FrameSelector} accepts are scaled (swscale, to RGB24 with the
 * shorter side equal to the resolution) and centre-cropped to a square.
 *
 * <p>FFmpeg hides decode errors once a stream is open: a damaged chunk simply ends early. The
 * decoded count is therefore compared with the count the producer declared, and any difference is
 * an error ({@link Reason#TRUNCATED}, {@link Reason#TOO_MANY_FRAMES}).
 *
 * <p>Stateless and thread-safe; each call uses its own decoder (one thread) and frees all of its
 * native memory before returning, also on failure.
 */
public final class ChunkDecoder {
    public ChunkDecoder() {
        Ffmpeg.init();
    }

    /** Decodes a chunk cut by {@link ClipChunker}, checking its declared frame count. */
    public List<DecodedFrame> decode(Chunk chunk, FrameSelector selector, int resolution)
            throws VideoDecodeException {
        return decode(chunk.data(), chunk.container(), chunk.frameCount(), selector, resolution);
    }

    /**
     * Decodes one chunk.
     *
     * @param data the chunk's bytes, a complete container (not copied; not modified)
     * @param container FFmpeg demuxer name: {@code "mpegts"}, {@code "mp4"} or {@code "mov"}
     * @param declaredFrameCount how many video frames the producer put in the chunk
     * @param selector which frames to convert, asked once per decoded frame in order
     * @param resolution side of the square output images, e.g. 224
     * @return the selected frames in presentation order
     * @throws VideoDecodeException when the chunk cannot be decoded to exactly {@code
     *     declaredFrameCount} frames; {@link VideoDecodeException#reason()} says why
     */
    public List<DecodedFrame> decode(
            byte[] data,
            String container,
            int declaredFrameCount,
            FrameSelector selector,
            int resolution)
            throws VideoDecodeException {
        return decode(data, container, declaredFrameCount, selector, resolution, frame -> {});
    }

    /**
     * Like {@link #decode(byte[], String, int, FrameSelector, int)}, and hands each selected frame
     * to {@code onSelected} as soon as it is converted, while the rest of the chunk still decodes
     * (so work on the first frames can overlap with decoding the later ones). The frames handed
     * over are not yet checked: a chunk that then fails ({@link VideoDecodeException}) has handed
     * over some frames, which the caller must drop.
     *
     * @param onSelected called on the decoding thread, in presentation order; an exception it
     *     throws ends decoding (the decoder is freed) and propagates
     */
    public List<DecodedFrame> decode(
            byte[] data,
            String container,
            int declaredFrameCount,
            FrameSelector selector,
            int resolution,
            Consumer<DecodedFrame> onSelected)
            throws VideoDecodeException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(onSelected, "onSelected");
        if (declaredFrameCount < 1) {
            throw new IllegalArgumentException(
                    "declared frame count must be positive: " + declaredFrameCount);
        }
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be positive: " + resolution);
        }
        if (data.length == 0) {
            throw new VideoDecodeException(Reason.EMPTY, "the " + container + " chunk is empty");
        }
        if (av_find_input_format(container) == null) {
            throw new VideoDecodeException(
                    Reason.UNREADABLE_CONTAINER, "unknown container format '" + container + "'");
        }
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(data));
                RgbScaler scaler = new RgbScaler(resolution)) {
            grabber.setFormat(container);
            Ffmpeg.configure(grabber);
            Ffmpeg.start(grabber, describe(container, data.length));
            List<DecodedFrame> frames = new ArrayList<>();
            int decoded = decodeAll(grabber, selector, scaler, frames, onSelected);
            checkCount(decoded, declaredFrameCount, container, data.length);
            return frames;
        } catch (FrameGrabber.Exception e) {
            throw new VideoDecodeException(
                    Reason.CORRUPT_STREAM,
                    "FFmpeg failed reading a " + container + " chunk: " + e.getMessage(),
                    e);
        }
    }

    /** Decodes to the end, converting selected frames; returns the number of decoded frames. */
    private static int decodeAll(
            FFmpegFrameGrabber grabber,
            FrameSelector selector,
            RgbScaler scaler,
            List<DecodedFrame> out,
            Consumer<DecodedFrame> onSelected)
            throws FrameGrabber.Exception, VideoDecodeException {
        AVStream stream = grabber.getFormatContext().streams(grabber.getVideoStream());
        AVRational timeBase = stream.time_base();
        // Times are relative to the stream's first frame and computed in its own time base, so
        // the first frame is exactly 0 (converting both ends to micros first can give -1).
        long originPts = stream.start_time();
        double frameRate = grabber.getVideoFrameRate();
        int index = 0;
        Frame frame;
        // doProcessing=true is cheap in RAW mode: it only exposes the decoded AVFrame as opaque.
        while ((frame = grabber.grabFrame(false, true, true, false, false)) != null) {
            AVFrame picture = (AVFrame) frame.opaque;
            long pts = picture.best_effort_timestamp();
            long ptsMicros;
            if (pts == AV_NOPTS_VALUE) {
                ptsMicros = estimatedPts(index, frameRate);
            } else {
                if (originPts == AV_NOPTS_VALUE) {
                    originPts = pts;
                }
                ptsMicros = Ffmpeg.micros(pts - originPts, timeBase);
            }
            if (selector.select(index, ptsMicros, frame.keyFrame)) {
                DecodedFrame selected =
                        new DecodedFrame(index, ptsMicros, frame.keyFrame, scaler.square(picture));
                out.add(selected);
                onSelected.accept(selected);
            }
            index++;
        }
        return index;
    }

    private static long estimatedPts(int index, double frameRate) {
        return frameRate > 0 ? Math.round(index * 1_000_000 / frameRate) : 0;
    }

    private static void checkCount(int decoded, int declared, String container, int size)
            throws VideoDecodeException {
        if (decoded < declared) {
            throw new VideoDecodeException(
                    Reason.TRUNCATED,
                    describe(container, size)
                            + " decoded to "
                            + decoded
                            + " of "
                            + declared
                            + " declared frames: it is cut short or corrupt");
        }
        if (decoded > declared) {
            throw new VideoDecodeException(
                    Reason.TOO_MANY_FRAMES,
                    describe(container, size)
                            + " decoded to "
                            + decoded
                            + " frames but "
                            + declared
                            + " were declared: the producer's count is wrong");
        }
    }

    private static String describe(String container, int size) {
        return "the " + size + "-byte " + container + " chunk";
    }
}
