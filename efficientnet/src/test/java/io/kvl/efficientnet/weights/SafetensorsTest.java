package io.kvl.efficientnet.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.ModelVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @Test
    void shouldRoundTripTensorsAndMetadataDeterministically(@TempDir Path tmp) throws Exception {
        Architecture arch = Architecture.of(ModelVariant.of("lite0"));
        ModelWeights w = RandomWeights.create(arch, 5);
        Path a = tmp.resolve("a.safetensors");
        Path b = tmp.resolve("b.safetensors");
        Safetensors.write(w, a);
        ModelWeights back = Safetensors.read(a);
        Safetensors.write(back, b);

        assertThat(back.tensors()).isEqualTo(w.tensors());
        assertThat(back.metadata()).isEqualTo(w.metadata());
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        back.validate(arch);
    }

    @Test
    void shouldRejectTruncatedFiles(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("w.safetensors");
        Safetensors.write(
                new ModelWeights(
                        Map.of("x", new FloatTensor(new long[] {4}, new float[4])), Map.of()),
                f);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> Safetensors.read(f)).hasMessageContaining("bad data offsets");
    }

    @Test
    void shouldListWhatDoesNotFitTheArchitecture() {
        Architecture lite0 = Architecture.of(ModelVariant.of("lite0"));
        ModelWeights b0 = RandomWeights.create(Architecture.of(ModelVariant.of("b0")), 1);
        assertThatThrownBy(() -> b0.validate(lite0))
                .hasMessageContaining("unexpected blocks_0/se/conv2d/kernel");
    }
}
