package io.kvl.kafka.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedKafka} broker until the process is stopped (Ctrl-C, SIGTERM).
 *
 * <pre>
 * java -cp ... io.kvl.kafka.embedded.EmbeddedKafkaMain [--port N] [broker.setting=value ...]
 * </pre>
 *
 * <p>Once the broker is ready it prints exactly one line, {@code bootstrap.servers=HOST:PORT}, on
 * stdout; a parent process can wait for that line. Logs go wherever the SLF4J binding on the
 * classpath sends them (nowhere without one).
 */
public final class EmbeddedKafkaMain {

    static final String BOOTSTRAP_LINE_PREFIX = "bootstrap.servers=";

    private EmbeddedKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].indexOf('=') > 0) {
                String[] setting = args[i].split("=", 2);
                overrides.put(setting[0], setting[1]);
            } else {
                throw new IllegalArgumentException(
                        "Usage: EmbeddedKafkaMain [--port N] [broker.setting=value ...]; got "
                                + args[i]);
            }
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(port, overrides);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    kafka.close();
                                    stopped.countDown();
                                },
                                "embedded-kafka-shutdown"));
        announce(kafka.bootstrapServers());
        stopped.await();
    }

    /** The one line this CLI prints; parent processes parse it. */
    @SuppressWarnings("checkstyle:regexp")
    private static void announce(String bootstrapServers) {
        System.out.println(BOOTSTRAP_LINE_PREFIX + bootstrapServers);
        System.out.flush();
    }
}
