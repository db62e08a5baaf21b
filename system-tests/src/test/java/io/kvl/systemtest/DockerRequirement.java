package io.kvl.systemtest;

import com.github.dockerjava.api.exception.NotFoundException;
import io.kvl.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * What every system test needs before it starts a container: an engine that answers and the images
 * built on this machine by {@code docker/local/build-local-images.sh}. Without them a test is
 * skipped with one line saying what is missing, except under {@code CI=true}, where the system
 * tests must run and a missing engine or image fails them.
 */
final class DockerRequirement {
    private DockerRequirement() {}

    /** Skips (fails in CI) unless an engine answers and every image exists locally. */
    static void require(String... images) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            unavailable("no Docker engine answers (start one with .ci/docker-engine.sh, as root)");
        }
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            try {
                DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            } catch (NotFoundException e) {
                missing.add(image);
            } catch (RuntimeException e) {
                // Testcontainers' own start-up check runs the base image; without it, it fails.
                missing.add(image + " (" + e.getMessage() + ")");
            }
        }
        if (!missing.isEmpty()) {
            unavailable(
                    "images not built on this machine: "
                            + missing
                            + " (build them with docker/local/build-local-images.sh)");
        }
    }

    private static void unavailable(String why) {
        if (Fixtures.inCi()) {
            Assertions.fail("CI=true and the system tests cannot run: " + why);
        }
        Assumptions.abort("System test skipped: " + why);
    }
}
