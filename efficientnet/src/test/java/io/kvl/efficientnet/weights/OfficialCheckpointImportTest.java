package io.kvl.efficientnet.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.ModelVariant;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No official checkpoint is reachable from CI, so the test writes one in the official naming scheme
 * ({@code efficientnet-b0/blocks_0/conv2d/kernel}, ...) with TensorFlow's SaveV2 kernel and checks
 * that the importer maps every tensor back bit for bit.
 */
class OfficialCheckpointImportTest {

    @Test
    void shouldRoundTripAnOfficiallyNamedCheckpointBitExact(@TempDir Path tmp) {
        Architecture arch = Architecture.of(ModelVariant.of("b0"));
        ModelWeights original = RandomWeights.create(arch, 42);
        Map<String, FloatTensor> official = new LinkedHashMap<>();
        original.tensors().forEach((name, t) -> official.put("efficientnet-b0/" + name, t));
        // An unrelated optimizer slot, as real checkpoints have, must be ignored.
        official.put(
                "efficientnet-b0/stem/conv2d/kernel/RMSProp",
                new FloatTensor(new long[] {1}, new float[] {9}));
        Path prefix = tmp.resolve("model.ckpt");
        TfCheckpoint.write(prefix, official);

        ModelWeights imported = OfficialCheckpointImport.read(prefix, arch, "efficientnet-b0");

        assertThat(imported.tensors().keySet()).isEqualTo(original.tensors().keySet());
        original.tensors()
                .forEach((name, t) -> assertThat(imported.get(name)).as(name).isEqualTo(t));
        assertThat(imported.metadata().get(ModelWeights.SOURCE)).doesNotContain("moving averages");
    }

    @Test
    void shouldPreferExponentialMovingAveragesWhenPresent(@TempDir Path tmp) {
        Architecture arch = Architecture.of(ModelVariant.of("lite0"));
        ModelWeights raw = RandomWeights.create(arch, 1);
        ModelWeights ema = RandomWeights.create(arch, 2);
        Map<String, FloatTensor> official = new LinkedHashMap<>();
        raw.tensors().forEach((name, t) -> official.put("efficientnet-lite0/" + name, t));
        ema.tensors()
                .forEach(
                        (name, t) ->
                                official.put(
                                        "efficientnet-lite0/"
                                                + name
                                                + OfficialCheckpointImport.EMA_SUFFIX,
                                        t));
        Path prefix = tmp.resolve("model.ckpt");
        TfCheckpoint.write(prefix, official);

        ModelWeights imported = OfficialCheckpointImport.read(prefix, arch, "efficientnet-lite0");

        ema.tensors().forEach((name, t) -> assertThat(imported.get(name)).as(name).isEqualTo(t));
        assertThat(imported.metadata().get(ModelWeights.SOURCE)).contains("moving averages");
    }

    @Test
    void shouldFailClearlyWhenTheCheckpointIsForAnotherVariant(@TempDir Path tmp) {
        Architecture b0 = Architecture.of(ModelVariant.of("b0"));
        Map<String, FloatTensor> official = new LinkedHashMap<>();
        RandomWeights.create(b0, 3)
                .tensors()
                .forEach((n, t) -> official.put("efficientnet-b0/" + n, t));
        Path prefix = tmp.resolve("model.ckpt");
        TfCheckpoint.write(prefix, official);

        Architecture b1 = Architecture.of(ModelVariant.of("b1"));
        assertThatThrownBy(() -> OfficialCheckpointImport.read(prefix, b1, "efficientnet-b0"))
                .hasMessageContaining("not found");
    }
}
