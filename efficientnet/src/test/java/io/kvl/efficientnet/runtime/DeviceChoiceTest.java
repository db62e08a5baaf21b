package io.kvl.efficientnet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

    @Test
    void autoShouldPickTheFirstGpuWhenOneIsVisibleElseCpu() {
        assertThat(DeviceChoice.parse("auto").resolve(0)).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.parse("AUTO").resolve(2)).isEqualTo(Device.gpu(0));
    }

    @Test
    void explicitChoicesShouldBeHonoured() {
        assertThat(DeviceChoice.parse("cpu").resolve(4)).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.parse("gpu").resolve(1)).isEqualTo(Device.gpu(0));
        assertThat(DeviceChoice.parse("gpu:3").resolve(4)).isEqualTo(Device.gpu(3));
        assertThat(DeviceChoice.parse(" gpu:1 ").toString()).isEqualTo("gpu:1");
    }

    @Test
    void missingGpuShouldFailWithAHint() {
        assertThatThrownBy(() -> DeviceChoice.parse("gpu:1").resolve(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sees 1 GPU")
                .hasMessageContaining("-Pgpu");
    }

    @Test
    void invalidTextShouldBeRejected() {
        assertThatThrownBy(() -> DeviceChoice.parse("tpu"))
                .hasMessageContaining("auto, cpu, gpu or gpu:N");
        assertThatThrownBy(() -> DeviceChoice.parse("gpu:-1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
