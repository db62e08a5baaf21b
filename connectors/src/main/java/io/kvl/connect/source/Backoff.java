package io.kvl.connect.source;

import java.time.Duration;

/**
 * Bounded exponential backoff: {@code initial}, then doubled after every failure up to {@code max};
 * {@link #reset()} after a success. Not thread-safe (one per camera reader).
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max: " + initial + ", " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The wait before the next attempt; each call doubles the one after, up to the maximum. */
    Duration next() {
        long wait = nextMillis;
        nextMillis = Math.min(maxMillis, Math.max(1, nextMillis) * 2);
        return Duration.ofMillis(wait);
    }

    void reset() {
        nextMillis = initialMillis;
    }
}
