package io.kvl.connect.converter;

import io.kvl.schemas.serde.AvroBytes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts values between Avro's Java form (generated classes: {@code Instant} timestamps, {@code
 * ByteBuffer} bytes, Java enums) and Connect's ({@link Struct}, {@code java.util.Date}, {@code
 * byte[]}, strings), following the schemas of {@link ConnectSchemas}.
 */
final class ConnectValues {
    private ConnectValues() {}

    /** The non-null type of a {@code [null, T]} union, or null if there is none. */
    static org.apache.avro.Schema nonNullBranch(org.apache.avro.Schema union) {
        for (org.apache.avro.Schema type : union.getTypes()) {
            if (type.getType() != org.apache.avro.Schema.Type.NULL) {
                return type;
            }
        }
        return null;
    }

    /** An Avro value (of {@code avro}) as a Connect value of {@code connect}. */
    static Object toConnect(org.apache.avro.Schema avro, Schema connect, Object value) {
        if (value == null) {
            return null;
        }
        switch (avro.getType()) {
            case UNION:
                return toConnect(nonNullBranch(avro), connect, value);
            case RECORD:
                IndexedRecord record = (IndexedRecord) value;
                Struct struct = new Struct(connect);
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    Schema fieldSchema = connect.field(field.name()).schema();
                    struct.put(
                            field.name(),
                            toConnect(field.schema(), fieldSchema, record.get(field.pos())));
                }
                return struct;
            case ARRAY:
                List<Object> items = new ArrayList<>();
                for (Object item : (Iterable<?>) value) {
                    items.add(toConnect(avro.getElementType(), connect.valueSchema(), item));
                }
                return items;
            case MAP:
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value)
                        .forEach(
                                (k, v) ->
                                        map.put(
                                                k.toString(),
                                                toConnect(
                                                        avro.getValueType(),
                                                        connect.valueSchema(),
                                                        v)));
                return map;
            case ENUM:
            case STRING:
                return value.toString();
            case BYTES:
                return bytes(value);
            case FIXED:
                return ((GenericFixed) value).bytes().clone();
            case LONG:
                if (isTimestamp(avro)) {
                    return value instanceof Instant instant
                            ? Date.from(instant)
                            : new Date(((Number) value).longValue());
                }
                return value;
            default:
                return value;
        }
    }

    /**
     * A Connect value as the Avro value of {@code avro}: generated classes for records (through
     * {@code model}), Java enums, {@code Instant}s, {@code ByteBuffer}s.
     *
     * @throws DataException if the value does not fit the Avro schema
     */
    static Object toAvro(org.apache.avro.Schema avro, Object value, SpecificData model) {
        if (value == null) {
            if (avro.getType() == org.apache.avro.Schema.Type.UNION && avro.isNullable()) {
                return null;
            }
            throw new DataException("null is not a valid " + avro.getType());
        }
        switch (avro.getType()) {
            case UNION:
                return toAvro(nonNullBranch(avro), value, model);
            case RECORD:
                return record(avro, value, model);
            case ARRAY:
                List<Object> items = new ArrayList<>();
                for (Object item : (Iterable<?>) as(Iterable.class, value, avro)) {
                    items.add(toAvro(avro.getElementType(), item, model));
                }
                return items;
            case MAP:
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) as(Map.class, value, avro))
                        .forEach(
                                (k, v) ->
                                        map.put(
                                                k.toString(),
                                                toAvro(avro.getValueType(), v, model)));
                return map;
            case ENUM:
                String symbol = value.toString();
                if (!avro.hasEnumSymbol(symbol)) {
                    throw new DataException(
                            "'"
                                    + symbol
                                    + "' is not one of "
                                    + avro.getFullName()
                                    + avro.getEnumSymbols());
                }
                return model.createEnum(symbol, avro);
            case STRING:
                return as(CharSequence.class, value, avro).toString();
            case BYTES:
                return ByteBuffer.wrap(bytes(value));
            case INT:
                return as(Number.class, value, avro).intValue();
            case LONG:
                if (isTimestamp(avro)) {
                    return timestamp(value);
                }
                return as(Number.class, value, avro).longValue();
            case FLOAT:
                return as(Number.class, value, avro).floatValue();
            case DOUBLE:
                return as(Number.class, value, avro).doubleValue();
            case BOOLEAN:
                return as(Boolean.class, value, avro);
            default:
                throw new DataException("Avro type " + avro.getType() + " is not supported");
        }
    }

    /**
     * A Struct as a record of the generated class: fields are matched by name, so a Struct changed
     * by a transformation still converts; a missing field takes the Avro default if it has one.
     */
    private static IndexedRecord record(
            org.apache.avro.Schema avro, Object value, SpecificData model) {
        Struct struct = as(Struct.class, value, avro);
        IndexedRecord record = (IndexedRecord) model.newRecord(null, avro);
        for (org.apache.avro.Schema.Field field : avro.getFields()) {
            Field connectField = struct.schema().field(field.name());
            Object fieldValue;
            if (connectField != null) {
                fieldValue = struct.get(connectField);
            } else if (field.hasDefaultValue()) {
                Object defaultValue = field.defaultVal();
                fieldValue = defaultValue == JsonProperties.NULL_VALUE ? null : defaultValue;
            } else {
                throw new DataException(
                        avro.getFullName()
                                + " needs field '"
                                + field.name()
                                + "', missing in "
                                + struct.schema().name());
            }
            try {
                record.put(field.pos(), toAvro(field.schema(), fieldValue, model));
            } catch (DataException e) {
                throw new DataException(
                        avro.getFullName() + "." + field.name() + ": " + e.getMessage(), e);
            }
        }
        return record;
    }

    private static boolean isTimestamp(org.apache.avro.Schema avro) {
        return avro.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    private static Instant timestamp(Object value) {
        if (value instanceof Date date) {
            return Instant.ofEpochMilli(date.getTime());
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        throw new DataException("Expected a timestamp, got " + value.getClass().getName());
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            return AvroBytes.copy(buffer);
        }
        throw new DataException("Expected bytes, got " + value.getClass().getName());
    }

    private static <T> T as(Class<T> type, Object value, org.apache.avro.Schema avro) {
        if (!type.isInstance(value)) {
            throw new DataException(
                    "Expected "
                            + type.getSimpleName()
                            + " for Avro "
                            + avro.getType()
                            + ", got "
                            + value.getClass().getName());
        }
        return type.cast(value);
    }
}
