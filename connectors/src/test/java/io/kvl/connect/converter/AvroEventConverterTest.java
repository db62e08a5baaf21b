package io.kvl.connect.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.connect.testing.SampleEvents;
import io.kvl.schemas.Alert;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.serde.KvlSerdes;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AvroEventConverterTest {
    private static final String TOPIC = "kvl.events";

    private static AvroEventConverter converter(String type) {
        AvroEventConverter converter = new AvroEventConverter();
        converter.configure(
                type == null ? Map.of() : Map.of(AvroEventConverterConfig.EVENT_TYPE_CONFIG, type),
                false);
        return converter;
    }

    private static SpecificRecordBase sample(EventType type) {
        return switch (type) {
            case VIDEO_CHUNK -> SampleEvents.videoChunk(1);
            case FRAME -> SampleEvents.frame(1);
            case LABELED_FRAME -> SampleEvents.labeledFrame(1);
            case LABEL_COUNT -> SampleEvents.labelCount(1);
            case ALERT -> SampleEvents.alert(1);
            case DEAD_LETTER -> SampleEvents.deadLetter(1);
        };
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldDetectEveryTypeAndRoundTripItThroughAStruct(EventType type) {
        SpecificRecordBase event = sample(type);
        byte[] bytes = type.serialize(TOPIC, event);

        for (AvroEventConverter converter :
                List.of(converter(null), converter(type.configName()))) {
            SchemaAndValue data = converter.toConnectData(TOPIC, bytes);
            assertThat(data.schema()).isSameAs(type.connectSchema());
            assertThat(data.schema().name()).isEqualTo(event.getSchema().getFullName());
            ((Struct) data.value()).validate();

            byte[] again = converter.fromConnectData(TOPIC, data.schema(), data.value());
            assertThat(again).isEqualTo(bytes);
            assertThat(type.deserialize(TOPIC, again)).isEqualTo(event);
        }
    }

    @Test
    void shouldMapAvroTypesToConnectTypes() {
        Schema alert = EventType.ALERT.connectSchema();
        assertThat(alert.type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(alert.field("severity").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(alert.field("severity").schema().name()).isEqualTo("io.kvl.schemas.Severity");
        assertThat(alert.field("firstSeen").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(alert.field("windowStart").schema().defaultValue()).isEqualTo(new Date(0));
        assertThat(alert.field("peakScore").schema().type()).isEqualTo(Schema.Type.FLOAT32);
        assertThat(alert.field("alertId").schema().doc()).startsWith("Deterministic id");

        Schema frame = EventType.LABELED_FRAME.connectSchema();
        Schema labels = frame.field("labels").schema();
        assertThat(labels.type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(labels.valueSchema().name()).isEqualTo("io.kvl.schemas.Label");
        assertThat(labels.valueSchema().field("score").schema().type())
                .isEqualTo(Schema.Type.FLOAT32);
        assertThat(frame.field("model").schema().name()).isEqualTo("io.kvl.schemas.ModelRef");
        assertThat(frame.field("sourceChunkSequence").schema().defaultValue()).isEqualTo(-1L);
        assertThat(frame.field("inferenceLatencyMs").schema().type())
                .isEqualTo(Schema.Type.FLOAT64);

        Schema deadLetter = EventType.DEAD_LETTER.connectSchema();
        assertThat(deadLetter.field("errorClass").schema().isOptional()).isTrue();
        assertThat(deadLetter.field("originalKey").schema().type()).isEqualTo(Schema.Type.BYTES);
        assertThat(deadLetter.field("originalKey").schema().isOptional()).isTrue();
        assertThat(deadLetter.field("reason").schema().isOptional()).isFalse();
    }

    @Test
    void shouldGiveConnectValues() {
        byte[] bytes = KvlSerdes.alert().serialize(TOPIC, SampleEvents.alert(2));
        Struct alert = (Struct) converter(null).toConnectData(TOPIC, bytes).value();

        assertThat(alert.getString("severity")).isEqualTo("WARNING");
        assertThat(alert.get("firstSeen")).isEqualTo(Date.from(SampleEvents.T0.plusMillis(2)));
        assertThat(alert.getFloat32("peakScore")).isEqualTo(0.93f);

        byte[] letter = KvlSerdes.deadLetter().serialize(TOPIC, SampleEvents.deadLetter(2));
        Struct deadLetter = (Struct) converter(null).toConnectData(TOPIC, letter).value();
        assertThat(deadLetter.getBytes("originalKey")).isEqualTo(new byte[] {'c', 'a', 'm'});
        assertThat(deadLetter.get("errorClass")).isNull();
    }

    @Test
    void shouldReadAnOlderSchemaVersionIntoTheCurrentSchema() throws Exception {
        org.apache.avro.Schema v1;
        try (InputStream in =
                LabeledFrame.class
                        .getClassLoader()
                        .getResourceAsStream("io/kvl/schemas/history/LabeledFrame-v1.avsc")) {
            v1 = new org.apache.avro.Schema.Parser().parse(in);
        }
        LabeledFrame current = SampleEvents.labeledFrame(3);
        GenericRecord old = new GenericData.Record(v1);
        for (org.apache.avro.Schema.Field field : v1.getFields()) {
            Object value = current.get(field.name());
            if (field.name().equals("captureTimestamp")) {
                value = current.getCaptureTimestamp().toEpochMilli();
            }
            old.put(field.name(), value);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old, out);

        SchemaAndValue data = converter(null).toConnectData(TOPIC, out.toByteArray());

        assertThat(data.schema()).isSameAs(EventType.LABELED_FRAME.connectSchema());
        Struct struct = (Struct) data.value();
        assertThat(struct.getInt64("frameIndex")).isEqualTo(3L);
        assertThat(struct.getInt64("sourceChunkSequence")).isEqualTo(-1L);
        assertThat(struct.getBoolean("keyframe")).isFalse();
    }

    @Test
    void shouldThrowDataExceptionForBytesThatAreNoEvent() {
        AvroEventConverter auto = converter(null);
        byte[] alert = KvlSerdes.alert().serialize(TOPIC, SampleEvents.alert(1));

        assertThatThrownBy(() -> auto.toConnectData(TOPIC, "hello, world".getBytes()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("not a kvl event");
        assertThatThrownBy(() -> auto.toConnectData(TOPIC, Arrays.copyOf(alert, alert.length - 3)))
                .isInstanceOf(DataException.class);
        byte[] unknown = alert.clone();
        unknown[5] ^= 0x40; // another fingerprint
        assertThatThrownBy(() -> auto.toConnectData(TOPIC, unknown))
                .isInstanceOf(DataException.class);
        assertThatThrownBy(() -> converter("labeled-frame").toConnectData(TOPIC, alert))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("LabeledFrame");
    }

    @Test
    void shouldPassTombstonesThrough() {
        assertThat(converter(null).toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter(null).fromConnectData(TOPIC, null, null)).isNull();
    }

    @Test
    void shouldPassEncodedBytesThroughAfterCheckingThem() {
        byte[] bytes = KvlSerdes.alert().serialize(TOPIC, SampleEvents.alert(4));
        assertThat(converter(null).fromConnectData(TOPIC, Schema.BYTES_SCHEMA, bytes))
                .isSameAs(bytes);
        assertThatThrownBy(
                        () ->
                                converter(null)
                                        .fromConnectData(
                                                TOPIC, Schema.BYTES_SCHEMA, new byte[] {1}))
                .isInstanceOf(DataException.class);
    }

    @Test
    void shouldFillMissingStructFieldsWithAvroDefaults() {
        Struct full = EventType.ALERT.toStruct(SampleEvents.alert(5));
        SchemaBuilder trimmed = SchemaBuilder.struct().name("io.kvl.schemas.Alert");
        full.schema().fields().stream()
                .filter(f -> !f.name().startsWith("window"))
                .forEach(f -> trimmed.field(f.name(), f.schema()));
        Schema schema = trimmed.build();
        Struct struct = new Struct(schema);
        schema.fields().forEach(f -> struct.put(f, full.get(f.name())));

        byte[] bytes = converter(null).fromConnectData(TOPIC, schema, struct);

        Alert alert = KvlSerdes.alert().deserialize(TOPIC, bytes);
        assertThat(alert.getAlertId()).isEqualTo(SampleEvents.alert(5).getAlertId());
        assertThat(alert.getWindowStart().toEpochMilli()).isZero();
    }

    @Test
    void shouldRejectStructsThatAreNoEvent() {
        Schema schema = SchemaBuilder.struct().name("other.Thing").field("x", Schema.INT32_SCHEMA);
        Struct thing = new Struct(schema).put("x", 1);
        assertThatThrownBy(() -> converter(null).fromConnectData(TOPIC, schema, thing))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("other.Thing");
        assertThatThrownBy(() -> converter("alert").fromConnectData(TOPIC, schema, thing))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("needs field 'alertId'");
        Struct badEnum = EventType.ALERT.toStruct(SampleEvents.alert(1)).put("severity", "HUGE");
        assertThatThrownBy(() -> converter(null).fromConnectData(TOPIC, badEnum.schema(), badEnum))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("HUGE");
    }
}
