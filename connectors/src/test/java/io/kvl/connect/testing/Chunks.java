package io.kvl.connect.testing;

import io.kvl.schemas.VideoChunk;
import io.kvl.video.ChunkDecoder;
import io.kvl.video.VideoDecodeException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/** Decodes VideoChunk events as the streams app does. */
public final class Chunks {
    private static final ChunkDecoder DECODER = new ChunkDecoder();

    private Chunks() {}

    /**
     * Decodes every frame of the chunk (none is scaled) and returns how many there were; the
     * decoder throws unless that is exactly the declared frame count.
     */
    public static int decodedFrames(VideoChunk chunk) throws VideoDecodeException {
        ByteBuffer data = chunk.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        AtomicInteger frames = new AtomicInteger();
        DECODER.decode(
                bytes,
                chunk.getContainer(),
                chunk.getFrameCount(),
                (index, pts, keyframe) -> {
                    frames.incrementAndGet();
                    return false;
                },
                224);
        return frames.get();
    }
}
