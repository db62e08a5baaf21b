package io.kvl.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every schema a record type has ever been written with, read from the classpath resources {@code
 * <package>/history/<Type>-v1.avsc}, {@code -v2.avsc}, ... (oldest first, up to the first missing
 * version).
 *
 * <p>Each history file is self-contained (nested types inlined) and frozen: it describes bytes that
 * may still sit in a topic, so it is never edited once released.
 */
final class SchemaHistory {

    private SchemaHistory() {}

    /**
     * Loads the history of {@code type}.
     *
     * @throws IllegalStateException if there is no {@code -v1} file, or a file describes another
     *     record than {@code type}
     * @throws UncheckedIOException if a file cannot be read
     */
    static List<Schema> load(Class<?> type) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            Schema schema = read(type, version);
            if (schema == null) {
                break;
            }
            versions.add(schema);
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException(
                    "No schema history for "
                            + type.getName()
                            + ": expected the resource "
                            + resourcePath(type, 1));
        }
        return List.copyOf(versions);
    }

    /** The classpath resource of one version, e.g. {@code io/kvl/schemas/history/Frame-v1.avsc}. */
    static String resourcePath(Class<?> type, int version) {
        return type.getPackageName().replace('.', '/')
                + "/history/"
                + type.getSimpleName()
                + "-v"
                + version
                + ".avsc";
    }

    private static Schema read(Class<?> type, int version) {
        String path = resourcePath(type, version);
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            // One parser per file: every version defines the same names (and nested types).
            Schema schema = new Schema.Parser().parse(in);
            if (!schema.getFullName().equals(type.getName())) {
                throw new IllegalStateException(
                        path + " describes " + schema.getFullName() + ", not " + type.getName());
            }
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema history file " + path, e);
        }
    }
}
