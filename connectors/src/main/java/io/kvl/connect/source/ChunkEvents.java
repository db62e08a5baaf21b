package io.kvl.connect.source;

import io.kvl.schemas.VideoChunk;
import io.kvl.video.Chunk;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Turns a chunk cut by {@link io.kvl.video.ClipChunker} into a {@link VideoChunk} event. */
final class ChunkEvents {
    private ChunkEvents() {}

    /**
     * @param sequence the camera-wide sequence (a looped or resumed file continues numbering)
     * @param firstFrameIndex the camera-wide index of the chunk's first frame
     * @param startMillis capture time of the chunk's first frame
     */
    static VideoChunk toEvent(
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
}
