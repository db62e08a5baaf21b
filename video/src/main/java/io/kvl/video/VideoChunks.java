package io.kvl.video;

import io.kvl.schemas.VideoChunk;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapping from chunks cut by {@link ClipChunker} to {@link VideoChunk} events, used by the
 * camera source connector, the camera simulator and the tests.
 */
public final class VideoChunks {
    private VideoChunks() {}

    /**
     * @param sequence the camera-wide sequence (a looped or resumed file continues numbering)
     * @param firstFrameIndex the camera-wide index of the chunk's first frame
     * @param startMillis capture time of the chunk's first frame
     */
    public static VideoChunk toEvent(
            String cameraId, Chunk chunk, long sequence, long firstFrameIndex, long startMillis) {
        return VideoChunk.newBuilder()
                .setCameraId(cameraId)
                .setSequence(sequence)
                .setContainer(chunk.container())
                .setCodec(chunk.codec())
                .setStartTimestamp(Instant.ofEpochMilli(startMillis))
                .setFrameRate(chunk.frameRate())
                .setFrameCount(chunk.frameCount())
                .setFirstFrameIndex(firstFrameIndex)
                .setKeyframeAligned(true)
                .setData(ByteBuffer.wrap(chunk.data()))
                .build();
    }

    /**
     * A whole clip as the events of one camera whose first frame was captured at {@code
     * clipStartMillis}, cut with {@link ClipChunker.Options#defaults()}.
     */
    public static List<VideoChunk> ofClip(Path clip, String cameraId, long clipStartMillis)
            throws VideoDecodeException {
        List<VideoChunk> events = new ArrayList<>();
        for (Chunk c : ClipChunker.chunkAll(clip, ClipChunker.Options.defaults())) {
            events.add(
                    toEvent(
                            cameraId,
                            c,
                            c.sequence(),
                            c.firstFrameIndex(),
                            clipStartMillis + c.startPtsMicros() / 1000));
        }
        return events;
    }
}
