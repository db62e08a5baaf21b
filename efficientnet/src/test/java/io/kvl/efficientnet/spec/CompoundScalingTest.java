package io.kvl.efficientnet.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompoundScalingTest {

    @Test
    void shouldSatisfyThePaperConstraint() {
        double product =
                CompoundScaling.ALPHA
                        * Math.pow(CompoundScaling.BETA, 2)
                        * Math.pow(CompoundScaling.GAMMA, 2);
        assertThat(product).isCloseTo(2.0, within(0.1));
        assertThat(CompoundScaling.flopsFactor(3)).isCloseTo(Math.pow(product, 3), within(1e-9));
    }

    @Test
    void shouldDeriveMultipliersFromPhi() {
        assertThat(CompoundScaling.depthMultiplier(1.5))
                .isCloseTo(Math.pow(1.2, 1.5), within(1e-12));
        assertThat(CompoundScaling.widthMultiplier(1.5))
                .isCloseTo(Math.pow(1.1, 1.5), within(1e-12));
        assertThat(CompoundScaling.resolution(0)).isEqualTo(224);
        // 224 * 1.15^1.5 = 276.2 -> nearest multiple of 8
        assertThat(CompoundScaling.resolution(1.5)).isEqualTo(280);
    }

    /** Values of the official round_filters for the widths of the table. */
    @ParameterizedTest
    @CsvSource({
        "32, 1.0, 32",
        "32, 1.1, 32", // 35.2 -> 32, not below 90%
        "16, 1.1, 16", // 17.6 -> 16 (>= 15.84)
        "24, 1.1, 24", // 26.4 -> 24 (>= 23.76)
        "40, 1.1, 48", // 44.0 -> 48 (int(48)//8*8)
        "1280, 1.1, 1408",
        "40, 1.2, 48",
        "112, 1.4, 160",
        "320, 1.8, 576",
        "1280, 2.0, 2560",
        "16, 1.2, 24", // 19.2 -> 16 would be below 90% (17.28), so 8 more
    })
    void shouldRoundFiltersLikeTheOfficialBuilder(int filters, double width, int expected) {
        assertThat(CompoundScaling.roundFilters(filters, width)).isEqualTo(expected);
    }

    @Test
    void shouldRoundRepeatsUp() {
        assertThat(CompoundScaling.roundRepeats(1, 1.1)).isEqualTo(2);
        assertThat(CompoundScaling.roundRepeats(4, 3.1)).isEqualTo(13);
        assertThat(CompoundScaling.roundRepeats(3, 1.0)).isEqualTo(3);
    }

    @Test
    void shouldRejectUnknownVariantsAndBadPhi() {
        assertThatThrownBy(() -> ModelVariant.of("b8")).hasMessageContaining("b0..b7");
        assertThatThrownBy(() -> ModelVariant.ofPhi(-1)).hasMessageContaining("phi");
    }
}
