package io.kvl.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in a child JVM, the way the crash tests and users run it. */
class EmbeddedKafkaMainIT {

    @Test
    void shouldAnnounceBootstrapServersAndCleanUpOnSigterm(@TempDir Path tmp) throws Exception {
        Process broker =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Djava.io.tmpdir=" + tmp,
                                "-cp",
                                System.getProperty("java.class.path"),
                                EmbeddedKafkaMain.class.getName())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try {
            String bootstrapServers = awaitAnnouncement(broker);

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }

            broker.destroy(); // SIGTERM: the shutdown hook closes the broker
            assertThat(broker.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            int port = EmbeddedKafkaLifecycleIT.port(bootstrapServers);
            assertThat(EmbeddedKafkaLifecycleIT.canBind(port)).as("port released").isTrue();
            try (var leftovers = Files.list(tmp)) {
                assertThat(leftovers.map(p -> p.getFileName().toString()))
                        .as("broker log directories left in java.io.tmpdir")
                        .noneMatch(name -> name.startsWith("kvl-kafka-"));
            }
        } finally {
            broker.destroyForcibly();
        }
    }

    /** Waits for the one stdout line the CLI prints once the broker is ready. */
    private static String awaitAnnouncement(Process broker) throws Exception {
        BufferedReader stdout =
                new BufferedReader(
                        new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        String line =
                CompletableFuture.supplyAsync(() -> stdout.lines().findFirst().orElse(""))
                        .get(60, TimeUnit.SECONDS);
        assertThat(line).startsWith(EmbeddedKafkaMain.BOOTSTRAP_LINE_PREFIX);
        return line.substring(EmbeddedKafkaMain.BOOTSTRAP_LINE_PREFIX.length());
    }
}
