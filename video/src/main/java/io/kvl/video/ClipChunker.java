package io.kvl.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import io.kvl.video.VideoDecodeException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a video (an MP4 file, or any source FFmpeg opens) into keyframe-aligned MPEG-TS {@link
 * Chunk}s without re-encoding: packets are copied from the source into a fresh in-memory MPEG-TS
 * per chunk. Audio is dropped.
 *
 * <p>A chunk starts at a keyframe and holds whole GOPs, as many as fit in the target duration;
 * whether the next GOP fits is judged by the length of the GOP that just ended, so regular GOPs
 * give chunks of at most the target. A GOP longer than the target is a chunk of its own.
 *
 * <p>Streaming: {@link #next()} reads the source only as far as the next chunk boundary, so at most
 * one chunk is held in memory. Packets before the first keyframe (a live source joined mid-GOP)
 * cannot be decoded on their own and are skipped. A read error of the source ends the stream like
 * its end does (JavaCV does not tell them apart).
 *
 * <p>Owns a demuxer and, between calls, a muxer: close it. Not thread-safe.
 */
public final class ClipChunker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClipChunker.class);

    /**
     * Chunking options.
     *
     * @param targetDuration the longest chunk wanted; a longer GOP still makes one chunk
     * @param formatOptions FFmpeg options passed to {@code avformat_open_input} (demuxer and
     *     protocol options), e.g. {@code rw_timeout} in microseconds so a stalled network source
     *     fails instead of blocking a read forever; empty by default
     */
    public record Options(Duration targetDuration, Map<String, String> formatOptions) {
        public static final Duration DEFAULT_TARGET_DURATION = Duration.ofSeconds(2);

        public Options {
            Objects.requireNonNull(targetDuration, "targetDuration");
            if (targetDuration.isNegative() || targetDuration.isZero()) {
                throw new IllegalArgumentException(
                        "target duration must be positive: " + targetDuration);
            }
            formatOptions = Map.copyOf(Objects.requireNonNull(formatOptions, "formatOptions"));
        }

        /** Chunks of up to {@code targetDuration}, no FFmpeg options. */
        public Options(Duration targetDuration) {
            this(targetDuration, Map.of());
        }

        /** Chunks of up to {@link #DEFAULT_TARGET_DURATION}. */
        public static Options defaults() {
            return new Options(DEFAULT_TARGET_DURATION);
        }

        /** These options with {@code formatOptions} instead of the current ones. */
        public Options withFormatOptions(Map<String, String> formatOptions) {
            return new Options(targetDuration, formatOptions);
        }
    }

    private final FFmpegFrameGrabber grabber;
    private final String source;
    private final long targetMicros;
    private final int videoIndex;
    private final AVRational timeBase;
    private final double frameRate;
    private final long frameMicros;
    private final String codec;
    private TsChunkWriter current;
    private long currentStartMicros;
    private long previousKeyframeMicros = AV_NOPTS_VALUE;
    private long originPts = AV_NOPTS_VALUE;
    private int sequence;
    private long nextFrameIndex;
    private int lastChunkBytes;
    private long skippedBeforeKeyframe;
    private boolean finished;

    private ClipChunker(FFmpegFrameGrabber grabber, String source, Options options) {
        this.grabber = grabber;
        this.source = source;
        this.targetMicros = options.targetDuration().toNanos() / 1000;
        this.videoIndex = grabber.getVideoStream();
        AVStream stream = grabber.getFormatContext().streams(videoIndex);
        this.timeBase = stream.time_base();
        this.frameRate = grabber.getVideoFrameRate();
        this.frameMicros = frameRate > 0 ? Math.round(1_000_000 / frameRate) : 0;
        this.codec = Ffmpeg.codecName(stream.codecpar().codec_id());
    }

    /**
     * Opens a source for chunking.
     *
     * @param source a file path or a URL FFmpeg understands
     * @throws VideoDecodeException when the source cannot be opened or has no video
     */
    public static ClipChunker open(String source, Options options) throws VideoDecodeException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        Ffmpeg.init();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source);
        Ffmpeg.configure(grabber);
        options.formatOptions().forEach(grabber::setOption);
        try {
            Ffmpeg.startUnlocked(grabber, "'" + source + "'");
            return new ClipChunker(grabber, source, options);
        } catch (VideoDecodeException | RuntimeException e) {
            closeQuietly(grabber, source);
            throw e;
        }
    }

    /** Opens a video file for chunking. */
    public static ClipChunker open(Path file, Options options) throws VideoDecodeException {
        return open(file.toString(), options);
    }

    /** Cuts a whole file into chunks, in order. */
    public static List<Chunk> chunkAll(Path file, Options options) throws VideoDecodeException {
        try (ClipChunker chunker = open(file, options)) {
            List<Chunk> chunks = new ArrayList<>();
            Optional<Chunk> chunk;
            while ((chunk = chunker.next()).isPresent()) {
                chunks.add(chunk.get());
            }
            return chunks;
        }
    }

    /** The source's average frame rate, frames per second (0 when unknown). */
    public double frameRate() {
        return frameRate;
    }

    /** The source's frame width in pixels. */
    public int width() {
        return grabber.getImageWidth();
    }

    /** The source's frame height in pixels. */
    public int height() {
        return grabber.getImageHeight();
    }

    /**
     * Reads up to the next chunk boundary.
     *
     * @return the next chunk, or empty at the end of the source
     */
    public Optional<Chunk> next() throws VideoDecodeException {
        while (!finished) {
            AVPacket packet = readPacket();
            if (packet == null) {
                finished = true;
                if (skippedBeforeKeyframe > 0) {
                    LOG.info(
                            "Skipped {} packets before the first keyframe of '{}'",
                            skippedBeforeKeyframe,
                            source);
                }
                return Optional.ofNullable(finishCurrent());
            }
            if (packet.stream_index() != videoIndex) {
                av_packet_unref(packet);
                continue;
            }
            Chunk completed = accept(packet);
            if (completed != null) {
                return Optional.of(completed);
            }
        }
        return Optional.empty();
    }

    private AVPacket readPacket() throws VideoDecodeException {
        try {
            return grabber.grabPacket();
        } catch (FrameGrabber.Exception e) {
            throw new VideoDecodeException(
                    Reason.CORRUPT_STREAM,
                    "cannot read a packet from '" + source + "': " + e.getMessage(),
                    e);
        }
    }

    /** Adds a video packet; returns the chunk it completed, if it starts a new one. */
    private Chunk accept(AVPacket packet) throws VideoDecodeException {
        if (current == null && (packet.pts() == AV_NOPTS_VALUE || packet.dts() == AV_NOPTS_VALUE)) {
            // A live stream's first packets can come without timestamps while FFmpeg's parser
            // fills its reordering delay (RTSP with B-frames: the first keyframe has neither pts
            // nor dts, the next frames no dts); the muxer rejects them, so no chunk starts there.
            skippedBeforeKeyframe++;
            av_packet_unref(packet);
            return null;
        }
        boolean keyframe = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
        long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
        long ptsMicros = Ffmpeg.micros(pts, timeBase);
        Chunk completed = null;
        if (keyframe) {
            if (current == null) {
                startChunk(ptsMicros);
            } else if (isFull(ptsMicros)) {
                completed = finishCurrent();
                startChunk(ptsMicros);
            }
            previousKeyframeMicros = ptsMicros;
        } else if (current == null) {
            skippedBeforeKeyframe++;
            av_packet_unref(packet);
            return null;
        }
        current.write(packet, pts);
        return completed;
    }

    /**
     * Whether the current chunk should end before the keyframe at {@code keyframeMicros}: when
     * another GOP as long as the one that just ended would take it past the target. One frame of
     * slack absorbs timestamp rounding (29.97 fps GOPs of "1 s" are 1.001 s).
     */
    private boolean isFull(long keyframeMicros) {
        long elapsed = keyframeMicros - currentStartMicros;
        long lastGop = keyframeMicros - previousKeyframeMicros;
        return elapsed + lastGop > targetMicros + frameMicros;
    }

    private void startChunk(long keyframeMicros) throws VideoDecodeException {
        current =
                TsChunkWriter.start(
                        grabber.getFormatContext(),
                        grabber.getImageWidth(),
                        grabber.getImageHeight(),
                        lastChunkBytes + lastChunkBytes / 4);
        currentStartMicros = keyframeMicros;
    }

    private Chunk finishCurrent() throws VideoDecodeException {
        if (current == null) {
            return null;
        }
        try (TsChunkWriter writer = current) {
            current = null;
            byte[] data = writer.finish();
            if (originPts == AV_NOPTS_VALUE) {
                originPts = writer.minPts();
            }
            Chunk chunk =
                    new Chunk(
                            sequence++,
                            nextFrameIndex,
                            writer.frameCount(),
                            Ffmpeg.micros(writer.minPts() - originPts, timeBase),
                            frameRate,
                            data,
                            TsChunkWriter.CONTAINER,
                            codec);
            nextFrameIndex += writer.frameCount();
            lastChunkBytes = data.length;
            LOG.debug("Cut {} from '{}'", chunk, source);
            return chunk;
        }
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
        closeQuietly(grabber, source);
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber, String source) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception e) {
            // The demuxer's native memory is freed before the step that can fail.
            LOG.warn("Closing the grabber of '{}' failed", source, e);
        }
    }
}
