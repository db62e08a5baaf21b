package io.kvl.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.schemas.LabeledFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaEvolutionTest {

    private static final Path HISTORY_DIR = Path.of("src/main/resources/io/kvl/schemas/history");

    static List<Samples.Case<?>> everyType() {
        return Samples.everyType();
    }

    @Test
    void shouldReadALabeledFrameWrittenWithV1WithDefaultsFilledIn() throws IOException {
        Schema v1 = SchemaHistory.load(LabeledFrame.class).get(0);
        Schema labelV1 = v1.getField("labels").schema().getElementType();
        Schema modelV1 = v1.getField("model").schema();
        GenericRecord written =
                new GenericRecordBuilder(v1)
                        .set("cameraId", "cam-7")
                        .set("captureTimestamp", Samples.CAPTURED.toEpochMilli())
                        .set("frameIndex", 2_101L)
                        .set(
                                "labels",
                                List.of(
                                        label(labelV1, 281, "tabby cat", 0.87f),
                                        label(labelV1, 285, "Egyptian cat", 0.09f)))
                        .set(
                                "model",
                                new GenericRecordBuilder(modelV1)
                                        .set("name", "efficientnet")
                                        .set("variant", "lite0")
                                        .set("version", "2024-01")
                                        .build())
                        .set("batchSize", 8)
                        .set("inferenceLatencyMs", 12.5)
                        .set("endToEndLatencyMs", 340.25)
                        .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(written, bytes);

        LabeledFrame read =
                KvlSerdes.labeledFrame().deserialize("labeled-frames", bytes.toByteArray());

        assertThat(SchemaNormalization.parsingFingerprint64(v1))
                .isNotEqualTo(
                        SchemaNormalization.parsingFingerprint64(LabeledFrame.getClassSchema()));
        assertThat(read).isEqualTo(Samples.labeledFrameBuilder().build());
        assertThat(read.getSourceChunkSequence()).isEqualTo(-1L);
        assertThat(read.getKeyframe()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldReadEveryHistoricalVersionWithTheCurrentSchema(Samples.Case<?> type) {
        Schema current = type.sample().get().getSchema();
        for (Schema old : SchemaHistory.load(type.type())) {
            assertCompatible(current, old, "current reader, historical writer");
        }
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldLetEachVersionReadItsSuccessor(Samples.Case<?> type) {
        List<Schema> history = SchemaHistory.load(type.type());
        for (int v = 1; v < history.size(); v++) {
            assertCompatible(
                    history.get(v - 1),
                    history.get(v),
                    "v" + v + " reader, v" + (v + 1) + " writer");
        }
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldHaveTheCurrentSchemaAsLatestHistoryVersion(Samples.Case<?> type) {
        Schema current = type.sample().get().getSchema();
        List<Schema> history = SchemaHistory.load(type.type());
        Schema latest = history.get(history.size() - 1);

        assertThat(SchemaNormalization.parsingFingerprint64(latest))
                .as(
                        "%s changed on the wire: add %s with the current schema:%n%s",
                        type,
                        SchemaHistory.resourcePath(type.type(), history.size() + 1),
                        current.toString(true))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void shouldLoadEveryHistoryFileWithoutGaps(Samples.Case<?> type) throws IOException {
        long files;
        try (Stream<Path> listing = Files.list(HISTORY_DIR)) {
            files =
                    listing.map(path -> path.getFileName().toString())
                            .filter(name -> name.startsWith(type + "-v"))
                            .count();
        }

        assertThat(SchemaHistory.load(type.type())).hasSize((int) files);
    }

    private static GenericRecord label(Schema schema, int classIndex, String name, float score) {
        return new GenericRecordBuilder(schema)
                .set("classIndex", classIndex)
                .set("name", name)
                .set("score", score)
                .build();
    }

    private static void assertCompatible(Schema reader, Schema writer, String pair) {
        SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as(
                        "%s (%s): %s",
                        reader.getName(), pair, result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
}
