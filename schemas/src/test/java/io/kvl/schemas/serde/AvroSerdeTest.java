package io.kvl.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.schemas.LabeledFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    static List<Samples.Case<?>> everyType() {
        return Samples.everyType();
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldRoundTripEveryType(Samples.Case<?> type) {
        byte[] bytes = type.serializeSample();

        assertThat(type.deserialize(bytes)).isEqualTo(type.sample().get());
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldWriteSingleObjectEncodingWithTheCurrentFingerprint(Samples.Case<?> type) {
        byte[] bytes = type.serializeSample();

        long fingerprint =
                SchemaNormalization.parsingFingerprint64(type.sample().get().getSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(fingerprint);
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldPassTombstonesThrough(Samples.Case<?> type) {
        AvroSerde<?> serde = type.serde().get();

        assertThat(serde.serialize("topic", null)).isNull();
        assertThat(serde.deserialize("topic", null)).isNull();
        assertThat(serde.deserializer().deserialize("topic", new RecordHeaders(), (byte[]) null))
                .isNull();
        assertThat(
                        serde.deserializer()
                                .deserialize("topic", new RecordHeaders(), (ByteBuffer) null))
                .isNull();
    }

    @Test
    void shouldLeaveTheSerializedRecordUnchanged() {
        LabeledFrame frame = Samples.labeledFrame();
        AvroSerde<LabeledFrame> serde = KvlSerdes.labeledFrame();

        byte[] first = serde.serialize("topic", frame);
        byte[] second = serde.serialize("topic", frame);

        assertThat(second).isEqualTo(first);
        assertThat(frame).isEqualTo(Samples.labeledFrame());
    }

    @Test
    void shouldBeItsOwnSerializerAndDeserializer() {
        AvroSerde<LabeledFrame> serde = KvlSerdes.labeledFrame();

        assertThat(serde.serializer()).isSameAs(serde);
        assertThat(serde.deserializer()).isSameAs(serde);
        assertThat(serde).hasToString("AvroSerde[LabeledFrame]");
    }

    @Test
    void shouldRoundTripFromManyThreadsThroughOneSerde() throws Exception {
        AvroSerde<LabeledFrame> serde = KvlSerdes.labeledFrame();
        int threads = 8;
        int recordsPerThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(() -> roundTripMany(serde, thread, recordsPerThread));
            }
            List<Future<Integer>> results = pool.invokeAll(workers, 60, TimeUnit.SECONDS);

            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(recordsPerThread);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns how many distinct records came back equal; each thread uses its own camera id. */
    private static int roundTripMany(AvroSerde<LabeledFrame> serde, int thread, int count) {
        int equal = 0;
        for (int i = 0; i < count; i++) {
            LabeledFrame frame =
                    Samples.labeledFrameBuilder()
                            .setCameraId("cam-" + thread)
                            .setFrameIndex(i)
                            .setKeyframe(i % 2 == 0)
                            .build();
            if (frame.equals(serde.deserialize("topic", serde.serialize("topic", frame)))) {
                equal++;
            }
        }
        return equal;
    }
}
