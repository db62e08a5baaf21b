package io.kvl.efficientnet.tensorflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes DJL's TensorFlow engine start offline. DJL looks for {@code libjnitensorflow.so} in the
 * directory named by {@code TENSORFLOW_LIBRARY_PATH} (environment or system property) and otherwise
 * downloads natives from its CDN. This class extracts the three natives of {@code
 * org.tensorflow:tensorflow-core-native} (CPU or GPU classifier, whichever is on the class path)
 * once into a per-user cache and points DJL and JavaCPP at them. It must run before any TensorFlow,
 * JavaCPP or DJL TensorFlow class loads; {@link #ensureLoaded()} is idempotent.
 */
public final class TensorFlowNatives {
    /** Version of the native artifact on the class path. */
    public static final String VERSION = "1.0.0";

    /** System property and environment variable DJL reads. */
    public static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";

    /** Overrides the cache root ({@code ~/.cache/kvl} by default). */
    public static final String CACHE_PROPERTY = "kvl.cache.dir";

    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowNatives.class);
    private static final List<String> LIBS =
            List.of("libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "libjnitensorflow.so");
    private static final List<String> PLATFORMS = List.of("linux-x86_64-gpu", "linux-x86_64");
    private static Path directory;

    private TensorFlowNatives() {}

    /** Extracts the natives if needed, sets the properties, and returns their directory. */
    public static synchronized Path ensureLoaded() {
        if (directory != null) {
            return directory;
        }
        String preset = System.getProperty(LIBRARY_PATH, System.getenv(LIBRARY_PATH));
        Path dir;
        if (preset != null && Files.isRegularFile(Paths.get(preset, "libjnitensorflow.so"))) {
            dir = Paths.get(preset);
            LOG.info("Using TensorFlow natives from {}={}", LIBRARY_PATH, dir);
        } else {
            dir = extract();
        }
        System.setProperty(LIBRARY_PATH, dir.toString());
        // JavaCPP would otherwise extract the same ~600 MB again into ~/.javacpp/cache.
        System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");
        System.setProperty("org.bytedeco.javacpp.platform.preloadpath", dir.toString());
        System.setProperty("ai.djl.offline", "true");
        directory = dir;
        return dir;
    }

    /** The platform directory of the natives on the class path, e.g. {@code linux-x86_64}. */
    static String platformOnClassPath() {
        ClassLoader cl = TensorFlowNatives.class.getClassLoader();
        for (String platform : PLATFORMS) {
            if (cl.getResource(resource(platform, "libjnitensorflow.so")) != null) {
                return platform;
            }
        }
        throw new IllegalStateException(
                "TensorFlow natives not on the class path: add"
                        + " org.tensorflow:tensorflow-core-native:"
                        + VERSION
                        + " with classifier linux-x86_64 (or linux-x86_64-gpu, Maven profile"
                        + " 'gpu')");
    }

    private static Path extract() {
        String platform = platformOnClassPath();
        Path root = cacheRoot();
        Path dir = root.resolve("tensorflow-" + VERSION + "-" + platform);
        Path marker = dir.resolve(".complete");
        if (Files.exists(marker)) {
            return dir;
        }
        long start = System.nanoTime();
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, "tf-extract");
            ClassLoader cl = TensorFlowNatives.class.getClassLoader();
            for (String lib : LIBS) {
                try (InputStream in = cl.getResourceAsStream(resource(platform, lib))) {
                    if (in == null) {
                        throw new IOException(
                                "missing " + resource(platform, lib) + " on the class path");
                    }
                    Files.copy(in, tmp.resolve(lib), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.createFile(tmp.resolve(".complete"));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another process finished first; its copy is as good as ours.
                if (!Files.exists(marker)) {
                    throw e;
                }
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract TensorFlow natives to " + dir, e);
        }
        LOG.info(
                "Extracted TensorFlow {} natives ({}) to {} in {} ms",
                VERSION,
                platform,
                dir,
                (System.nanoTime() - start) / 1_000_000);
        return dir;
    }

    /** The per-user cache root ({@code kvl.cache.dir}, else {@code $XDG_CACHE_HOME/kvl}). */
    public static Path cacheDirectory() {
        return cacheRoot();
    }

    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null) {
            return Paths.get(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base =
                xdg != null ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("kvl");
    }

    private static String resource(String platform, String lib) {
        return "org/tensorflow/internal/c_api/" + platform + "/" + lib;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
