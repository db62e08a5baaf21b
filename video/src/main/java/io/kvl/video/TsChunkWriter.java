package io.kvl.video;

import io.kvl.video.VideoDecodeException.Reason;
import java.io.ByteArrayOutputStream;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remuxes the video packets of one chunk into an in-memory MPEG-TS, without re-encoding. Audio is
 * dropped: the recorder is created without audio channels.
 *
 * <p>H.264 in MP4 stores SPS/PPS once (avcC) and length-prefixed NAL units; MPEG-TS needs Annex B
 * start codes with SPS/PPS in-band. FFmpeg's mpegts muxer inserts the {@code h264_mp4toannexb}
 * bitstream filter by itself (automatic BSF), which also repeats SPS/PPS before each IDR frame, so
 * every chunk, starting with a keyframe, decodes on its own.
 */
final class TsChunkWriter implements AutoCloseable {
    static final String CONTAINER = "mpegts";
    private static final Logger LOG = LoggerFactory.getLogger(TsChunkWriter.class);
    private static final String TABLES_PERIOD_SECONDS = "86400";

    private final ByteArrayOutputStream out;
    private final FFmpegFrameRecorder recorder;
    private int frameCount;
    private long minPts = Long.MAX_VALUE;

    private TsChunkWriter(ByteArrayOutputStream out, FFmpegFrameRecorder recorder) {
        this.out = out;
        this.recorder = recorder;
    }

    /** Starts a chunk with the streams of {@code input} (the grabber's format context). */
    static TsChunkWriter start(AVFormatContext input, int width, int height, int sizeHint)
            throws VideoDecodeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(sizeHint, 64 * 1024));
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out, width, height);
        recorder.setFormat(CONTAINER);
        // A chunk is read from its start, never tuned into mid-stream, so the tables (PAT/PMT
        // every 0.1 s, SDT every 0.5 s by default) are needed once: this saves ~20% of the bytes.
        recorder.setOption("pat_period", TABLES_PERIOD_SECONDS);
        recorder.setOption("sdt_period", TABLES_PERIOD_SECONDS);
        try {
            recorder.start(input);
        } catch (FrameRecorder.Exception e) {
            release(recorder);
            throw new VideoDecodeException(
                    Reason.UNSUPPORTED_CODEC,
                    "cannot remux the video stream into MPEG-TS: " + e.getMessage(),
                    e);
        }
        return new TsChunkWriter(out, recorder);
    }

    /**
     * Writes one video packet. The recorder takes the packet's data (it is unreferenced), so read
     * anything needed from it before.
     */
    void write(AVPacket packet, long pts) throws VideoDecodeException {
        try {
            recorder.recordPacket(packet);
        } catch (FrameRecorder.Exception e) {
            throw new VideoDecodeException(
                    Reason.CORRUPT_STREAM, "cannot remux a video packet: " + e.getMessage(), e);
        }
        frameCount++;
        minPts = Math.min(minPts, pts);
    }

    int frameCount() {
        return frameCount;
    }

    /**
     * Presentation time of the earliest frame written, in the source stream's time base (packets
     * arrive in decode order, so this is not necessarily the first packet's).
     */
    long minPts() {
        return minPts;
    }

    /** Writes the trailer and returns the container bytes. */
    byte[] finish() throws VideoDecodeException {
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new VideoDecodeException(
                    Reason.CORRUPT_STREAM, "cannot finish an MPEG-TS chunk: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        release(recorder);
    }

    private static void release(FFmpegFrameRecorder recorder) {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            // Only closing the in-memory output stream can fail here, which it does not; the
            // native memory is freed before that step.
            LOG.warn("Releasing an MPEG-TS recorder failed", e);
        }
    }
}
