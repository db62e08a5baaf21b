package io.kvl.systemtest;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * The labeling application in its image ({@code docker/labeler.Dockerfile}), configured the way
 * docker-compose.yml and the Kubernetes files do it: the image's labeler.properties plus {@code
 * KVL_<KEY>} variables.
 */
final class LabelerContainer extends GenericContainer<LabelerContainer> {
    static final String IMAGE = "kvl/labeler:0.1.0";
    private static final String RUNNING = "Kafka Streams state REBALANCING -> RUNNING";
    private final DockerClient docker = DockerClientFactory.instance().client();
    private final String name;

    LabelerContainer(Network network, String name, Map<String, String> settings, Path rules) {
        super(IMAGE);
        this.name = name;
        withNetwork(network);
        withNetworkAliases(name);
        withCreateContainerCmdModifier(
                cmd -> cmd.withName("kvl-st-" + name + "-" + System.nanoTime()));
        settings.forEach((key, value) -> withEnv(envName(key), value));
        // The image's default (50% of the machine's memory) is meant for a container with a limit.
        withEnv(
                "JAVA_OPTS",
                "-Xmx768m -Dkvl.cache.dir=/var/cache/kvl"
                        + " -Dorg.bytedeco.javacpp.cachedir=/var/cache/kvl/javacpp");
        if (rules != null) {
            withCopyFileToContainer(MountableFile.forHostPath(rules), "/etc/kvl/rules.yaml");
            withEnv("KVL_ALERTS_RULES_FILE", "/etc/kvl/rules.yaml");
        }
        waitingFor(Wait.forLogMessage(".*" + RUNNING + ".*", 1));
        withStartupTimeout(Duration.ofMinutes(4));
    }

    /**
     * What every system test's labeler shares: its cluster, application id, batches of 4 and the
     * cameras sampled at {@link LiveCameras#FPS}; tests add their own keys.
     */
    static Map<String, String> settings(String bootstrap, String applicationId) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bootstrap.servers", bootstrap);
        s.put("application.id", applicationId);
        s.put("batch.size", "4");
        s.put("sampling.fps", Double.toString(LiveCameras.FPS));
        return s;
    }

    /** {@code batch.size} to {@code KVL_BATCH_SIZE}, as the image's launcher reads them. */
    static String envName(String key) {
        return "KVL_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    @Override
    public void stop() {
        if (getContainerId() != null) {
            Containers.saveLogs(this, name);
        }
        super.stop();
    }

    /** SIGKILL to the container: the JVM gets no chance to close anything. */
    void kill() {
        docker.killContainerCmd(getContainerId()).withSignal("KILL").exec();
        Containers.awaitNotRunning(docker, getContainerId(), Duration.ofSeconds(30));
    }

    /** Starts the killed container again (same file system: state dir, model cache). */
    Duration restartAndAwaitRunning() {
        int before = Containers.countInLogs(this, RUNNING);
        long t0 = System.nanoTime();
        docker.startContainerCmd(getContainerId()).exec();
        Containers.awaitLogCount(this, RUNNING, before + 1, Duration.ofMinutes(4));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** SIGTERM and up to 60 s for a clean close (the image's stop path), keeping the container. */
    void stopGracefully() {
        docker.stopContainerCmd(getContainerId()).withTimeout(60).exec();
        Containers.awaitNotRunning(docker, getContainerId(), Duration.ofSeconds(90));
    }
}
