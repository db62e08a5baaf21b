package io.kvl.cli.demo;

import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.streams.config.LabelerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kvl demo}: the whole system on this machine, with a report at the end. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start a real Kafka broker in-process, play the bundled sample clips as cameras in real"
                + " time through the labeling application (bundled EfficientNet-Lite0), with"
                + " windowed counts and alert rules, a live dashboard in the browser, labels and"
                + " alerts printed as they arrive, and an HTML report at the end. The dashboard"
                + " keeps running after the clips end, until Ctrl-C (or use --exit-when-done)."
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of an in-process broker.")
    String bootstrapServers;

    @Option(
            names = "--video",
            paramLabel = "FILE",
            description =
                    "Play this clip as a camera (repeatable); default: the bundled clips in turn.")
    List<Path> videos = new ArrayList<>();

    @Option(
            names = "--cameras",
            defaultValue = "2",
            description =
                    "Cameras when no --video is given; they play the bundled clips in turn"
                            + " (bottles on a table, cars on a road, bottles, ...; default:"
                            + " ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--http-port",
            defaultValue = "9400",
            description =
                    "Port of the dashboard, /metrics and the queries (default: ${DEFAULT-VALUE};"
                            + " 0: any free port).")
    int httpPort;

    @Option(
            names = "--exit-when-done",
            description =
                    "Exit once the clips are labeled and the report is written, instead of"
                            + " serving the dashboard until Ctrl-C (implied by --json).")
    boolean exitWhenDone;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            defaultValue = "kvl-report",
            description = "Where the HTML report goes (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--fast", description = "Publish as fast as possible instead of in real time.")
    boolean fast;

    @Option(
            names = "--max-chunks",
            defaultValue = "0",
            description = "Play at most this many chunks per camera (0: whole clips).")
    int maxChunks;

    @Option(
            names = "--all-frames",
            description =
                    "Label every decoded frame instead of 2 per second per camera (a throughput"
                            + " test).")
    boolean allFrames;

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL",
            description =
                    "Write every event in the Confluent wire format with its schemas in this"
                            + " Apicurio registry (its base URL, e.g. http://localhost:8080);"
                            + " default: Avro single-object encoding, no registry.")
    String schemaRegistryUrl;

    @Option(names = "--json", description = "Print a JSON summary on the last line.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path home = Path.of(System.getProperty("kvl.home", "."));
        List<Path> clips = new ArrayList<>(videos);
        if (clips.isEmpty()) {
            List<Path> samples =
                    List.of(
                            home.resolve("samples/bottle-detection.mp4"),
                            home.resolve("samples/car-detection.mp4"));
            for (int i = 0; i < cameras; i++) {
                clips.add(samples.get(i % samples.size()));
            }
        }
        for (Path clip : clips) {
            if (!Files.isRegularFile(clip)) {
                throw new IllegalArgumentException("no such video file: " + clip);
            }
        }
        // Everything the demo starts is undone when it ends, fails or is stopped (Ctrl-C).
        try (DemoCleanup cleanup = DemoCleanup.withShutdownHook()) {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                out.println("Starting an in-process Kafka broker (KRaft)...");
                out.flush();
                bootstrap =
                        cleanup.add("stop the in-process broker", EmbeddedKafka.start())
                                .bootstrapServers();
            }
            DemoSession session =
                    new DemoSession(
                            bootstrap,
                            clips,
                            home.resolve("samples/demo-rules.yaml"),
                            new DemoSession.Pace(!fast, maxChunks, allFrames),
                            httpPort,
                            schemaRegistryUrl,
                            out);
            DemoSession.Summary summary = session.run(report, cleanup);
            if (json) {
                out.println(summary.json());
            }
            out.flush();
            if (!exitWhenDone && !json) {
                out.println(
                        "All clips labeled. The dashboard keeps running: "
                                + session.dashboardUrl()
                                + " (Ctrl-C to stop)");
                out.flush();
                new CountDownLatch(1).await(); // until Ctrl-C: the cleanup's hook stops all
            }
            return 0;
        }
    }

    /** Keys a demo application starts with; visible for the report. */
    static String describe(LabelerConfig c) {
        return "batch.size "
                + c.batchSize()
                + ", batch.max.delay.ms "
                + c.batchMaxDelayMs()
                + ", sampling "
                + c.samplingFps()
                + " fps, windows "
                + c.windowSizeMs() / 1000
                + " s";
    }
}
