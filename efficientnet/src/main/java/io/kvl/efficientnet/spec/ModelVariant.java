package io.kvl.efficientnet.spec;

import java.util.Locale;

/**
 * One member of the EfficientNet family: its multipliers, input resolution and flavour.
 *
 * @param name canonical name, e.g. {@code efficientnet-b0} or {@code efficientnet-lite0}
 * @param widthMultiplier channel multiplier (beta^phi)
 * @param depthMultiplier repeat multiplier (alpha^phi)
 * @param resolution square input size in pixels
 * @param dropout training dropout of the official table (recorded; inference ignores it)
 * @param lite EfficientNet-Lite: no squeeze-excitation, ReLU6, stem and head not scaled
 */
public record ModelVariant(
        String name,
        double widthMultiplier,
        double depthMultiplier,
        int resolution,
        double dropout,
        boolean lite) {

    public ModelVariant {
        if (widthMultiplier <= 0 || depthMultiplier <= 0) {
            throw new IllegalArgumentException("multipliers must be positive");
        }
        if (resolution < 32) {
            throw new IllegalArgumentException("resolution must be at least 32, got " + resolution);
        }
    }

    /** The official (width, depth, resolution, dropout) of B0-B7. */
    private static final double[][] B_TABLE = {
        {1.0, 1.0, 224, 0.2},
        {1.0, 1.1, 240, 0.2},
        {1.1, 1.2, 260, 0.3},
        {1.2, 1.4, 300, 0.3},
        {1.4, 1.8, 380, 0.4},
        {1.6, 2.2, 456, 0.4},
        {1.8, 2.6, 528, 0.5},
        {2.0, 3.1, 600, 0.5},
    };

    /** The official table of EfficientNet-Lite0..4 ({@code efficientnet_lite_builder.py}). */
    private static final double[][] LITE_TABLE = {
        {1.0, 1.0, 224, 0.2},
        {1.0, 1.1, 240, 0.2},
        {1.1, 1.2, 260, 0.3},
        {1.2, 1.4, 280, 0.3},
        {1.4, 1.8, 300, 0.3},
    };

    /** {@code b0}..{@code b7}, {@code lite0}..{@code lite4}, with or without the family prefix. */
    public static ModelVariant of(String id) {
        String key = id.toLowerCase(Locale.ROOT).replace("efficientnet-", "").replace("_", "");
        try {
            if (key.matches("b[0-7]")) {
                return fromTable("efficientnet-" + key, B_TABLE[key.charAt(1) - '0'], false);
            }
            if (key.matches("lite[0-4]")) {
                return fromTable("efficientnet-" + key, LITE_TABLE[key.charAt(4) - '0'], true);
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("unknown variant: " + id, e);
        }
        throw new IllegalArgumentException(
                "unknown variant '" + id + "': expected b0..b7 or lite0..lite4");
    }

    /**
     * A model scaled from B0 by a compound coefficient. Dropout follows the official table's trend
     * (0.2 at phi 0 up to 0.5 at phi 7); it is only recorded.
     */
    public static ModelVariant ofPhi(double phi) {
        if (phi < 0 || phi > 10 || Double.isNaN(phi)) {
            throw new IllegalArgumentException("phi must be within [0, 10], got " + phi);
        }
        double dropout = Math.min(0.5, 0.2 + 0.3 * phi / 7.0);
        return new ModelVariant(
                String.format(Locale.ROOT, "efficientnet-phi%s", trim(phi)),
                CompoundScaling.widthMultiplier(phi),
                CompoundScaling.depthMultiplier(phi),
                CompoundScaling.resolution(phi),
                dropout,
                false);
    }

    private static ModelVariant fromTable(String name, double[] row, boolean lite) {
        return new ModelVariant(name, row[0], row[1], (int) row[2], row[3], lite);
    }

    private static String trim(double phi) {
        return phi == Math.rint(phi) ? Long.toString((long) phi) : Double.toString(phi);
    }
}
