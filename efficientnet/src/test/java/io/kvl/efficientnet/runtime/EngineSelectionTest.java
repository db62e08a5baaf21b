package io.kvl.efficientnet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.efficientnet.graph.EfficientNetOnnx;
import io.kvl.efficientnet.pretrained.DefaultModel;
import io.kvl.efficientnet.runtime.RuntimeOptions.ModelEngine;
import io.kvl.efficientnet.runtime.RuntimeOptions.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineSelectionTest {
    private static final DeviceChoice CPU = DeviceChoice.parse("cpu");

    @Test
    void shouldLetThePrecisionOrTheExportDecideWhenOnlyOneEngineCan(@TempDir Path tmp)
            throws Exception {
        Path both = DefaultModel.ensureExported();
        assertThat(EngineSelection.forcedBy(both, options(Precision.INT8)))
                .startsWith("onnxruntime");
        assertThat(EngineSelection.forcedBy(both, options(Precision.BF16)))
                .startsWith("tensorflow");
        assertThat(EngineSelection.forcedBy(both, options(Precision.FP32))).isNull();
        Path onnxOnly = Files.createDirectories(tmp.resolve("onnx-only"));
        Files.copy(both.resolve(EfficientNetOnnx.FILE), onnxOnly.resolve(EfficientNetOnnx.FILE));
        assertThat(EngineSelection.forcedBy(onnxOnly, options(Precision.FP32)))
                .startsWith("onnxruntime");
        Path tfOnly = Files.createDirectories(tmp.resolve("tf-only"));
        assertThat(EngineSelection.forcedBy(tfOnly, options(Precision.FP32)))
                .startsWith("tensorflow (the export has no model.onnx");
    }

    @Test
    void shouldMeasureBothEnginesAndSayWhichWonAndWhy() throws Exception {
        try (EfficientNetModel model =
                EfficientNetModel.load(DefaultModel.ensureExported(), options(Precision.FP32), 2)) {
            assertThat(model.engine()).isIn(ModelEngine.TENSORFLOW, ModelEngine.ONNXRUNTIME);
            assertThat(model.selection())
                    .startsWith(model.engine().configName() + " measured faster at batch 2:")
                    .contains("onnxruntime", "tensorflow", "images/s");
        }
    }

    @Test
    void shouldRejectPrecisionsTheEngineDoesNotHave() {
        assertThatThrownBy(
                        () -> new RuntimeOptions(ModelEngine.TENSORFLOW, CPU, 0, 0, Precision.INT8))
                .hasMessageContaining("int8 runs on ONNX Runtime");
        assertThatThrownBy(
                        () ->
                                new RuntimeOptions(
                                        ModelEngine.ONNXRUNTIME, CPU, 0, 0, Precision.BF16))
                .hasMessageContaining("bf16 is TensorFlow's");
        assertThatThrownBy(() -> ModelEngine.parse("tensorrt"))
                .hasMessageContaining("expected one of [auto, tensorflow, onnxruntime]");
    }

    private static RuntimeOptions options(Precision precision) {
        return new RuntimeOptions(ModelEngine.AUTO, CPU, 0, 0, precision);
    }
}
