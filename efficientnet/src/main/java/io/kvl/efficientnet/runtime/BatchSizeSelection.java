package io.kvl.efficientnet.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;

/**
 * {@code batch.size=auto}: measures images per second at 1, 2, 4, ... up to the largest allowed
 * batch and takes the smallest batch within {@value #TOLERANCE} of the best. Smaller batches fill
 * sooner and wait less, so a batch that buys under 5% more throughput is not worth its latency.
 * Where batching pays differs by CPU (2.3x on one machine, nothing past 4 on another).
 */
public final class BatchSizeSelection {
    /** Throughput a smaller batch may give up. */
    public static final double TOLERANCE = 0.05;

    /** Measuring time per candidate, after warm-up. */
    static final double SECONDS_PER_CANDIDATE = 1.0;

    private BatchSizeSelection() {}

    /** The chosen batch and every measurement (images/s by batch). */
    public record Choice(int batch, Map<Integer, Double> imagesPerSecond) {
        public String describe() {
            double best = imagesPerSecond.values().stream().mapToDouble(d -> d).max().orElse(0);
            return String.format(
                    Locale.ROOT,
                    "batch %d (%.1f images/s; best %.1f; smallest within %.0f%% of the best) from"
                            + " %s",
                    batch,
                    imagesPerSecond.get(batch),
                    best,
                    100 * TOLERANCE,
                    imagesPerSecond.entrySet().stream()
                            .map(
                                    e ->
                                            String.format(
                                                    Locale.ROOT,
                                                    "%d: %.1f",
                                                    e.getKey(),
                                                    e.getValue()))
                            .collect(Collectors.joining(", ", "{", "}")));
        }
    }

    /** Powers of two below {@code max}, then {@code max}. */
    public static List<Integer> candidates(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("largest batch must be at least 1, got " + max);
        }
        List<Integer> out = new ArrayList<>();
        for (int b = 1; b < max; b *= 2) {
            out.add(b);
        }
        out.add(max);
        return out;
    }

    /** Measures every candidate with {@code rate} (images/s at a batch) and chooses. */
    public static Choice choose(List<Integer> candidates, IntToDoubleFunction rate) {
        Map<Integer, Double> measured = new LinkedHashMap<>();
        for (int b : candidates) {
            measured.put(b, rate.applyAsDouble(b));
        }
        double best = measured.values().stream().mapToDouble(d -> d).max().orElseThrow();
        for (Map.Entry<Integer, Double> e : measured.entrySet()) {
            if (e.getValue() >= (1 - TOLERANCE) * best) {
                return new Choice(e.getKey(), measured);
            }
        }
        throw new IllegalStateException("no batch reached the best rate: " + measured);
    }

    /** Measures {@code predictor} at each candidate up to {@code max} and chooses. */
    public static Choice measure(EfficientNetPredictor predictor, int max) {
        int res = predictor.resolution();
        return choose(
                candidates(max),
                b ->
                        InferenceBenchmark.measure(
                                        predictor,
                                        EngineSelection.randomImages(b, res),
                                        SECONDS_PER_CANDIDATE)
                                .imagesPerSecond());
    }
}
