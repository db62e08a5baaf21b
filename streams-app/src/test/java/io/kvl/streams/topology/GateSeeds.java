package io.kvl.streams.topology;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

import io.kvl.schemas.Frame;
import io.kvl.schemas.ImageEncoding;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.testing.Fixtures;
import io.kvl.video.VideoChunks;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Records for the input-gate fuzzer to start from: real VideoChunk and Frame records made from the
 * clip in the repository (as producers make them), records that fail each validation step once, raw
 * bytes that are not Avro at all, and {@link FieldRecipe}s of good records.
 */
final class GateSeeds {
    /** Relative to the module directory, surefire's working directory. */
    static final Path SAMPLE = Fixtures.sampleClip(Fixtures.BOTTLE_CLIP);

    static final String CAMERA = "cam-1";

    private static final Instant CAPTURED = Instant.ofEpochMilli(1_700_000_000_000L);

    private GateSeeds() {}

    /** A record as it arrives: topic, key and value bytes (either may be null). */
    record Input(boolean frames, byte[] key, byte[] value) {}

    /** The real chunks and images (built once), also used by {@link FieldRecipe}. */
    record Payloads(List<byte[]> chunks, List<byte[]> images) {}

    private static Payloads payloads;

    static synchronized Payloads payloads() {
        if (payloads == null) {
            try {
                // As a producer makes them (ClipPublisher cuts with ClipChunker), but see cut().
                List<VideoChunk> clip = VideoChunks.ofClip(SAMPLE, CAMERA, CAPTURED.toEpochMilli());
                payloads =
                        new Payloads(
                                List.of(mpegtsPrefix(3), mpegtsPrefix(1), cut(clip.get(0))),
                                List.of(stillFromClip("jpeg"), stillFromClip("png")));
            } catch (Exception e) {
                throw new IllegalStateException("cannot build seeds from " + SAMPLE, e);
            }
        }
        return payloads;
    }

    static List<Input> all() throws Exception {
        byte[] key = CAMERA.getBytes(StandardCharsets.UTF_8);
        Payloads real = payloads();
        byte[] threeFrames = real.chunks().get(0);
        byte[] cutChunk = real.chunks().get(2);
        List<Input> seeds = new ArrayList<>();
        seeds.add(chunkSeed(key, chunk("mpegts", countFrames(cutChunk), cutChunk)));
        VideoChunk shortTs = chunk("mpegts", 3, threeFrames);
        seeds.add(chunkSeed(key, shortTs));
        seeds.add(chunkSeed(key, chunk("mpegts", 1, real.chunks().get(1))));
        seeds.add(chunkSeed(key, VideoChunk.newBuilder(shortTs).setFrameCount(0).build()));
        seeds.add(chunkSeed(key, VideoChunk.newBuilder(shortTs).setCodec("vp9").build()));
        seeds.add(chunkSeed(key, chunk("mpegts", 10, new byte[] {0x47, 0x40, 0x11, 0x10, 0})));
        seeds.add(chunkSeed("cam-9".getBytes(StandardCharsets.UTF_8), shortTs));
        seeds.add(frameSeed(key, ImageEncoding.JPEG, real.images().get(0)));
        seeds.add(frameSeed(key, ImageEncoding.PNG, real.images().get(1)));
        seeds.add(frameSeed(key, ImageEncoding.PNG, new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
        seeds.add(new Input(false, key, new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}));
        seeds.add(new Input(true, null, null));
        byte[] noise = new byte[64];
        new Random(7).nextBytes(noise);
        seeds.add(new Input(false, key, noise));
        return seeds;
    }

    /** Field recipes (see {@link FieldRecipe}) of a good 3-frame chunk and a good JPEG frame. */
    static List<byte[]> recipes() {
        byte[] key = CAMERA.getBytes(StandardCharsets.UTF_8);
        byte[] chunk =
                new FieldRecipe.Writer()
                        .u8(0) // cam-1
                        .i64(3) // sequence
                        .u8(0) // mpegts
                        .u8(0) // h264
                        .i64(CAPTURED.toEpochMilli())
                        .f64(29.83)
                        .i32(3) // frames
                        .i64(750) // first frame index
                        .u8(0) // keyframe aligned
                        .u8(0) // the 3-frame chunk
                        .bytes();
        byte[] frame =
                new FieldRecipe.Writer()
                        .u8(0) // cam-1
                        .i64(CAPTURED.toEpochMilli())
                        .i64(7) // frame index
                        .u8(0) // JPEG
                        .u8(0) // the JPEG still
                        .bytes();
        return List.of(
                RecordInput.encode(RecordInput.FIELDS, key, chunk),
                RecordInput.encode(RecordInput.FIELDS | RecordInput.FRAMES, key, frame));
    }

    private static Input chunkSeed(byte[] key, VideoChunk chunk) {
        return new Input(false, key, KvlSerdes.videoChunk().serialize("seed", chunk));
    }

    private static Input frameSeed(byte[] key, ImageEncoding encoding, byte[] image) {
        Frame frame =
                Frame.newBuilder()
                        .setCameraId(CAMERA)
                        .setCaptureTimestamp(CAPTURED)
                        .setFrameIndex(7)
                        .setEncoding(encoding)
                        .setData(ByteBuffer.wrap(image))
                        .build();
        return new Input(true, key, KvlSerdes.frame().serialize("seed", frame));
    }

    private static VideoChunk chunk(String container, int frames, byte[] data) {
        return VideoChunk.newBuilder()
                .setCameraId(CAMERA)
                .setSequence(3)
                .setContainer(container)
                .setCodec("h264")
                .setStartTimestamp(CAPTURED)
                .setFrameRate(29.83)
                .setFrameCount(frames)
                .setFirstFrameIndex(750)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    /**
     * A producer's chunk cut to its first 64 MPEG-TS packets (12 KB). A whole 250-frame chunk costs
     * ~0.3 s per execution, and its mutants would take most of a short run.
     */
    private static byte[] cut(VideoChunk chunk) {
        byte[] data = new byte[Math.min(64 * 188, chunk.getData().remaining())];
        chunk.getData().duplicate().get(data);
        return data;
    }

    /** The frames a plain JavaCV pass decodes, independently of the code under test. */
    private static int countFrames(byte[] mpegts) throws Exception {
        int frames = 0;
        try (FFmpegFrameGrabber grabber =
                new FFmpegFrameGrabber(new ByteArrayInputStream(mpegts))) {
            grabber.setFormat("mpegts");
            grabber.setVideoOption("threads", "1");
            grabber.start();
            while (grabber.grabFrame(false, true, false, false, false) != null) {
                frames++;
            }
        }
        return frames;
    }

    /** The clip's first {@code frames} video packets remuxed into MPEG-TS, as ClipChunker does. */
    private static byte[] mpegtsPrefix(int frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FFmpegFrameGrabber grabber = open()) {
            try (FFmpegFrameRecorder recorder =
                    new FFmpegFrameRecorder(
                            out, grabber.getImageWidth(), grabber.getImageHeight())) {
                recorder.setFormat("mpegts");
                recorder.start(grabber.getFormatContext());
                AVPacket packet;
                int written = 0;
                while (written < frames && (packet = grabber.grabPacket()) != null) {
                    if (packet.stream_index() == grabber.getVideoStream()) {
                        recorder.recordPacket(packet);
                        written++;
                    } else {
                        av_packet_unref(packet);
                    }
                }
                recorder.stop();
            }
        }
        return out.toByteArray();
    }

    /** The clip's first frame, shrunk to 96x54, as a producer's still image. */
    private static byte[] stillFromClip(String format) throws Exception {
        BufferedImage small = new BufferedImage(96, 54, BufferedImage.TYPE_INT_RGB);
        try (FFmpegFrameGrabber grabber = open();
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            Graphics2D g = small.createGraphics();
            g.drawImage(converter.convert(grabber.grabImage()), 0, 0, 96, 54, null);
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(small, format, out)) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    private static FFmpegFrameGrabber open() throws Exception {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(SAMPLE.toFile());
        grabber.setVideoOption("threads", "1");
        try {
            grabber.start();
        } catch (Exception e) {
            grabber.close();
            throw e;
        }
        return grabber;
    }
}
