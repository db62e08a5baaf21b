package io.kvl.systemtest;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * docker-compose.yml run as a user runs it, through the {@code docker-compose} command (Debian's
 * Compose v1), under a project name of the test's own, and inspected through the Docker API by the
 * project label Compose puts on everything it creates.
 */
final class ComposeProject implements AutoCloseable {
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private final Path repo;
    private final String name;
    private final Map<String, String> env;
    private final DockerClient docker = DockerClientFactory.instance().client();

    ComposeProject(Path repo, String name, Map<String, String> env) {
        this.repo = repo;
        this.name = name;
        this.env = env;
    }

    String name() {
        return name;
    }

    /** Runs {@code docker-compose -p NAME ARGS...} in the repository; fails on a non-zero exit. */
    String compose(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-p", name));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("compose", ".log");
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(repo.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not end within " + timeout);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (p.exitValue() != 0) {
            throw new AssertionError(
                    String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /** The project's containers (running or not). */
    List<Container> containers() {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(PROJECT_LABEL, name))
                .exec();
    }

    InspectContainerResponse service(String service) {
        for (Container c : containers()) {
            if (service.equals(c.getLabels().get("com.docker.compose.service"))) {
                return docker.inspectContainerCmd(c.getId()).exec();
            }
        }
        throw new AssertionError("no container of service " + service + " in project " + name);
    }

    /** Waits until a one-shot service exited 0; fails at once when it exited otherwise. */
    void awaitCompleted(String service, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InspectContainerResponse.ContainerState s = service(service).getState();
            if (!Boolean.TRUE.equals(s.getRunning()) && "exited".equals(s.getStatus())) {
                if (s.getExitCodeLong() != 0) {
                    throw new AssertionError(
                            service + " exited " + s.getExitCodeLong() + ":\n" + logs(service));
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        service + " not done within " + timeout + ":\n" + logs(service));
            }
            Containers.sleep(1000);
        }
    }

    /** Waits until the service's healthcheck reports healthy. */
    void awaitHealthy(String service, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InspectContainerResponse.ContainerState s = service(service).getState();
            String health = s.getHealth() == null ? "none" : s.getHealth().getStatus();
            if ("healthy".equals(health)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        service + " is " + health + " after " + timeout + ":\n" + logs(service));
            }
            Containers.sleep(1000);
        }
    }

    String logs(String service) {
        try {
            return compose(Duration.ofMinutes(1), "logs", "--no-color", "--tail", "80", service);
        } catch (IOException | InterruptedException | AssertionError e) {
            return "(no logs: " + e + ")";
        }
    }

    /** Volumes and networks Compose made for the project (by label). */
    List<String> leftovers() {
        List<String> out = new ArrayList<>();
        containers().forEach(c -> out.add("container " + String.join(",", c.getNames())));
        docker.listVolumesCmd().exec().getVolumes().stream()
                .filter(v -> v.getLabels() != null && name.equals(v.getLabels().get(PROJECT_LABEL)))
                .forEach(v -> out.add("volume " + v.getName()));
        docker.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && name.equals(n.getLabels().get(PROJECT_LABEL)))
                .forEach(n -> out.add("network " + n.getName()));
        return out;
    }

    /** Saves every service's log under target/system-tests, then {@code down -v}. */
    @Override
    public void close() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "system-tests"));
        try {
            Files.writeString(
                    dir.resolve("compose-" + name + ".log"),
                    compose(Duration.ofMinutes(1), "logs", "--no-color"));
        } finally {
            compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "30");
        }
    }
}
