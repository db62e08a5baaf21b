package io.kvl.cli.bench;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * A clip re-encoded with a keyframe every {@code gopSeconds}, as IP cameras commonly send (1-2 s),
 * for measuring latency with short chunks: a chunk is one GOP, and the bundled clips' GOPs are long
 * (8.4 s for the bottle clip). H.264 through OpenH264, the encoder in JavaCV's FFmpeg build; every
 * frame is kept at the source's frame rate and size.
 */
final class ShortGopClip {
    private static final String ENCODER = "libopenh264";

    private ShortGopClip() {}

    /**
     * Writes {@code source} re-encoded into {@code target} (MP4).
     *
     * @return the frames written
     */
    static int write(Path source, Path target, double gopSeconds) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.toFile())) {
            grabber.setVideoOption("threads", "1");
            grabber.start();
            double fps = grabber.getVideoFrameRate();
            int gop = Math.max(1, (int) Math.round(fps * gopSeconds));
            int frames = 0;
            try (FFmpegFrameRecorder recorder =
                    new FFmpegFrameRecorder(
                            target.toFile(),
                            grabber.getImageWidth(),
                            grabber.getImageHeight(),
                            0)) {
                recorder.setFormat("mp4");
                recorder.setVideoCodecName(ENCODER);
                recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(fps);
                recorder.setGopSize(gop);
                recorder.setVideoBitrate(2_000_000);
                recorder.start();
                Frame frame;
                while ((frame = grabber.grabImage()) != null) {
                    recorder.record(frame);
                    frames++;
                }
                recorder.stop();
            }
            return frames;
        }
    }
}
