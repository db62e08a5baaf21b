package io.kvl.streams.app;

import io.kvl.registry.EventSerdes;
import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.dashboard.Dashboard;
import io.kvl.streams.dashboard.LiveView;
import io.kvl.streams.inference.FrameClassifier;
import io.kvl.streams.inference.ModelBackedClassifier;
import io.kvl.streams.labeling.LabeledFrameObserver;
import io.kvl.streams.metrics.LabelerMetrics;
import io.kvl.streams.topology.LabelerTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires configuration, model, topology and lifecycle; no processing logic lives here. Started by
 * {@code kvl run --config FILE} (or this class's {@code main}); stops cleanly on SIGTERM.
 */
public final class LabelerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabelerApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final FrameClassifier classifier;
    private final HttpEndpoint http;
    private final KafkaStreamsMetrics streamsMetrics;
    private final MeterRegistry registry;
    private final StoreQueries queries;
    private final EventSerdes serdes;

    private LabelerApp(
            KafkaStreams streams,
            FrameClassifier classifier,
            HttpEndpoint http,
            KafkaStreamsMetrics streamsMetrics,
            MeterRegistry registry,
            StoreQueries queries,
            EventSerdes serdes) {
        this.serdes = serdes;
        this.streams = streams;
        this.classifier = classifier;
        this.http = http;
        this.streamsMetrics = streamsMetrics;
        this.registry = registry;
        this.queries = queries;
    }

    /** Creates the process's classifier (the model behind the shared micro-batcher). */
    @FunctionalInterface
    public interface ClassifierFactory {
        FrameClassifier create(LabelerConfig config, LabelerMetrics metrics) throws IOException;
    }

    /** Loads the model, builds the topology and starts processing. */
    public static LabelerApp start(LabelerConfig config) throws IOException {
        return start(config, ModelBackedClassifier::create);
    }

    /**
     * Starts with the classifier {@code factory} makes. When any step fails, everything opened
     * before it (classifier, Kafka Streams and its clients, metrics binding, HTTP server) is closed
     * before the exception propagates, so a failed start leaks no threads, sockets or native
     * memory.
     */
    public static LabelerApp start(LabelerConfig config, ClassifierFactory factory)
            throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LabelerMetrics metrics = new LabelerMetrics(registry);
        // Rules are read first: an invalid file fails the start before the model loads.
        AlertRules rules =
                config.alertRulesFile().isBlank()
                        ? AlertRules.none()
                        : AlertRules.load(Path.of(config.alertRulesFile()));
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            // Schemas next: an incompatible schema fails the start before the model loads.
            EventSerdes serdes = OutputSchemas.serdes(config);
            opened.push(serdes);
            FrameClassifier classifier = factory.create(config, metrics);
            opened.push(classifier);
            // The view keeps thumbnails only for a dashboard that is served.
            LiveView view =
                    config.dashboardEnabled() && config.httpPort() >= 0 ? new LiveView() : null;
            KafkaStreams streams =
                    new KafkaStreams(
                            LabelerTopology.build(
                                    config,
                                    classifier,
                                    metrics,
                                    rules,
                                    serdes,
                                    view == null ? LabeledFrameObserver.NONE : view),
                            config.streamsProperties());
            opened.push(() -> streams.close(CLOSE_TIMEOUT));
            // A failed record (e.g. inference error) restarts its thread; exactly-once aborts the
            // open transaction, so the record is reprocessed, never half-emitted.
            streams.setUncaughtExceptionHandler(
                    e -> {
                        LOG.error("Stream thread failed; replacing it", e);
                        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                                .REPLACE_THREAD;
                    });
            streams.setStateListener(
                    (now, before) -> LOG.info("Kafka Streams state {} -> {}", before, now));
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            opened.push(streamsMetrics);
            streamsMetrics.bindTo(registry);
            StoreQueries queries = new StoreQueries(streams, config.applicationServer());
            HttpEndpoint http =
                    config.httpPort() < 0 ? null : http(config, registry, streams, queries);
            if (http != null) {
                opened.push(http);
                if (view != null) {
                    new Dashboard(
                                    streams,
                                    view,
                                    metrics,
                                    config.chunksTopic(),
                                    rules,
                                    config.applicationServer(),
                                    queries::counts,
                                    queries::alerts)
                            .register(http);
                }
                http.start();
            }
            streams.start();
            LOG.info(
                    "Labeling {} and {} into {} (dead letters: {})",
                    config.chunksTopic(),
                    config.framesTopic(),
                    config.labelsTopic(),
                    config.deadLetterTopic());
            return new LabelerApp(
                    streams, classifier, http, streamsMetrics, registry, queries, serdes);
        } catch (IOException | RuntimeException e) {
            LOG.error("Start failed; closing what was opened: {}", e.toString());
            closeAll(opened, e);
            throw e;
        }
    }

    private static HttpEndpoint http(
            LabelerConfig config,
            PrometheusMeterRegistry registry,
            KafkaStreams streams,
            StoreQueries queries)
            throws IOException {
        return new HttpEndpoint(config.httpPort())
                .route("/metrics", "text/plain; version=0.0.4", registry::scrape)
                .route(
                        "/health",
                        "application/json",
                        () -> "{\"state\":\"" + streams.state() + "\"}")
                .queryRoute("/counts", "application/json", queries::counts)
                .queryRoute("/alerts", "application/json", queries::alerts);
    }

    /** Closes in reverse order of opening; failures are added to {@code cause} as suppressed. */
    private static void closeAll(Deque<AutoCloseable> opened, Exception cause) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The application's meters (kvl.* and Kafka Streams'). */
    public MeterRegistry registry() {
        return registry;
    }

    /** The windowed label counts as JSON (what {@code GET /counts} returns). */
    public String countsJson() {
        return queries.counts(Map.of());
    }

    /** The recent alerts as JSON (what {@code GET /alerts} returns). */
    public String alertsJson() {
        return queries.alerts(Map.of());
    }

    /** Port of the HTTP endpoint, or -1 when disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    @Override
    public void close() {
        LOG.info("Stopping (up to {} s)", CLOSE_TIMEOUT.toSeconds());
        streams.close(CLOSE_TIMEOUT);
        streamsMetrics.close();
        classifier.close();
        if (http != null) {
            http.close();
        }
        serdes.close();
    }

    /** Runs until SIGTERM/SIGINT. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: LabelerApp CONFIG.properties");
        }
        run(LabelerConfig.load(Path.of(args[0]), System.getenv()));
    }

    /** Starts, then blocks until the JVM is asked to stop. */
    public static void run(LabelerConfig config) throws IOException, InterruptedException {
        LabelerApp app = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    app.close();
                                    stopped.countDown();
                                },
                                "kvl-shutdown"));
        stopped.await();
    }
}
