package io.kvl.efficientnet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchSizeSelectionTest {

    @Test
    void shouldTryPowersOfTwoUpToTheLargestAllowed() {
        assertThat(BatchSizeSelection.candidates(1)).containsExactly(1);
        assertThat(BatchSizeSelection.candidates(16)).containsExactly(1, 2, 4, 8, 16);
        assertThat(BatchSizeSelection.candidates(12)).containsExactly(1, 2, 4, 8, 12);
        assertThatThrownBy(() -> BatchSizeSelection.candidates(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTakeTheSmallestBatchWithinFivePercentOfTheBest() {
        // A machine where batching stops paying at 4 (the Zen 2 figures of issue 12).
        Map<Integer, Double> zen2 = Map.of(1, 33.0, 2, 40.0, 4, 46.0, 8, 43.0, 16, 46.0);
        assertThat(BatchSizeSelection.choose(List.of(1, 2, 4, 8, 16), zen2::get).batch())
                .isEqualTo(4);
        // One where it pays up to 16.
        Map<Integer, Double> zen5 = Map.of(1, 76.0, 2, 100.0, 4, 130.0, 8, 160.0, 16, 175.0);
        assertThat(BatchSizeSelection.choose(List.of(1, 2, 4, 8, 16), zen5::get).batch())
                .isEqualTo(16);
        // 4.9% below the best still counts as the best.
        Map<Integer, Double> flat = Map.of(1, 95.1, 2, 100.0);
        BatchSizeSelection.Choice c = BatchSizeSelection.choose(List.of(1, 2), flat::get);
        assertThat(c.batch()).isEqualTo(1);
        assertThat(c.describe()).startsWith("batch 1 (95.1 images/s; best 100.0;");
    }
}
