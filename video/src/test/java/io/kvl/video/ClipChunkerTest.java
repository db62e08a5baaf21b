package io.kvl.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kvl.video.VideoDecodeException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClipChunkerTest {
    private final ChunkDecoder decoder = new ChunkDecoder();

    @ParameterizedTest
    @EnumSource(SampleClip.class)
    void shouldCutTheClipIntoChunksThatEachDecodeToExactlyTheirFrameCount(SampleClip clip)
            throws Exception {
        List<Chunk> chunks = clip.chunks();

        assertThat(chunks).extracting(Chunk::frameCount).isEqualTo(clip.defaultChunkFrameCounts);
        long expectedFirstFrame = 0;
        for (Chunk chunk : chunks) {
            assertThat(chunk.firstFrameIndex()).isEqualTo(expectedFirstFrame);
            expectedFirstFrame += chunk.frameCount();
            List<Boolean> keyframes = new ArrayList<>();
            // The decoder throws unless it decodes exactly frameCount frames.
            decoder.decode(
                    chunk.data(),
                    chunk.container(),
                    chunk.frameCount(),
                    (index, pts, keyframe) -> {
                        keyframes.add(keyframe);
                        return false;
                    },
                    224);
            assertThat(keyframes).hasSize(chunk.frameCount());
            assertThat(keyframes.get(0))
                    .as("chunk %d starts at a keyframe", chunk.sequence())
                    .isTrue();
        }
        assertThat(expectedFirstFrame)
                .isEqualTo(clip.frameCount)
                .isEqualTo(clip.countFramesWithPlainGrabber());
    }

    @ParameterizedTest
    @EnumSource(SampleClip.class)
    void shouldDescribeEachChunk(SampleClip clip) throws Exception {
        List<Chunk> chunks = clip.chunks();
        double frameRate = chunks.get(0).frameRate();

        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.sequence()).isEqualTo(i);
            assertThat(chunk.container()).isEqualTo("mpegts");
            assertThat(chunk.codec()).isEqualTo("h264");
            assertThat(chunk.frameRate()).isEqualTo(frameRate);
            // Constant frame rate clips: the first frame's time follows from its index.
            assertThat((double) chunk.startPtsMicros())
                    .isCloseTo(chunk.firstFrameIndex() * 1e6 / frameRate, within(1000.0));
        }
    }

    @Test
    void shouldPackSeveralGopsIntoAChunkWhenTheTargetAllows() throws Exception {
        // GOPs of 4.8 s: two fit in 10 s, a third would not.
        assertThat(chunkFrameCounts(SampleClip.CAR, Duration.ofSeconds(10)))
                .containsExactly(120, 120, 120, 17);
        // GOPs of 8.38 s: two fit in 20 s.
        assertThat(chunkFrameCounts(SampleClip.BOTTLE, Duration.ofSeconds(20)))
                .containsExactly(500, 500, 189);
    }

    @Test
    void shouldMakeAGopLongerThanTheTargetAChunkOfItsOwn() throws Exception {
        assertThat(chunkFrameCounts(SampleClip.CAR, Duration.ofMillis(100)))
                .isEqualTo(SampleClip.CAR.defaultChunkFrameCounts);
    }

    @Test
    void shouldStreamChunksOneAtATimeAndStayEmptyAtTheEnd() throws Exception {
        SampleClip clip = SampleClip.CAR;
        try (ClipChunker chunker = ClipChunker.open(clip.path(), ClipChunker.Options.defaults())) {
            assertThat(chunker.width()).isEqualTo(clip.width);
            assertThat(chunker.height()).isEqualTo(clip.height);
            assertThat(chunker.frameRate()).isEqualTo(12.5);

            Optional<Chunk> first = chunker.next();
            assertThat(first).contains(clip.chunks().get(0));
            int count = 1;
            while (chunker.next().isPresent()) {
                count++;
            }
            assertThat(count).isEqualTo(clip.chunks().size());
            assertThat(chunker.next()).isEmpty();
        }
    }

    @Test
    void shouldRejectAMissingSource() {
        assertThatThrownBy(
                        () ->
                                ClipChunker.open(
                                        "/nonexistent/clip.mp4", ClipChunker.Options.defaults()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageContaining("/nonexistent/clip.mp4")
                .extracting(e -> ((VideoDecodeException) e).reason())
                .isEqualTo(Reason.UNREADABLE_CONTAINER);
    }

    @Test
    void shouldRejectANonPositiveTargetDuration() {
        assertThatThrownBy(() -> new ClipChunker.Options(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPassFormatOptionsToFfmpeg() throws Exception {
        ClipChunker.Options timeout =
                ClipChunker.Options.defaults().withFormatOptions(Map.of("rw_timeout", "1000000"));
        assertThat(ClipChunker.chunkAll(SampleClip.CAR.path(), timeout))
                .isEqualTo(SampleClip.CAR.chunks());

        // FFmpeg rejects a bad value of an option it knows, so the option did reach it.
        ClipChunker.Options bad =
                ClipChunker.Options.defaults().withFormatOptions(Map.of("probesize", "lots"));
        assertThatThrownBy(() -> ClipChunker.open(SampleClip.CAR.path(), bad))
                .isInstanceOf(VideoDecodeException.class);
    }

    private static List<Integer> chunkFrameCounts(SampleClip clip, Duration target)
            throws Exception {
        return ClipChunker.chunkAll(clip.path(), new ClipChunker.Options(target)).stream()
                .map(Chunk::frameCount)
                .toList();
    }
}
