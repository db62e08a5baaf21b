package io.kvl.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaLifecycleIT {

    /**
     * Yammer metrics' scheduler threads: a JVM-wide static, started by the first broker and shared
     * by every later one, so not a per-broker leak.
     */
    private static final String YAMMER_TICK_THREAD = "metrics-meter-tick-thread-";

    @Test
    void shouldStartAndStopTwiceReleasingPortsDirectoriesAndThreads() throws Exception {
        Set<String> threadsBefore = liveThreadNames();

        for (int round = 0; round < 2; round++) {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            Path logDir = kafka.logDir();
            int port = port(kafka.bootstrapServers());
            kafka.createTopics(1, "round-" + round);
            assertThat(logDir).isDirectory();

            kafka.close();

            assertThat(logDir).doesNotExist();
            assertThat(canBind(port)).as("port %d is free again", port).isTrue();
            assertThat(liveThreadNames())
                    .as("threads left behind")
                    .filteredOn(name -> !name.startsWith(YAMMER_TICK_THREAD))
                    .isSubsetOf(threadsBefore);
        }
    }

    @Test
    void shouldCloseIdempotently() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        kafka.close();
        kafka.close();

        assertThat(kafka.logDir()).doesNotExist();
    }

    @Test
    void shouldFailFastWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken =
                new ServerSocket(0, 50, InetAddress.getByName(BrokerConfig.HOST))) {
            assertThatThrownBy(() -> EmbeddedKafka.start(taken.getLocalPort(), Map.of()))
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining(":" + taken.getLocalPort());
        }
    }

    @Test
    void shouldReportAnInvalidSettingAsKafkaException() {
        assertThatThrownBy(() -> EmbeddedKafka.start(Map.of("num.io.threads", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("num.io.threads");
    }

    static int port(String bootstrapServers) {
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }

    static boolean canBind(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (BindException e) {
            return false;
        }
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
