package io.kvl.streams.topology;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How the fuzzer's bytes map to an input record. Byte 0 holds flags: bit 0 the frames topic rather
 * than the chunks topic, bit 1 a null key, bit 2 a null value, bit 3 "fields". Byte 1 is the key
 * length, then come the key and the value. Without "fields" the value is taken as it is (raw bytes:
 * the Avro decoder's problem first); with it, the value bytes are a {@link FieldRecipe} for a
 * well-formed record whose field values are hostile (the validation's and the processors' problem).
 * Missing bytes read as absent, so every input is a record.
 */
final class RecordInput {
    static final int FRAMES = 1;
    static final int NULL_KEY = 2;
    static final int NULL_VALUE = 4;
    static final int FIELDS = 8;

    private RecordInput() {}

    static GateSeeds.Input parse(byte[] b) {
        int flags = b.length > 0 ? b[0] : 0;
        int keyLength = b.length > 1 ? Math.min(b[1] & 0xff, b.length - 2) : 0;
        int valueStart = Math.min(b.length, 2 + keyLength);
        boolean frames = (flags & FRAMES) != 0;
        byte[] key = (flags & NULL_KEY) != 0 ? null : slice(b, 2, valueStart);
        byte[] value = (flags & NULL_VALUE) != 0 ? null : slice(b, valueStart, b.length);
        if (value != null && (flags & FIELDS) != 0) {
            value = FieldRecipe.serialize(frames, value);
        }
        return new GateSeeds.Input(frames, key, value);
    }

    /** The fuzzer input for a record whose value is taken as it is. */
    static byte[] encode(GateSeeds.Input in) {
        int flags =
                (in.frames() ? FRAMES : 0)
                        | (in.key() == null ? NULL_KEY : 0)
                        | (in.value() == null ? NULL_VALUE : 0);
        return encode(flags, in.key(), in.value());
    }

    static byte[] encode(int flags, byte[] key, byte[] value) {
        byte[] k = key == null ? new byte[0] : key;
        byte[] v = value == null ? new byte[0] : value;
        return ByteBuffer.allocate(2 + k.length + v.length)
                .put((byte) flags)
                .put((byte) k.length)
                .put(k)
                .put(v)
                .array();
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, Math.max(0, Math.min(from, to)), to);
    }
}
