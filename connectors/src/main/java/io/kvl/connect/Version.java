package io.kvl.connect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of these plugins, as Connect reports it ({@code GET /connector-plugins}). */
public final class Version {
    private static final String VERSION = load();

    private Version() {}

    /** The Maven project version this jar was built as. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        // Written by Maven resource filtering, so it is right in tests (no jar manifest) too.
        try (InputStream in = Version.class.getResourceAsStream("kvl-connectors.properties")) {
            if (in == null) {
                throw new IllegalStateException("kvl-connectors.properties is missing");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read kvl-connectors.properties", e);
        }
    }
}
