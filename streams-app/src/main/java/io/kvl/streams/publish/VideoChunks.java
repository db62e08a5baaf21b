package io.kvl.streams.publish;

import io.kvl.schemas.VideoChunk;
import io.kvl.video.Chunk;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Converts chunks cut by {@link io.kvl.video.ClipChunker} into {@link VideoChunk} events. */
public final class VideoChunks {
    private VideoChunks() {}

    /**
     * @param clipStartMillis capture time of the clip's first frame
     * @param sequenceOffset added to the chunk's sequence (for looping a clip)
     * @param frameOffset added to the chunk's first frame index (for looping a clip)
     */
    public static VideoChunk toEvent(
            Chunk chunk,
            String cameraId,
            long clipStartMillis,
            long sequenceOffset,
            long frameOffset) {
        return VideoChunk.newBuilder()
                .setCameraId(cameraId)
                .setSequence(sequenceOffset + chunk.sequence())
                .setContainer(chunk.container())
                .setCodec(chunk.codec())
                .setStartTimestamp(
                        Instant.ofEpochMilli(clipStartMillis + chunk.startPtsMicros() / 1000))
                .setFrameRate(chunk.frameRate())
                .setFrameCount(chunk.frameCount())
                .setFirstFrameIndex(frameOffset + chunk.firstFrameIndex())
                .setKeyframeAligned(true)
                .setData(ByteBuffer.wrap(chunk.data()))
                .build();
    }
}
