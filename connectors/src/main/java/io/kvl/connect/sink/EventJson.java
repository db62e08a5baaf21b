package io.kvl.connect.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro event as plain JSON, driven by its schema so new fields appear without code changes:
 * field names as in the schema, enums as their symbol, {@code timestamp-millis} as ISO-8601 UTC
 * strings (e.g. {@code "2024-05-01T12:00:00.250Z"}), bytes as base64, floats as their shortest
 * decimal form.
 */
final class EventJson {
    private static final JsonFactory JSON = new JsonFactory();

    private EventJson() {}

    static byte[] toJson(IndexedRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            write(json, record.getSchema(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write JSON to memory", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, Schema schema, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        switch (schema.getType()) {
            case UNION -> write(json, nonNullBranch(schema), value);
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                json.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    json.writeFieldName(field.name());
                    write(json, field.schema(), record.get(field.pos()));
                }
                json.writeEndObject();
            }
            case ARRAY -> {
                json.writeStartArray();
                for (Object item : (Iterable<?>) value) {
                    write(json, schema.getElementType(), item);
                }
                json.writeEndArray();
            }
            case MAP -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    json.writeFieldName(entry.getKey().toString());
                    write(json, schema.getValueType(), entry.getValue());
                }
                json.writeEndObject();
            }
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                json.writeString(Base64.getEncoder().encodeToString(bytes));
            }
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    Instant instant =
                            value instanceof Instant i ? i : Instant.ofEpochMilli((Long) value);
                    json.writeString(instant.toString());
                } else {
                    json.writeNumber((Long) value);
                }
            }
            case INT -> json.writeNumber((Integer) value);
            case FLOAT -> json.writeNumber((Float) value);
            case DOUBLE -> json.writeNumber((Double) value);
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            default -> json.writeString(value.toString()); // STRING, ENUM, FIXED
        }
    }

    /** The branch of a non-null value: the events only use [null, T] unions. */
    private static Schema nonNullBranch(Schema union) {
        for (Schema type : union.getTypes()) {
            if (type.getType() != Schema.Type.NULL) {
                return type;
            }
        }
        throw new IllegalArgumentException("union without a non-null type: " + union);
    }
}
