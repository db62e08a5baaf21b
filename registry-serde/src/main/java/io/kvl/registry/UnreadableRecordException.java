package io.kvl.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a record of the expected type in either wire format, with the dead-letter
 * reason: {@value #CORRUPT} (not Avro of this type: bad marker, truncated or garbled body, unknown
 * fingerprint) or {@value #UNKNOWN_SCHEMA_ID} (Confluent framing whose schema id the registry does
 * not know, or no registry is configured). A {@link SerializationException}, so callers that only
 * know Kafka's contract still treat it as a poison record.
 */
public final class UnreadableRecordException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public static final String CORRUPT = "corrupt-avro";
    public static final String UNKNOWN_SCHEMA_ID = "unknown-schema-id";

    private final String reason;

    public UnreadableRecordException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The dead-letter reason. */
    public String reason() {
        return reason;
    }
}
