package io.kvl.efficientnet.graph;

import java.util.Locale;
import java.util.Map;

/**
 * Per-channel {@code (pixel - mean) / std} applied inside the exported graph, so callers pass raw
 * RGB bytes. Which constants are right depends on how the weights were trained.
 *
 * @param mean RGB means in pixel units
 * @param std RGB standard deviations in pixel units
 */
public record InputNormalization(float[] mean, float[] std) {
    /** The official B0-B7 checkpoints: ImageNet statistics scaled to 0..255. */
    public static final InputNormalization IMAGENET =
            new InputNormalization(
                    new float[] {0.485f * 255, 0.456f * 255, 0.406f * 255},
                    new float[] {0.229f * 255, 0.224f * 255, 0.225f * 255});

    /** The official EfficientNet-Lite checkpoints ({@code efficientnet_lite_builder.py}). */
    public static final InputNormalization LITE =
            new InputNormalization(new float[] {127f, 127f, 127f}, new float[] {128f, 128f, 128f});

    public InputNormalization {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (RGB)");
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * Reads {@code input_mean} and {@code input_std} ("[r, g, b]" or one value) from weight
     * metadata, else returns {@code fallback}.
     */
    public static InputNormalization fromMetadata(
            Map<String, String> metadata, InputNormalization fallback) {
        String m = metadata.get("input_mean");
        String s = metadata.get("input_std");
        if (m == null || s == null) {
            return fallback;
        }
        return new InputNormalization(parse(m), parse(s));
    }

    public String meanText() {
        return format(mean);
    }

    public String stdText() {
        return format(std);
    }

    private static float[] parse(String text) {
        String[] parts = text.replace("[", "").replace("]", "").split(",");
        if (parts.length == 1) {
            float v = Float.parseFloat(parts[0].trim());
            return new float[] {v, v, v};
        }
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i].trim());
        }
        return out;
    }

    private static String format(float[] v) {
        return String.format(Locale.ROOT, "%s,%s,%s", v[0], v[1], v[2]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputNormalization n
                && java.util.Arrays.equals(mean, n.mean)
                && java.util.Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(mean) * 31 + java.util.Arrays.hashCode(std);
    }
}
