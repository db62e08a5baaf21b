package io.kvl.schemas.serde;

import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the lengths Avro believes before reading. Avro allocates a string or bytes field as long as
 * its encoded length says, before reading the bytes, and its default limit is 2 GB: a 39-byte
 * record claiming a 900 MB string made the deserializer throw OutOfMemoryError (found by {@code
 * InputGateFuzzTest}), which no dead-letter handling catches and which can starve every other
 * thread of the JVM. No field of ours can be longer than the record holding it, and records are at
 * most 64 MiB (the upper bound of {@code max.chunk.bytes} and {@code max.frame.bytes}).
 *
 * <p>Avro reads its limits from system properties once, when it first checks one. They are set here
 * unless the operator set them, before this library decodes anything; if Avro read them earlier in
 * this JVM (another Avro user decoded first), a warning says the cap is not in force.
 */
final class AvroLimits {
    static final int MAX_LENGTH = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(AvroLimits.class);

    private AvroLimits() {}

    static void apply() {
        setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY);
        setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY);
        try {
            SystemLimitException.checkMaxStringLength(MAX_LENGTH + 1L);
            LOG.warn(
                    "Avro accepts strings longer than {} bytes: a corrupt record can make it"
                            + " allocate up to 2 GB. Set -D{}={} (and {}) on the command line.",
                    MAX_LENGTH,
                    SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
                    MAX_LENGTH,
                    SystemLimitException.MAX_BYTES_LENGTH_PROPERTY);
        } catch (SystemLimitException expected) {
            // The cap is in force (ours, or a stricter one the operator set).
        }
    }

    private static void setIfAbsent(String property) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(MAX_LENGTH));
        }
    }
}
