package io.kvl.connect.source;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.function.Function;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-camera gauges through Connect's plugin metrics (Kafka 4.1+; JMX {@code
 * kafka.connect:type=plugins,connector=...,task=...,camera=...}). The worker removes them when the
 * task stops.
 */
final class CameraMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(CameraMetrics.class);

    private CameraMetrics() {}

    static void register(SourceTaskContext context, Collection<CameraReader> readers) {
        PluginMetrics metrics;
        try {
            metrics = context.pluginMetrics();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            LOG.info(
                    "This Connect runtime has no plugin metrics (Kafka < 4.1): status in logs"
                            + " only");
            return;
        }
        if (metrics == null) {
            return;
        }
        for (CameraReader reader : readers) {
            CameraStatus status = reader.status();
            LinkedHashMap<String, String> tags = new LinkedHashMap<>();
            tags.put("camera", reader.camera().id());
            add(
                    metrics,
                    tags,
                    "camera-state",
                    "CONNECTING, STREAMING, BACKING_OFF, FINISHED or STOPPED",
                    status,
                    s -> s.state().name());
            add(
                    metrics,
                    tags,
                    "camera-chunks-total",
                    "Chunks read since the task started",
                    status,
                    CameraStatus.Snapshot::chunks);
            add(
                    metrics,
                    tags,
                    "camera-consecutive-failures",
                    "Failed attempts since the last chunk",
                    status,
                    CameraStatus.Snapshot::consecutiveFailures);
            add(
                    metrics,
                    tags,
                    "camera-connect-attempts-total",
                    "Attempts to open the camera",
                    status,
                    CameraStatus.Snapshot::connectAttempts);
            add(
                    metrics,
                    tags,
                    "camera-last-chunk-age-ms",
                    "Time since the latest chunk, or -1",
                    status,
                    s -> lastChunkAge(s.lastChunkAt()));
        }
    }

    private static <T> void add(
            PluginMetrics metrics,
            LinkedHashMap<String, String> tags,
            String name,
            String description,
            CameraStatus status,
            Function<CameraStatus.Snapshot, T> value) {
        Gauge<T> gauge = (config, now) -> value.apply(status.snapshot());
        metrics.addMetric(metrics.metricName(name, description, tags), gauge);
    }

    private static long lastChunkAge(Instant lastChunkAt) {
        return lastChunkAt == null ? -1 : System.currentTimeMillis() - lastChunkAt.toEpochMilli();
    }
}
