package io.kvl.efficientnet.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelStatsTest {

    /**
     * Keras's EfficientNetB0..B7 totals (tf.keras.applications, without the 7 input-normalization
     * weights) and the paper's FLOPs, which are multiply-adds.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "b0, 5330564, 0.39e9",
        "b1, 7856232, 0.70e9",
        "b2, 9177562, 1.0e9",
        "b3, 12320528, 1.8e9",
        "b4, 19466816, 4.2e9",
        "b5, 30562520, 9.9e9",
        "b6, 43265136, 19e9",
        "b7, 66658680, 37e9",
    })
    void shouldMatchKerasParametersAndPaperMultiplyAdds(
            String variant, long kerasTotal, double paperMacs) {
        ModelStats stats = ModelStats.of(Architecture.of(ModelVariant.of(variant)));
        assertThat((double) stats.totalParameters())
                .isCloseTo(kerasTotal, within(kerasTotal * 0.005));
        assertThat((double) stats.multiplyAdds()).isCloseTo(paperMacs, within(paperMacs * 0.06));
    }

    @Test
    void shouldCountB0TrainableParametersExactlyAsKeras() {
        ModelStats stats = ModelStats.of(Architecture.of(ModelVariant.of("b0")));
        assertThat(stats.trainableParameters()).isEqualTo(5_288_548L);
    }
}
