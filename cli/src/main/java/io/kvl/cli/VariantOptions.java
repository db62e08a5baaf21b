package io.kvl.cli;

import io.kvl.efficientnet.spec.ModelVariant;
import picocli.CommandLine.Option;

/** Mixin for {@code --variant NAME} or {@code --phi X} (at most one). */
final class VariantOptions {
    @Option(
            names = "--variant",
            paramLabel = "NAME",
            description = "b0..b7 or lite0..lite4 (default: b0).")
    String variant;

    @Option(
            names = "--phi",
            paramLabel = "X",
            description =
                    "Compound coefficient: scale B0 by 1.2^X depth, 1.1^X width and 1.15^X"
                            + " resolution.")
    Double phi;

    ModelVariant resolve() {
        if (variant != null && phi != null) {
            throw new IllegalArgumentException("give --variant or --phi, not both");
        }
        if (phi != null) {
            return ModelVariant.ofPhi(phi);
        }
        return ModelVariant.of(variant == null ? "b0" : variant);
    }
}
