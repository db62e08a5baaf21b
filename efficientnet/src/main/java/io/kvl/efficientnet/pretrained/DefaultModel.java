package io.kvl.efficientnet.pretrained;

import io.kvl.efficientnet.graph.InputNormalization;
import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.efficientnet.graph.Padding;
import io.kvl.efficientnet.graph.SavedModelExport;
import io.kvl.efficientnet.spec.Architecture;
import io.kvl.efficientnet.spec.ModelVariant;
import io.kvl.efficientnet.tensorflow.TensorFlowNatives;
import io.kvl.efficientnet.weights.ModelWeights;
import io.kvl.efficientnet.weights.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's default model: EfficientNet-Lite0 with ImageNet weights, shipped in this jar as a
 * safetensors file (converted by {@code tools/convert_lite_weights.py}) and exported to a
 * SavedModel in the user cache on first use. No network and no Python are needed at run time.
 */
public final class DefaultModel {
    /** Name recorded in the model metadata and in every labeled event. */
    public static final String NAME = "efficientnet-lite0-imagenet";

    /** Version of the bundled weights; bump when the file changes. */
    public static final String VERSION = "1";

    /** SHA-256 of the bundled weights file, checked before export. */
    public static final String SHA256 =
            "82915d67922fcd478326387a83c80ddf96a0e0b27315f66879683a8d0c5a1bc8";

    private static final String RESOURCE =
            "/io/kvl/efficientnet/pretrained/efficientnet-lite0-imagenet.safetensors";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultModel.class);

    private DefaultModel() {}

    /** The SavedModel directory of the default model, exporting it on first use. */
    public static synchronized Path ensureExported() {
        Path dir =
                TensorFlowNatives.cacheDirectory()
                        .resolve("models")
                        .resolve(NAME + "-v" + VERSION + "-g" + SavedModelExport.GRAPH_VERSION);
        if (Files.isRegularFile(dir.resolve(ModelInfo.FILE))) {
            return dir;
        }
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), NAME + "-export");
            Path exportDir = tmp.resolve("model");
            SavedModelExport.export(exportRequest(), exportDir);
            try {
                Files.move(exportDir, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(dir.resolve(ModelInfo.FILE))) {
                    throw e;
                }
            }
            deleteQuietly(tmp);
            LOG.info("Default model {} v{} ready in {}", NAME, VERSION, dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the default model in " + dir, e);
        }
    }

    /** What the default model is made of: the bundled weights and the Lite0 spec. */
    public static SavedModelExport.Request exportRequest() throws IOException {
        Path tmp = Files.createTempFile(NAME, ".safetensors");
        try {
            copyVerified(tmp);
            ModelWeights weights = Safetensors.read(tmp);
            Architecture arch = Architecture.of(ModelVariant.of("lite0"));
            InputNormalization norm =
                    InputNormalization.fromMetadata(weights.metadata(), InputNormalization.LITE);
            Padding padding =
                    Padding.valueOf(
                            weights.metadata()
                                    .getOrDefault("padding", "same")
                                    .toUpperCase(Locale.ROOT));
            return new SavedModelExport.Request(arch, weights, norm, padding, NAME, VERSION);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void copyVerified(Path target) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream raw = DefaultModel.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IOException("bundled weights missing from the class path: " + RESOURCE);
            }
            try (InputStream in = new DigestInputStream(raw, sha)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(SHA256)) {
            throw new IOException(
                    "bundled weights are corrupt: sha256 " + actual + ", expected " + SHA256);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove temporary directory {}: {}", dir, e.toString());
        }
    }
}
