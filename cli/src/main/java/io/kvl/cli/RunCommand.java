package io.kvl.cli;

import io.kvl.efficientnet.graph.ModelInfo;
import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kvl run}: the labeling application against a Kafka cluster. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the Kafka Streams labeling application until stopped (SIGTERM/Ctrl-C).",
        footer = {
            "",
            "The file holds the keys of 'kvl config' plus any Kafka Streams, consumer or producer"
                    + " key.",
            "Environment variables KVL_<KEY> override it (KVL_BATCH_SIZE=16 sets batch.size)."
        })
final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "Properties file.")
    Path config;

    @Spec CommandSpec spec;

    /** Where the KVL_* overrides come from; tests pass their own instead of the process's. */
    Map<String, String> environment = System.getenv();

    /** How long the cluster may take to answer the start-up check. */
    Duration clusterTimeout = Duration.ofSeconds(30);

    /** Runs the started application until it should stop, and closes it. Tests replace it. */
    Lifetime lifetime = RunCommand::untilShutdown;

    /** What keeps {@code kvl run} running. */
    interface Lifetime {
        void run(LabelerApp app) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(config)) {
            throw new NoSuchFileException(config.toString());
        }
        LabelerConfig c = LabelerConfig.load(config, environment);
        // Local mistakes first: they should not wait for a cluster to answer.
        if (!c.alertRulesFile().isBlank()) {
            AlertRules.load(Path.of(c.alertRulesFile()));
        }
        if (!c.modelDir().isBlank()) {
            ModelInfo.read(Path.of(c.modelDir()));
        }
        SourceTopics.check(c, clusterTimeout);
        LabelerApp app = LabelerApp.start(c);
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "kvl run: labeling %s and %s into %s (application.id %s); stop with"
                                + " Ctrl-C or SIGTERM%n",
                        c.chunksTopic(),
                        c.framesTopic(),
                        c.labelsTopic(),
                        c.streamsProperties().getProperty("application.id"));
        spec.commandLine().getOut().flush();
        lifetime.run(app);
        return 0;
    }

    /** Until SIGTERM/SIGINT; the shutdown hook closes the application before the JVM exits. */
    static void untilShutdown(LabelerApp app) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    app.close();
                                    closed.countDown();
                                },
                                "kvl-shutdown"));
        closed.await();
    }
}
