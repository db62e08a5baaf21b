package io.kvl.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

import io.kvl.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Real chunks for the fuzzer to start from, all cut from the clip shipped in the repository (not
 * {@code ../shared}, which CI does not have): the first chunk {@link ClipChunker} makes of it, cut
 * short, plus prefixes of its first GOP remuxed into each container the decoder accepts. Short
 * seeds decode in milliseconds, so the fuzzing time goes to mutations rather than to decoding
 * hundreds of intact frames.
 */
final class FuzzSeeds {
    /** Relative to the module directory, surefire's working directory. */
    static final Path SAMPLE = Fixtures.sampleClip(Fixtures.BOTTLE_CLIP);

    private static final int[] PREFIX_FRAMES = {1, 3, 12};

    /**
     * How much of a whole ClipChunker chunk to keep: a whole one (250 frames) costs ~0.3 s a
     * decode, and in a run seeded with it most of the time went to its mutants (20 executions per
     * second instead of 150).
     */
    private static final int CUT_BYTES = 64 * 188;

    private FuzzSeeds() {}

    /** A chunk with the container name and frame count a producer would declare. */
    record Seed(String container, int frameCount, byte[] data) {}

    static List<Seed> all() throws Exception {
        List<Seed> seeds = new ArrayList<>();
        Chunk first = ClipChunker.chunkAll(SAMPLE, ClipChunker.Options.defaults()).get(0);
        seeds.add(cut(first, CUT_BYTES));
        for (int frames : PREFIX_FRAMES) {
            seeds.add(new Seed("mpegts", frames, mpegtsPrefix(frames)));
            seeds.add(new Seed("mp4", frames, mp4Prefix(frames)));
            seeds.add(new Seed("mp4", frames, fragmentedMp4Prefix(frames)));
        }
        return seeds;
    }

    /**
     * The first {@code bytes} of an MPEG-TS chunk (whole 188-byte packets), declaring as many
     * frames as a plain JavaCV pass decodes from them, independently of the code under test.
     */
    private static Seed cut(Chunk chunk, int bytes) throws Exception {
        byte[] data = Arrays.copyOf(chunk.data(), Math.min(bytes, chunk.data().length));
        int frames = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(data))) {
            grabber.setFormat(chunk.container());
            Ffmpeg.configure(grabber);
            grabber.start();
            while (grabber.grabFrame(false, true, false, false, false) != null) {
                frames++;
            }
        }
        return new Seed(chunk.container(), frames, data);
    }

    /** The first {@code frames} video packets as MPEG-TS, written the way ClipChunker writes. */
    private static byte[] mpegtsPrefix(int frames) throws Exception {
        try (FFmpegFrameGrabber grabber = open()) {
            try (TsChunkWriter writer =
                    TsChunkWriter.start(
                            grabber.getFormatContext(),
                            grabber.getImageWidth(),
                            grabber.getImageHeight(),
                            0)) {
                AVPacket packet;
                while (writer.frameCount() < frames
                        && (packet = nextVideoPacket(grabber)) != null) {
                    writer.write(packet, packet.pts());
                }
                return writer.finish();
            }
        }
    }

    /** A plain MP4 (moov after the samples), which needs a seekable output: a temporary file. */
    private static byte[] mp4Prefix(int frames) throws Exception {
        File file = Files.createTempFile("kvl-fuzz-seed", ".mp4").toFile();
        try {
            try (FFmpegFrameGrabber grabber = open();
                    FFmpegFrameRecorder recorder =
                            new FFmpegFrameRecorder(
                                    file, grabber.getImageWidth(), grabber.getImageHeight())) {
                recorder.setFormat("mp4");
                remux(grabber, recorder, frames);
            }
            return Files.readAllBytes(file.toPath());
        } finally {
            Files.deleteIfExists(file.toPath());
        }
    }

    /** A fragmented MP4 (empty moov first, then moof/mdat), as live producers write it. */
    private static byte[] fragmentedMp4Prefix(int frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FFmpegFrameGrabber grabber = open();
                FFmpegFrameRecorder recorder =
                        new FFmpegFrameRecorder(
                                out, grabber.getImageWidth(), grabber.getImageHeight())) {
            recorder.setFormat("mp4");
            recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
            remux(grabber, recorder, frames);
        }
        return out.toByteArray();
    }

    private static void remux(FFmpegFrameGrabber grabber, FFmpegFrameRecorder recorder, int frames)
            throws Exception {
        recorder.start(grabber.getFormatContext());
        AVPacket packet;
        for (int i = 0; i < frames && (packet = nextVideoPacket(grabber)) != null; i++) {
            recorder.recordPacket(packet);
        }
        recorder.stop();
    }

    private static FFmpegFrameGrabber open() throws Exception {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(SAMPLE.toFile());
        Ffmpeg.configure(grabber);
        try {
            grabber.start();
        } catch (Exception e) {
            grabber.close();
            throw e;
        }
        return grabber;
    }

    private static AVPacket nextVideoPacket(FFmpegFrameGrabber grabber) throws Exception {
        AVPacket packet;
        while ((packet = grabber.grabPacket()) != null) {
            if (packet.stream_index() == grabber.getVideoStream()) {
                return packet;
            }
            av_packet_unref(packet);
        }
        return null;
    }
}
