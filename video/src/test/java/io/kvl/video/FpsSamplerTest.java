package io.kvl.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FpsSamplerTest {
    @Test
    void shouldSelectTheFirstFrameAndThenFramesAtLeastOneIntervalApart() {
        FpsSampler sampler = new FpsSampler(2.0);
        assertThat(sampler.lastSelectedMicros()).isEmpty();

        List<Long> selected = new ArrayList<>();
        for (long t = 0; t < 3_000_000; t += 100_000) {
            if (sampler.offer(t)) {
                selected.add(t);
            }
        }

        assertThat(selected)
                .containsExactly(0L, 500_000L, 1_000_000L, 1_500_000L, 2_000_000L, 2_500_000L);
        assertThat(sampler.lastSelectedMicros()).isEqualTo(OptionalLong.of(2_500_000));
    }

    @Test
    void shouldContinueFromPersistedStateAcrossChunks() {
        FrameSelector firstChunk = new FpsSampler(2.0).forChunk(10_000_000);
        assertThat(firstChunk.select(0, 0, true)).isTrue();

        FpsSampler resumed = FpsSampler.resume(2.0, 10_000_000);
        FrameSelector secondChunk = resumed.forChunk(10_400_000);
        assertThat(secondChunk.select(0, 0, true)).as("0.4 s after the last selection").isFalse();
        assertThat(secondChunk.select(1, 100_000, false)).as("0.5 s after").isTrue();
        assertThat(resumed.lastSelectedMicros()).isEqualTo(OptionalLong.of(10_500_000));
    }

    @Test
    void shouldRestartWhenTheClockJumpsBackButIgnoreJitter() {
        FpsSampler sampler = FpsSampler.resume(2.0, 60_000_000);

        assertThat(sampler.offer(59_900_000)).as("0.1 s back: jitter").isFalse();
        assertThat(sampler.offer(1_000_000)).as("a minute back: clock reset").isTrue();
        assertThat(sampler.offer(1_400_000)).isFalse();
        assertThat(sampler.offer(1_500_000)).isTrue();
    }

    @Test
    void shouldRejectANonPositiveRate() {
        assertThatThrownBy(() -> new FpsSampler(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FpsSampler(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The streams app decodes chunk by chunk and keeps the sampler's state in a store between
     * chunks; the frames it picks must be the ones a single pass over the whole clip picks.
     */
    @ParameterizedTest
    @EnumSource(SampleClip.class)
    void shouldSelectTheSameFramesChunkByChunkAsInOnePass(SampleClip clip) throws Exception {
        ChunkDecoder decoder = new ChunkDecoder();
        List<Long> onePass = new ArrayList<>();
        for (DecodedFrame frame :
                decoder.decode(
                        clip.bytes(),
                        "mp4",
                        clip.frameCount,
                        new FpsSampler(2.0).forChunk(0),
                        32)) {
            onePass.add((long) frame.indexInChunk());
        }

        List<Long> chunked = new ArrayList<>();
        Long stored = null; // what a state store would hold for this camera
        for (Chunk chunk : clip.chunks()) {
            FpsSampler sampler =
                    stored == null ? new FpsSampler(2.0) : FpsSampler.resume(2.0, stored);
            for (DecodedFrame frame :
                    decoder.decode(
                            chunk.data(),
                            chunk.container(),
                            chunk.frameCount(),
                            sampler.forChunk(chunk.startPtsMicros()),
                            32)) {
                chunked.add(chunk.firstFrameIndex() + frame.indexInChunk());
            }
            stored = sampler.lastSelectedMicros().orElseThrow();
        }

        // 2 fps selects every 15th frame at 29.83 fps and every 7th at 12.5 fps.
        int step = clip == SampleClip.BOTTLE ? 15 : 7;
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < clip.frameCount; i += step) {
            expected.add(i);
        }
        assertThat(onePass).isEqualTo(expected);
        assertThat(chunked).isEqualTo(expected);
    }
}
