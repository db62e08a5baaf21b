package io.kvl.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests' data is, in one place.
 *
 * <ul>
 *   <li>Sample clips ({@code samples/} in the repository, system property {@code kvl.samples.dir}):
 *       real H.264 footage, CC BY 4.0, credited in {@code samples/NOTICE}.
 *   <li>The 100 ImageNet sample photos ({@code ../shared/imagenet-sample}, system property {@code
 *       kvl.shared.dir}): they may not be redistributed, so they never enter the repository.
 * </ul>
 *
 * <p>A missing fixture never passes silently: on a developer machine the test is skipped with a
 * message naming what is missing; under {@code CI=true} the test fails.
 */
public final class Fixtures {
    /** car-detection.mp4: 768x432, 12.5 fps, 377 frames, a keyframe every 60 frames. */
    public static final String CAR_CLIP = "car-detection.mp4";

    /** bottle-detection.mp4: 640x360, 29.83 fps, 1189 frames, a keyframe every 250 frames. */
    public static final String BOTTLE_CLIP = "bottle-detection.mp4";

    private Fixtures() {}

    /** A clip of {@code samples/}. */
    public static Path sampleClip(String fileName) {
        Path clip = samplesDir().resolve(fileName);
        require(
                Files.isRegularFile(clip),
                "sample clip " + clip + " is missing (it belongs to the repository: samples/)");
        return clip;
    }

    /** The ImageNet sample photos, {@code <synset>_<name>.JPEG}, and {@code classes.tsv}. */
    public static Path imagenetSample() {
        Path dir = sharedDir().resolve("imagenet-sample");
        require(
                Files.isDirectory(dir),
                "this test needs the ImageNet sample photos at "
                        + dir
                        + " (kept outside the repository: they may not be redistributed; set"
                        + " -Dkvl.shared.dir)");
        return dir;
    }

    /** True when running in CI, where every fixture must be present. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void require(boolean present, String message) {
        if (present) {
            return;
        }
        if (inCi()) {
            throw new AssertionError("CI=true and a test fixture is missing: " + message);
        }
        Assumptions.abort("skipped: " + message);
    }

    private static Path samplesDir() {
        String dir = System.getProperty("kvl.samples.dir");
        if (dir != null) {
            return Path.of(dir);
        }
        // Run from an IDE without Maven's properties: the repository root is above the module.
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("samples"))
                    && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p.resolve("samples");
            }
        }
        return here.resolve("samples");
    }

    private static Path sharedDir() {
        return Path.of(System.getProperty("kvl.shared.dir", "../shared"));
    }
}
