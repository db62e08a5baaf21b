package io.kvl.schemas.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bytes that are not a record of the serde's type must fail loudly, never decode to garbage. */
class CorruptInputTest {

    static List<Samples.Case<?>> everyType() {
        return Samples.everyType();
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldRejectRandomBytes(Samples.Case<?> type) {
        Random random = new Random(20_260_101L);
        for (int i = 0; i < 500; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);

            assertThatThrownBy(() -> type.deserialize(garbage))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Cannot deserialize " + type);
        }
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldRejectEveryTruncation(Samples.Case<?> type) {
        byte[] bytes = type.serializeSample();
        for (int length = 10; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);

            assertThatThrownBy(() -> type.deserialize(truncated))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("corrupt or truncated body")
                    .hasMessageContaining("EOFException");
        }
    }

    /**
     * Avro allocates a string as long as its encoded length claims before reading it: without
     * {@link AvroLimits} a few bytes claiming 1 GiB allocate 1 GiB (and a larger claim threw
     * OutOfMemoryError in InputGateFuzzTest). The first field of every type is a string.
     */
    @ParameterizedTest
    @MethodSource("everyType")
    void shouldRejectAHugeClaimedLengthBeforeAllocatingIt(Samples.Case<?> type) {
        byte[] header = Arrays.copyOf(type.serializeSample(), 10);
        byte[] oneGibString = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'};
        byte[] bytes = Arrays.copyOf(header, header.length + oneGibString.length);
        System.arraycopy(oneGibString, 0, bytes, header.length, oneGibString.length);

        assertThatThrownBy(() -> type.deserialize(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("corrupt or truncated body")
                .hasMessageContaining("SystemLimitException");
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldRejectATruncatedHeader(Samples.Case<?> type) {
        byte[] bytes = type.serializeSample();
        for (int length = 0; length < 10; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);

            assertThatThrownBy(() -> type.deserialize(truncated))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("not Avro single-object encoded")
                    .hasMessageContaining("Not enough header bytes");
        }
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldRejectAWrongMarker(Samples.Case<?> type) {
        byte[] otherVersion = type.serializeSample();
        otherVersion[1] = 0x02;
        byte[] notAvro = type.serializeSample();
        notAvro[0] = '{';

        assertThatThrownBy(() -> type.deserialize(otherVersion))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unrecognized header bytes: 0xC3 0x02");
        assertThatThrownBy(() -> type.deserialize(notAvro))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unrecognized header bytes: 0x7B 0x01");
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldRejectAnUnknownFingerprint(Samples.Case<?> type) {
        byte[] bytes = type.serializeSample();
        bytes[2] ^= 0x01;

        assertThatThrownBy(() -> type.deserialize(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema fingerprint");
    }

    @Test
    void shouldRejectARecordOfAnotherTypeByItsFingerprint() {
        byte[] frame = KvlSerdes.frame().serialize("frames", Samples.frame());

        assertThatThrownBy(() -> KvlSerdes.labeledFrame().deserialize("frames", frame))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot deserialize LabeledFrame from topic frames")
                .hasMessageContaining("unknown schema fingerprint");
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldRejectTrailingBytes(Samples.Case<?> type) {
        byte[] bytes = type.serializeSample();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> type.deserialize(longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes left over after the record");
    }

    @Test
    void shouldRejectAnEnumIndexOutOfRange() {
        byte[] bytes = KvlSerdes.frame().serialize("frames", Samples.frame());
        // Frame body: cameraId "cam-7" (1+5), captureTimestamp (6 bytes), frameIndex (2), enum.
        int enumIndex = 10 + 6 + 6 + 2;
        bytes[enumIndex] = 0x10;

        assertThatThrownBy(() -> KvlSerdes.frame().deserialize("frames", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("corrupt or truncated body");
    }

    @Test
    void shouldRejectANegativeLength() {
        byte[] bytes = KvlSerdes.frame().serialize("frames", Samples.frame());
        bytes[10] = 0x01; // zig-zag -1 as the length of cameraId

        assertThatThrownBy(() -> KvlSerdes.frame().deserialize("frames", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("corrupt or truncated body");
    }
}
