package io.kvl.schemas.serde;

import java.nio.ByteBuffer;

/**
 * Avro {@code bytes} fields arrive as {@link ByteBuffer}s; this is the one way to copy them out.
 */
public final class AvroBytes {
    private AvroBytes() {}

    /** The remaining bytes of {@code b}, without moving its position. */
    public static byte[] copy(ByteBuffer b) {
        ByteBuffer dup = b.duplicate();
        byte[] out = new byte[dup.remaining()];
        dup.get(out);
        return out;
    }
}
