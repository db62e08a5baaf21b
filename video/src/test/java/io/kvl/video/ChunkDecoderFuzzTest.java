package io.kvl.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kvl.testing.Bounded;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes {@link ChunkDecoder#decode} with what a producer controls: the chunk's bytes, which of the
 * accepted container names it claims, and the frame count it declares.
 *
 * <p>Property: every input either decodes to exactly the declared number of frames (the selector is
 * asked about each, in order, and each comes back as a {@code RESOLUTION}-square RGB image), or
 * fails with a {@link VideoDecodeException} that has a reason and a message. Any other exception or
 * error is a finding, and so is a call that takes longer than {@link #BOUND}. A native crash kills
 * the JVM, which fails the build.
 *
 * <p>Jazzer sees coverage of Java code only (this module and JavaCV), not of FFmpeg's C code, so
 * inside FFmpeg the mutations are blind; the seeds are real chunks for that reason.
 *
 * <p>The saved inputs under {@code ChunkDecoderFuzzTestInputs/decode} are replayed by every run.
 */
class ChunkDecoderFuzzTest {
    /** Small output images keep executions fast; scaling and cropping run at any size. */
    private static final int RESOLUTION = 32;

    /** The longest decode allowed; the seeds take at most ~0.1 s each. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    private static final ChunkDecoder DECODER = new ChunkDecoder();

    static {
        // Mutated chunks make FFmpeg log an error per damaged macroblock, thousands of lines a
        // run. Findings are judged by what decode() returns or throws, not by that log.
        av_log_set_level(AV_LOG_FATAL);
    }

    static Stream<Arguments> decode() throws Exception {
        return FuzzSeeds.all().stream().map(seed -> arguments((Object) DecodeInput.encode(seed)));
    }

    @MethodSource
    @FuzzTest(maxDuration = "20s")
    void decode(byte[] bytes) throws Exception {
        DecodeInput input = DecodeInput.parse(bytes);
        List<Integer> asked = new ArrayList<>();
        FrameSelector everyFrame = (index, pts, keyframe) -> asked.add(index);
        List<DecodedFrame> frames;
        try {
            frames =
                    Bounded.call(
                            BOUND,
                            () ->
                                    DECODER.decode(
                                            input.data(),
                                            input.container(),
                                            input.declaredFrameCount(),
                                            everyFrame,
                                            RESOLUTION));
        } catch (VideoDecodeException e) {
            assertThat(e.reason()).as("reason of: %s", e.getMessage()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        int declared = input.declaredFrameCount();
        List<Integer> expectedIndices = IntStream.range(0, declared).boxed().toList();
        assertThat(asked).as("indices the selector was asked about").isEqualTo(expectedIndices);
        assertThat(frames)
                .extracting(DecodedFrame::indexInChunk)
                .as("indices of the returned frames")
                .isEqualTo(expectedIndices);
        for (DecodedFrame frame : frames) {
            assertThat(frame.image().width()).isEqualTo(RESOLUTION);
            assertThat(frame.image().height()).isEqualTo(RESOLUTION);
            assertThat(frame.image().pixels()).hasSize(RESOLUTION * RESOLUTION * 3);
        }
    }

    /**
     * How the fuzzer's bytes map to a call: byte 0 picks the container (bit 0: mpegts or mp4),
     * bytes 1-2 are the declared frame count minus one (big-endian, so 1 to 65536; the processor
     * rejects counts below 1 before decoding), the rest is the chunk. Missing header bytes read as
     * 0, so every input is a valid call.
     */
    record DecodeInput(String container, int declaredFrameCount, byte[] data) {
        private static final int HEADER = 3;

        static DecodeInput parse(byte[] bytes) {
            byte[] header = Arrays.copyOf(bytes, HEADER);
            String container = (header[0] & 1) == 0 ? "mpegts" : "mp4";
            int count = 1 + (((header[1] & 0xff) << 8) | (header[2] & 0xff));
            byte[] data =
                    bytes.length > HEADER
                            ? Arrays.copyOfRange(bytes, HEADER, bytes.length)
                            : new byte[0];
            return new DecodeInput(container, count, data);
        }

        static byte[] encode(FuzzSeeds.Seed seed) {
            int count = seed.frameCount() - 1;
            return ByteBuffer.allocate(HEADER + seed.data().length)
                    .put((byte) (seed.container().equals("mpegts") ? 0 : 1))
                    .putShort((short) count)
                    .put(seed.data())
                    .array();
        }
    }
}
