package io.kvl.efficientnet.weights;

import io.kvl.efficientnet.spec.Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads weights for an architecture from what a user points at: a {@code .safetensors} file (the
 * project's format, see {@code tools/}) or an official TensorFlow checkpoint prefix (the path
 * without {@code .index}).
 */
public final class WeightsFiles {
    private WeightsFiles() {}

    public static ModelWeights load(Path path, Architecture arch) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            ModelWeights w = Safetensors.read(path);
            w.validate(arch);
            return w;
        }
        Path prefix = name.endsWith(".index") ? stripIndex(path) : path;
        if (Files.isRegularFile(Path.of(prefix + ".index"))) {
            String scope = arch.variant().name();
            return OfficialCheckpointImport.read(prefix, arch, scope);
        }
        throw new IOException(
                path
                        + " is neither a .safetensors file nor a TensorFlow checkpoint prefix"
                        + " (expected "
                        + prefix
                        + ".index)");
    }

    private static Path stripIndex(Path p) {
        String s = p.toString();
        return Path.of(s.substring(0, s.length() - ".index".length()));
    }
}
