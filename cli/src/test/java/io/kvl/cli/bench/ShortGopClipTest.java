package io.kvl.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.schemas.VideoChunk;
import io.kvl.testing.Fixtures;
import io.kvl.video.ChunkDecoder;
import io.kvl.video.DecodedFrame;
import io.kvl.video.FrameSelector;
import io.kvl.video.VideoChunks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShortGopClipTest {

    /**
     * The car clip (12.5 fps, a keyframe every 60 frames) re-encoded with 1 s GOPs keeps every
     * frame, has a keyframe every 13 frames, and so chunks into 2 s pieces instead of 4.8 s ones.
     */
    @Test
    void shouldKeepEveryFrameAndPutAKeyframeEverySecond(@TempDir Path dir) throws Exception {
        Path source = Fixtures.sampleClip(Fixtures.CAR_CLIP);
        Path target = dir.resolve("car.mp4");

        int written = ShortGopClip.write(source, target, 1.0);

        byte[] bytes = Files.readAllBytes(target);
        List<DecodedFrame> keyframes =
                new ChunkDecoder().decode(bytes, "mp4", written, FrameSelector.keyframesOnly(), 32);
        assertThat(written).isEqualTo(377);
        assertThat(keyframes)
                .extracting(DecodedFrame::indexInChunk)
                .isEqualTo(IntStream.iterate(0, i -> i < written, i -> i + 13).boxed().toList());
        List<VideoChunk> shortChunks = VideoChunks.ofClip(target, "cam", 0);
        List<VideoChunk> shipped = VideoChunks.ofClip(source, "cam", 0);
        assertThat(shortChunks.stream().mapToInt(VideoChunk::getFrameCount).sum()).isEqualTo(377);
        assertThat(shortChunks.get(0).getFrameCount()).isEqualTo(26);
        assertThat(shipped.get(0).getFrameCount()).isEqualTo(60);
    }
}
