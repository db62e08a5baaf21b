package io.kvl.connect.converter;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Derives a Connect {@link Schema} from an Avro schema:
 *
 * <ul>
 *   <li>record: STRUCT named like the record (e.g. {@code io.kvl.schemas.Alert}), fields in order
 *   <li>array: ARRAY; map: MAP with STRING keys
 *   <li>enum: STRING named like the enum (e.g. {@code io.kvl.schemas.Severity})
 *   <li>long with logical type timestamp-millis: {@link Timestamp} ({@code java.util.Date})
 *   <li>bytes and fixed: BYTES; string: STRING; int, long, float, double, boolean: INT32, INT64,
 *       FLOAT32, FLOAT64, BOOLEAN
 *   <li>union of null and one type: that type, optional
 * </ul>
 *
 * Field docs become schema docs, field defaults become Connect defaults (primitive fields). Other
 * unions and logical types are not used by the project's events and are rejected.
 */
final class ConnectSchemas {
    private ConnectSchemas() {}

    static Schema toConnect(org.apache.avro.Schema avro) {
        return build(avro, null, null, false, new HashMap<>());
    }

    /**
     * @param doc the field's doc, for unnamed types
     * @param defaultValue the field's default (Avro's Java form), or null
     * @param optional whether the field is a union with null
     * @param named records already built, by full name: a record type used by several fields gets
     *     one Connect schema
     */
    private static Schema build(
            org.apache.avro.Schema avro,
            String doc,
            Object defaultValue,
            boolean optional,
            Map<String, Schema> named) {
        switch (avro.getType()) {
            case RECORD:
                String key = avro.getFullName() + (optional ? "?" : "");
                Schema known = named.get(key);
                if (known == null) {
                    known = struct(avro, optional, named);
                    named.put(key, known);
                }
                return known;
            case UNION:
                org.apache.avro.Schema value = ConnectValues.nonNullBranch(avro);
                if (avro.getTypes().size() != 2 || value == null) {
                    throw new DataException(
                            "Only unions of null and one type are supported: " + avro);
                }
                return build(value, doc, null, true, named);
            case ARRAY:
                Schema items = build(avro.getElementType(), null, null, false, named);
                return finish(SchemaBuilder.array(items), doc, null, optional);
            case MAP:
                Schema values = build(avro.getValueType(), null, null, false, named);
                return finish(SchemaBuilder.map(Schema.STRING_SCHEMA, values), doc, null, optional);
            case ENUM:
                return finish(
                        SchemaBuilder.string().name(avro.getFullName()),
                        doc,
                        defaultValue,
                        optional);
            case STRING:
                return finish(SchemaBuilder.string(), doc, defaultValue, optional);
            case BYTES:
            case FIXED:
                return finish(SchemaBuilder.bytes(), doc, null, optional);
            case INT:
                return finish(SchemaBuilder.int32(), doc, defaultValue, optional);
            case LONG:
                if (avro.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    Object date =
                            defaultValue == null
                                    ? null
                                    : new Date(((Number) defaultValue).longValue());
                    return finish(Timestamp.builder(), doc, date, optional);
                }
                return finish(SchemaBuilder.int64(), doc, defaultValue, optional);
            case FLOAT:
                return finish(SchemaBuilder.float32(), doc, defaultValue, optional);
            case DOUBLE:
                return finish(SchemaBuilder.float64(), doc, defaultValue, optional);
            case BOOLEAN:
                return finish(SchemaBuilder.bool(), doc, defaultValue, optional);
            default:
                throw new DataException("Avro type " + avro.getType() + " is not supported");
        }
    }

    private static Schema struct(
            org.apache.avro.Schema avro, boolean optional, Map<String, Schema> named) {
        SchemaBuilder struct = SchemaBuilder.struct().name(avro.getFullName());
        for (org.apache.avro.Schema.Field field : avro.getFields()) {
            Object defaultValue = field.hasDefaultValue() ? field.defaultVal() : null;
            if (defaultValue == JsonProperties.NULL_VALUE) {
                defaultValue = null;
            }
            struct.field(
                    field.name(), build(field.schema(), field.doc(), defaultValue, false, named));
        }
        return finish(struct, avro.getDoc(), null, optional);
    }

    private static Schema finish(
            SchemaBuilder builder, String doc, Object defaultValue, boolean optional) {
        builder.doc(doc);
        if (optional) {
            builder.optional();
        }
        if (defaultValue != null) {
            builder.defaultValue(
                    defaultValue instanceof CharSequence ? defaultValue.toString() : defaultValue);
        }
        return builder.build();
    }
}
