package io.kvl.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;

import io.kvl.video.VideoDecodeException.Reason;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/** Process-wide FFmpeg set-up and helpers shared by the decoder and the chunker. */
final class Ffmpeg {
    static {
        // FFmpeg's default log callback writes to stderr, and at INFO it dumps every stream it
        // opens. ERROR keeps real problems visible. JavaCV's FFmpegLogCallback (which would route
        // the log through Java) is deliberately not installed: it costs a JNI upcall per line.
        av_log_set_level(AV_LOG_ERROR);
    }

    private Ffmpeg() {}

    /** Loads FFmpeg and sets its log level; cheap after the first call. */
    static void init() {
        // The static initializer does the work exactly once.
    }

    /** Grabber options every reader here uses. */
    static void configure(FFmpegFrameGrabber grabber) {
        // One decoder thread: callers parallelise across chunks (stream threads), and FFmpeg's
        // frame threading adds latency plus a thread pool per grabber.
        grabber.setVideoOption("threads", "1");
        // RAW: no RGB conversion inside JavaCV; ChunkDecoder scales only the frames it selects.
        grabber.setImageMode(FrameGrabber.ImageMode.RAW);
    }

    /**
     * Starts a configured grabber and checks it has video.
     *
     * @param what names the input in messages
     */
    static void start(FFmpegFrameGrabber grabber, String what) throws VideoDecodeException {
        start(grabber, what, true);
    }

    /**
     * Starts a grabber of a source that may take long to open (a network camera) without JavaCV's
     * global lock: {@link FFmpegFrameGrabber#start()} holds a lock on a class shared by every
     * grabber and recorder of the JVM for the whole open, so a camera that accepts the connection
     * and never answers held every other camera of the worker (their opens and the start of each
     * chunk's recorder) for {@code rw.timeout.ms} at each attempt. FFmpeg's open calls are
     * thread-safe on separate contexts; the lock only serialises them.
     */
    static void startUnlocked(FFmpegFrameGrabber grabber, String what) throws VideoDecodeException {
        start(grabber, what, false);
    }

    private static void start(FFmpegFrameGrabber grabber, String what, boolean globalLock)
            throws VideoDecodeException {
        try {
            if (globalLock) {
                grabber.start();
            } else {
                grabber.startUnsafe();
            }
        } catch (FrameGrabber.Exception e) {
            Reason reason = classifyOpenFailure(grabber.getFormatContext());
            throw new VideoDecodeException(
                    reason, what + " cannot be opened (" + reason + "): " + e.getMessage(), e);
        }
        if (!grabber.hasVideo()) {
            throw new VideoDecodeException(Reason.NO_VIDEO_STREAM, what + " has no video stream");
        }
    }

    /**
     * JavaCV reports every start failure with the same exception type; what FFmpeg managed to parse
     * before failing tells the cases apart.
     */
    private static Reason classifyOpenFailure(AVFormatContext context) {
        if (context == null || context.isNull() || context.nb_streams() == 0) {
            return Reason.UNREADABLE_CONTAINER;
        }
        boolean anyVideo = false;
        for (int i = 0; i < context.nb_streams(); i++) {
            AVCodecParameters par = context.streams(i).codecpar();
            if (par.codec_type() == AVMEDIA_TYPE_VIDEO) {
                anyVideo = true;
                if (avcodec_find_decoder(par.codec_id()) == null) {
                    return Reason.UNSUPPORTED_CODEC;
                }
            }
        }
        return anyVideo ? Reason.UNREADABLE_CONTAINER : Reason.NO_VIDEO_STREAM;
    }

    /** A timestamp in {@code timeBase} units as microseconds, rounded, overflow-safe. */
    static long micros(long timestamp, AVRational timeBase) {
        if (timestamp == AV_NOPTS_VALUE) {
            return AV_NOPTS_VALUE;
        }
        return av_rescale(timestamp, 1_000_000L * timeBase.num(), timeBase.den());
    }

    /** FFmpeg's short name of a codec, e.g. {@code "h264"}. */
    static String codecName(int codecId) {
        return avcodec_get_name(codecId).getString();
    }
}
