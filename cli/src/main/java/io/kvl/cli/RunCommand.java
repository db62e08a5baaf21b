package io.kvl.cli;

import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Override
    public Integer call() throws Exception {
        LabelerApp.run(LabelerConfig.load(config, System.getenv()));
        return 0;
    }
}
