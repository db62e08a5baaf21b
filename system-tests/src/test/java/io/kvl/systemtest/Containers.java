package io.kvl.systemtest;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Waiting on containers restarted through the Docker client (Testcontainers' own waits run once).
 */
final class Containers {
    private Containers() {}

    static int countInLogs(GenericContainer<?> container, String text) {
        String logs = container.getLogs();
        int n = 0;
        for (int i = logs.indexOf(text); i >= 0; i = logs.indexOf(text, i + text.length())) {
            n++;
        }
        return n;
    }

    static void awaitLogCount(GenericContainer<?> c, String text, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (countInLogs(c, text) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        c.getContainerName()
                                + ": '"
                                + text
                                + "' not logged "
                                + count
                                + " times within "
                                + timeout);
            }
            sleep(500);
        }
    }

    static void awaitNotRunning(DockerClient docker, String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container " + id + " still running after " + timeout);
            }
            sleep(200);
        }
    }

    /**
     * Writes the container's whole log (every run of it, restarts included) to {@code
     * target/system-tests/NAME.log}: the console shows the tests' own lines only.
     */
    static void saveLogs(GenericContainer<?> c, String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "system-tests"));
            Files.writeString(dir.resolve(name + ".log"), c.getLogs());
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(Containers.class)
                    .warn("Could not save the log of {}: {}", name, e.toString());
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
