package io.kvl.video;

import java.util.Arrays;
import java.util.Locale;

/** Which decoded frames of a camera are labeled. */
public enum SamplingMode {
    /** At most a target rate per camera, by capture time, across chunks ({@link FpsSampler}). */
    FPS,
    /** Keyframes only: one frame per group of pictures. */
    KEYFRAMES,
    /** Every frame. */
    ALL;

    /** The name in configuration files: {@code fps}, {@code keyframes}, {@code all}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The configuration names, for validators and documentation. */
    public static String[] configValues() {
        return Arrays.stream(values()).map(SamplingMode::configValue).toArray(String[]::new);
    }

    /** The mode named {@code value} (case-insensitive). */
    public static SamplingMode fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
