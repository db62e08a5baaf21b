package io.kvl.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void shouldDoubleUpToTheMaximumAndStartOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));

        assertThat(Stream.generate(backoff::next).limit(5).map(Duration::toMillis))
                .containsExactly(100L, 200L, 400L, 500L, 500L);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void shouldGrowFromZero() {
        Backoff backoff = new Backoff(Duration.ZERO, Duration.ofMillis(3));

        assertThat(Stream.generate(backoff::next).limit(4).map(Duration::toMillis))
                .containsExactly(0L, 2L, 3L, 3L);
    }
}
