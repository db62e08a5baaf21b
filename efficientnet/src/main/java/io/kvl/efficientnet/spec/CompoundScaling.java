package io.kvl.efficientnet.spec;

/**
 * Compound scaling of Tan &amp; Le (ICML 2019): one coefficient {@code phi} scales depth by {@code
 * alpha^phi}, width by {@code beta^phi} and resolution by {@code gamma^phi}, with {@code alpha *
 * beta^2 * gamma^2 ~ 2} so that FLOPs grow by about {@code 2^phi}.
 *
 * <p>The rounding helpers reproduce the official builder ({@code efficientnet_builder.py} and
 * {@code efficientnet_model.py}) exactly, because pretrained weights only fit the channel counts it
 * makes.
 */
public final class CompoundScaling {
    /** Depth base found by the paper's grid search. */
    public static final double ALPHA = 1.2;

    /** Width base. */
    public static final double BETA = 1.1;

    /** Resolution base. */
    public static final double GAMMA = 1.15;

    /** Channel counts are rounded to a multiple of this. */
    public static final int DEPTH_DIVISOR = 8;

    /** Resolution of the baseline B0. */
    public static final int BASE_RESOLUTION = 224;

    private CompoundScaling() {}

    public static double depthMultiplier(double phi) {
        return Math.pow(ALPHA, phi);
    }

    public static double widthMultiplier(double phi) {
        return Math.pow(BETA, phi);
    }

    /**
     * Input resolution for {@code phi}: {@code 224 * gamma^phi} rounded to the nearest multiple of
     * 8. The official table for B1-B7 was tuned by hand and deviates from this formula; {@link
     * ModelVariant} uses the table for named variants.
     */
    public static int resolution(double phi) {
        double exact = BASE_RESOLUTION * Math.pow(GAMMA, phi);
        return (int) Math.round(exact / DEPTH_DIVISOR) * DEPTH_DIVISOR;
    }

    /**
     * FLOPs ratio to the baseline predicted by the constraint: {@code (alpha*beta^2*gamma^2)^phi}.
     */
    public static double flopsFactor(double phi) {
        return Math.pow(ALPHA * BETA * BETA * GAMMA * GAMMA, phi);
    }

    /**
     * {@code round_filters} of the official builder: scale, round to the nearest multiple of 8
     * (never below 8), and add 8 when rounding went down by more than 10%.
     */
    public static int roundFilters(int filters, double widthMultiplier) {
        double scaled = filters * widthMultiplier;
        int rounded =
                Math.max(
                        DEPTH_DIVISOR,
                        (int) (scaled + DEPTH_DIVISOR / 2.0) / DEPTH_DIVISOR * DEPTH_DIVISOR);
        if (rounded < 0.9 * scaled) {
            rounded += DEPTH_DIVISOR;
        }
        return rounded;
    }

    /** {@code round_repeats} of the official builder: {@code ceil(depthMultiplier * repeats)}. */
    public static int roundRepeats(int repeats, double depthMultiplier) {
        return (int) Math.ceil(depthMultiplier * repeats);
    }
}
