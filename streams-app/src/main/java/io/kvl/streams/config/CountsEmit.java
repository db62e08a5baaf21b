package io.kvl.streams.config;

import java.util.Locale;

/** When windowed label counts are emitted ({@code counts.emit}). */
public enum CountsEmit {
    /** One count per window and label when the window closes (suppressed until then). */
    FINAL,
    /** A count on every change of a window. */
    UPDATES;

    /** The name in configuration files. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
