package io.kvl.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceReportTest {
    private static final Map<String, List<Long>> EXPECTED =
            Map.of("cam-1", List.of(0L, 12L, 25L), "cam-2", List.of(0L, 12L));

    @Test
    void shouldAcceptTheExactSequences() {
        SequenceReport r = SequenceReport.compare(EXPECTED, EXPECTED);
        assertThat(r.exactlyOnceInOrder()).isTrue();
        assertThat(r.found()).isEqualTo(5);
    }

    @Test
    void shouldReportADuplicateAndAGap() {
        SequenceReport r =
                SequenceReport.compare(
                        EXPECTED,
                        Map.of("cam-1", List.of(0L, 12L, 12L), "cam-2", List.of(0L, 12L)));
        assertThat(r.duplicates()).containsExactly("cam-1#12");
        assertThat(r.missing()).containsExactly("cam-1#25");
        assertThat(r.exactlyOnceInOrder()).isFalse();
    }

    @Test
    void shouldReportReorderingAndStrangers() {
        SequenceReport r =
                SequenceReport.compare(
                        EXPECTED,
                        Map.of("cam-1", List.of(12L, 0L, 25L), "cam-2", List.of(0L, 12L, 99L)));
        assertThat(r.outOfOrder()).containsExactly("cam-1#0 after #12");
        assertThat(r.unexpected()).containsExactly("cam-2#99");
        assertThat(r.duplicates()).isEmpty();
        assertThat(r.missing()).isEmpty();
    }
}
