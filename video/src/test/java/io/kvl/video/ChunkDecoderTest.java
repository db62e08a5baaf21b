package io.kvl.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP2;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import io.kvl.image.RgbImage;
import io.kvl.video.VideoDecodeException.Reason;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.assertj.core.api.AbstractObjectAssert;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkDecoderTest {
    private final ChunkDecoder decoder = new ChunkDecoder();

    @ParameterizedTest
    @ValueSource(ints = {224, 300, 112})
    void shouldReturnSquareImagesOfTheRequestedResolutionWithPlausibleContent(int resolution)
            throws Exception {
        Chunk chunk = SampleClip.CAR.chunks().get(1);

        List<DecodedFrame> frames =
                decoder.decode(
                        chunk.data(),
                        chunk.container(),
                        chunk.frameCount(),
                        (index, pts, keyframe) -> index % 20 == 0,
                        resolution);

        assertThat(frames).extracting(DecodedFrame::indexInChunk).containsExactly(0, 20, 40);
        for (DecodedFrame frame : frames) {
            RgbImage image = frame.image();
            assertThat(image.width()).isEqualTo(resolution);
            assertThat(image.height()).isEqualTo(resolution);
            assertThat(mean(image.pixels())).isBetween(40.0, 215.0);
            assertThat(standardDeviation(image.pixels())).isGreaterThan(10.0);
        }
    }

    /**
     * JavaCV's own RGB path (grabber scaled to 398x224, RGB24) must give the same pixels as the
     * decoder's centre crop: this pins the row stride handling and the crop offsets.
     */
    @ParameterizedTest
    @EnumSource(SampleClip.class)
    void shouldMatchJavaCvsOwnScalingCentreCropped(SampleClip clip) throws Exception {
        Chunk chunk = clip.chunks().get(0);
        RgbImage ours =
                decoder.decode(
                                chunk.data(),
                                chunk.container(),
                                chunk.frameCount(),
                                (index, pts, keyframe) -> index == 5,
                                224)
                        .get(0)
                        .image();

        byte[] reference;
        try (FFmpegFrameGrabber grabber =
                new FFmpegFrameGrabber(new ByteArrayInputStream(chunk.data()))) {
            grabber.setFormat(chunk.container());
            grabber.setVideoOption("threads", "1");
            grabber.setPixelFormat(AV_PIX_FMT_RGB24);
            grabber.setImageWidth(398);
            grabber.setImageHeight(224);
            grabber.start();
            Frame frame = null;
            for (int i = 0; i <= 5; i++) {
                frame = grabber.grabImage();
            }
            reference = centreCrop(frame, 224);
        }
        assertThat(ours.pixels()).isEqualTo(reference);
    }

    @Test
    void shouldAskTheSelectorAboutEveryFrameInPresentationOrder() throws Exception {
        Chunk chunk = SampleClip.BOTTLE.chunks().get(1);
        List<Long> times = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();

        decoder.decode(
                chunk.data(),
                chunk.container(),
                chunk.frameCount(),
                (index, pts, keyframe) -> {
                    indices.add(index);
                    times.add(pts);
                    return false;
                },
                224);

        assertThat(indices).isEqualTo(IntStream.range(0, chunk.frameCount()).boxed().toList());
        assertThat(times.get(0)).isZero();
        assertThat(times).isSorted().doesNotHaveDuplicates();
        assertThat(times.get(times.size() - 1))
                .isCloseTo(
                        chunk.durationMicros() - Math.round(1e6 / chunk.frameRate()), within(2L));
    }

    /**
     * Selected frames are handed over while the chunk still decodes (the labeler starts inference
     * on them), each before the next frame is decoded, and they are the frames returned.
     */
    @Test
    void shouldHandOverEachSelectedFrameBeforeDecodingTheNext() throws Exception {
        Chunk chunk = SampleClip.BOTTLE.chunks().get(1);
        List<String> events = new ArrayList<>();
        List<DecodedFrame> handed = new ArrayList<>();

        List<DecodedFrame> frames =
                decoder.decode(
                        chunk.data(),
                        chunk.container(),
                        chunk.frameCount(),
                        (index, pts, keyframe) -> {
                            events.add("decoded " + index);
                            return index % 100 == 0;
                        },
                        224,
                        frame -> {
                            events.add("handed " + frame.indexInChunk());
                            handed.add(frame);
                        });

        assertThat(handed).isEqualTo(frames);
        assertThat(frames).extracting(DecodedFrame::indexInChunk).containsExactly(0, 100, 200);
        assertThat(events.indexOf("handed 100")).isEqualTo(events.indexOf("decoded 100") + 1);
        assertThat(events.indexOf("handed 200")).isLessThan(events.indexOf("decoded 201"));
    }

    /** A chunk that then turns out truncated has handed frames over; the error still comes. */
    @Test
    void shouldStillReportATruncatedChunkAfterHandingFramesOver() throws Exception {
        Chunk chunk = SampleClip.BOTTLE.chunks().get(1);
        byte[] cut = Arrays.copyOf(chunk.data(), chunk.data().length / 2);
        List<DecodedFrame> handed = new ArrayList<>();

        assertReason(
                        () ->
                                decoder.decode(
                                        cut,
                                        "mpegts",
                                        chunk.frameCount(),
                                        FrameSelector.all(),
                                        64,
                                        handed::add))
                .isEqualTo(Reason.TRUNCATED);
        assertThat(handed).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(SampleClip.class)
    void shouldSelectOnlyKeyframesWithKeyframesOnly(SampleClip clip) throws Exception {
        List<DecodedFrame> frames =
                decoder.decode(
                        clip.bytes(), "mp4", clip.frameCount, FrameSelector.keyframesOnly(), 224);

        assertThat(frames).allMatch(DecodedFrame::keyframe);
        assertThat(frames)
                .extracting(DecodedFrame::indexInChunk)
                .isEqualTo(
                        IntStream.iterate(
                                        0, i -> i < clip.frameCount, i -> i + clip.keyframeInterval)
                                .boxed()
                                .toList());
    }

    @Test
    void shouldDecodeAWholeMp4FromMemory() throws Exception {
        SampleClip clip = SampleClip.CAR;
        List<DecodedFrame> frames =
                decoder.decode(clip.bytes(), "mov", clip.frameCount, (i, p, k) -> i == 376, 224);

        assertThat(frames)
                .singleElement()
                .extracting(DecodedFrame::ptsMicros)
                .isEqualTo(30_080_000L);
    }

    @Test
    void shouldDecodeAFragmentedMp4FromMemory() throws Exception {
        SampleClip clip = SampleClip.CAR;
        byte[] fragmented = fragmentedMp4(clip);

        List<DecodedFrame> frames =
                decoder.decode(
                        fragmented, "mp4", clip.frameCount, FrameSelector.keyframesOnly(), 224);

        assertThat(frames)
                .extracting(DecodedFrame::indexInChunk)
                .containsExactly(0, 60, 120, 180, 240, 300, 360);
    }

    @Test
    void shouldDecodeConcurrentlyWithTheSameResultAsSequentially() throws Exception {
        List<Chunk> chunks = SampleClip.CAR.chunks();
        FrameSelector everyTenth = (index, pts, keyframe) -> index % 10 == 0;
        List<List<byte[]>> sequential = new ArrayList<>();
        for (Chunk chunk : chunks) {
            sequential.add(pixels(decoder.decode(chunk, everyTenth, 64)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<byte[]>>> concurrent = new ArrayList<>();
            for (Chunk chunk : chunks) {
                concurrent.add(pool.submit(() -> pixels(decoder.decode(chunk, everyTenth, 64))));
            }
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(concurrent.get(i).get(30, TimeUnit.SECONDS))
                        .containsExactlyElementsOf(sequential.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReportATruncatedChunk() throws Exception {
        Chunk chunk = SampleClip.BOTTLE.chunks().get(1);
        for (double kept : new double[] {0.1, 0.5, 0.9, 0.999}) {
            byte[] cut = Arrays.copyOf(chunk.data(), (int) (chunk.data().length * kept));
            assertReason(() -> decodeAll(cut, "mpegts", chunk.frameCount()))
                    .as("kept %s of the bytes", kept)
                    .isIn(Reason.TRUNCATED, Reason.UNREADABLE_CONTAINER);
        }
        byte[] secondHalf =
                Arrays.copyOfRange(chunk.data(), chunk.data().length / 2, chunk.data().length);
        // Without its head the chunk has no PAT/PMT (written once per chunk), and FFmpeg may
        // probe the orphaned video PES as audio: any of these reasons, but never a result.
        assertReason(() -> decodeAll(secondHalf, "mpegts", chunk.frameCount()))
                .isIn(Reason.TRUNCATED, Reason.UNREADABLE_CONTAINER, Reason.NO_VIDEO_STREAM);
    }

    @Test
    void shouldReportMoreFramesThanDeclared() throws Exception {
        Chunk chunk = SampleClip.CAR.chunks().get(6);
        assertReason(() -> decodeAll(chunk.data(), "mpegts", chunk.frameCount() - 1))
                .isEqualTo(Reason.TOO_MANY_FRAMES);
    }

    @Test
    void shouldReportRandomBytesAsUnreadable() {
        byte[] noise = new byte[100_000];
        new Random(42).nextBytes(noise);
        assertReason(() -> decodeAll(noise, "mpegts", 10)).isEqualTo(Reason.UNREADABLE_CONTAINER);
        assertReason(() -> decodeAll(noise, "mp4", 10)).isEqualTo(Reason.UNREADABLE_CONTAINER);
    }

    @Test
    void shouldReportZeroBytesAsEmpty() {
        assertReason(() -> decodeAll(new byte[0], "mpegts", 10)).isEqualTo(Reason.EMPTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg"})
    void shouldRejectAStillImage(String format) throws Exception {
        byte[] image = stillImage(format);
        assertReason(() -> decodeAll(image, "mpegts", 1)).isEqualTo(Reason.UNREADABLE_CONTAINER);
        assertReason(() -> decodeAll(image, "mp4", 1)).isEqualTo(Reason.UNREADABLE_CONTAINER);
    }

    @Test
    void shouldRejectAnUnknownContainerName() throws Exception {
        Chunk chunk = SampleClip.CAR.chunks().get(6);
        assertReason(() -> decodeAll(chunk.data(), "no-such-format", chunk.frameCount()))
                .isEqualTo(Reason.UNREADABLE_CONTAINER);
        assertReason(() -> decodeAll(chunk.data(), "mp4", chunk.frameCount()))
                .isEqualTo(Reason.UNREADABLE_CONTAINER);
    }

    @Test
    void shouldReportAudioOnlyStreamsAsHavingNoVideo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out, 1)) {
            recorder.setFormat("mpegts");
            recorder.setAudioCodec(AV_CODEC_ID_MP2);
            recorder.setSampleRate(44_100);
            recorder.start();
            short[] tone = new short[44_100];
            for (int i = 0; i < tone.length; i++) {
                tone[i] = (short) (8000 * Math.sin(i * 2 * Math.PI * 440 / 44_100));
            }
            recorder.recordSamples(44_100, 1, ShortBuffer.wrap(tone));
            recorder.stop();
        }
        assertReason(() -> decodeAll(out.toByteArray(), "mpegts", 1))
                .isEqualTo(Reason.NO_VIDEO_STREAM);
    }

    private List<DecodedFrame> decodeAll(byte[] data, String container, int frames)
            throws VideoDecodeException {
        return decoder.decode(data, container, frames, FrameSelector.all(), 224);
    }

    @FunctionalInterface
    private interface Decoding {
        void run() throws Exception;
    }

    /** Asserts the decoding fails with a {@link VideoDecodeException}; continues on its reason. */
    private static AbstractObjectAssert<?, Reason> assertReason(Decoding decoding) {
        Throwable thrown = catchThrowable(decoding::run);
        assertThat(thrown).isInstanceOf(VideoDecodeException.class).hasMessageNotContaining("null");
        return assertThat(((VideoDecodeException) thrown).reason());
    }

    private static List<byte[]> pixels(List<DecodedFrame> frames) {
        return frames.stream().map(frame -> frame.image().pixels()).toList();
    }

    /** The clip's video remuxed into a fragmented MP4 (moov first, then moof/mdat per GOP). */
    private static byte[] fragmentedMp4(SampleClip clip) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.path().toFile())) {
            grabber.start();
            try (FFmpegFrameRecorder recorder =
                    new FFmpegFrameRecorder(
                            out, grabber.getImageWidth(), grabber.getImageHeight())) {
                recorder.setFormat("mp4");
                recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
                recorder.start(grabber.getFormatContext());
                AVPacket packet;
                while ((packet = grabber.grabPacket()) != null) {
                    if (packet.stream_index() == grabber.getVideoStream()) {
                        recorder.recordPacket(packet);
                    } else {
                        av_packet_unref(packet);
                    }
                }
                recorder.stop();
            }
        }
        byte[] bytes = out.toByteArray();
        assertThat(new String(bytes, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        return bytes;
    }

    private static byte[] stillImage(String format) throws Exception {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(40, 40, 200, 150);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    private static byte[] centreCrop(Frame frame, int side) {
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        int x0 = (frame.imageWidth - side) / 2;
        int y0 = (frame.imageHeight - side) / 2;
        byte[] out = new byte[side * side * 3];
        for (int y = 0; y < side; y++) {
            buffer.get((y0 + y) * frame.imageStride + x0 * 3, out, y * side * 3, side * 3);
        }
        return out;
    }

    private static double mean(byte[] pixels) {
        long sum = 0;
        for (byte b : pixels) {
            sum += b & 0xff;
        }
        return (double) sum / pixels.length;
    }

    private static double standardDeviation(byte[] pixels) {
        double mean = mean(pixels);
        double squares = 0;
        for (byte b : pixels) {
            double d = (b & 0xff) - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / pixels.length);
    }
}
