package io.kvl.streams.topology;

import io.kvl.schemas.Frame;
import io.kvl.schemas.ImageEncoding;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Structure-aware half of the input-gate fuzzer: fuzzer bytes read as the field values of a
 * well-formed VideoChunk or Frame, which is then serialized as a producer would. Random bytes
 * rarely survive the Avro decoder with their meaning intact, while here every mutation of a value
 * (a timestamp, a frame count, a frame rate) reaches validation and processing.
 *
 * <p>Numbers are read raw, big-endian, so any value including negative, NaN and infinite ones is
 * one mutation away. Strings are picked from lists of valid and invalid values. The payload is one
 * of the real chunks or images of {@link GateSeeds#payloads()}, or the rest of the bytes. Reads
 * past the end give zeros.
 */
final class FieldRecipe {
    private static final String[] CAMERAS = {"cam-1", "cam-2", "cam-9", "", "CAM-1"};
    private static final String[] CONTAINERS = {"mpegts", "mp4", "mov", "avi", ""};
    private static final String[] CODECS = {"h264", "avc", "H264", "vp9", ""};

    private final ByteBuffer in;

    private FieldRecipe(byte[] recipe) {
        this.in = ByteBuffer.wrap(recipe);
    }

    static byte[] serialize(boolean frames, byte[] recipe) {
        FieldRecipe r = new FieldRecipe(recipe);
        return frames
                ? KvlSerdes.frame().serialize("fuzz", r.frame())
                : KvlSerdes.videoChunk().serialize("fuzz", r.chunk());
    }

    /** Field order: camera, sequence, container, codec, start, rate, count, first, aligned. */
    private VideoChunk chunk() {
        return VideoChunk.newBuilder()
                .setCameraId(pick(CAMERAS))
                .setSequence(i64())
                .setContainer(pick(CONTAINERS))
                .setCodec(pick(CODECS))
                .setStartTimestamp(Instant.ofEpochMilli(i64()))
                .setFrameRate(f64())
                .setFrameCount(i32())
                .setFirstFrameIndex(i64())
                .setKeyframeAligned(u8() % 2 == 0)
                .setData(ByteBuffer.wrap(payload(GateSeeds.payloads().chunks())))
                .build();
    }

    /** Field order: camera, capture time, index, encoding, then the payload. */
    private Frame frame() {
        return Frame.newBuilder()
                .setCameraId(pick(CAMERAS))
                .setCaptureTimestamp(Instant.ofEpochMilli(i64()))
                .setFrameIndex(i64())
                .setEncoding(u8() % 2 == 0 ? ImageEncoding.JPEG : ImageEncoding.PNG)
                .setData(ByteBuffer.wrap(payload(GateSeeds.payloads().images())))
                .build();
    }

    /** One of {@code real}, or (the last choice) the bytes left. */
    private byte[] payload(List<byte[]> real) {
        int choice = u8() % (real.size() + 1);
        if (choice < real.size()) {
            return real.get(choice);
        }
        return Arrays.copyOfRange(in.array(), in.position(), in.limit());
    }

    private String pick(String[] options) {
        return options[u8() % options.length];
    }

    private int u8() {
        return in.hasRemaining() ? in.get() & 0xff : 0;
    }

    private int i32() {
        return in.remaining() >= 4 ? in.getInt() : u8();
    }

    private long i64() {
        return in.remaining() >= 8 ? in.getLong() : u8();
    }

    private double f64() {
        return Double.longBitsToDouble(i64());
    }

    /** Writes a recipe (for seeds), in the read order of the record's fields. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u8(int value) {
            out.write(value);
            return this;
        }

        Writer i32(int value) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
            return this;
        }

        Writer i64(long value) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(value).array());
            return this;
        }

        Writer f64(double value) {
            return i64(Double.doubleToRawLongBits(value));
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
