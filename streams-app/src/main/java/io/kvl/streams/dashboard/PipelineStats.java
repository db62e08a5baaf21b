package io.kvl.streams.dashboard;

import io.kvl.streams.metrics.LabelerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The pipeline panel of the dashboard, from the application's meters and the Kafka Streams clients'
 * metrics: labeled frames per second, consumer lag per chunk partition, batch sizes, inference
 * latency percentiles and dead letters by reason.
 */
final class PipelineStats {
    private static final long RATE_WINDOW_MS = 10_000;

    private final KafkaStreams streams;
    private final LabelerMetrics metrics;
    private final String chunksTopic;
    private final LongSupplier clock;
    private final Deque<long[]> samples = new ArrayDeque<>();

    PipelineStats(
            KafkaStreams streams, LabelerMetrics metrics, String chunksTopic, LongSupplier clock) {
        this.streams = streams;
        this.metrics = metrics;
        this.chunksTopic = chunksTopic;
        this.clock = clock;
    }

    synchronized Map<String, Object> snapshot() {
        MeterRegistry registry = metrics.registry();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("frames_per_second", framesPerSecond(registry));
        out.put("lag", lag());
        out.put("batch_sizes", metrics.batchSizeCounts());
        out.put("inference_ms", percentiles(registry.find("kvl.inference.latency").timer()));
        Map<String, Long> dead = new TreeMap<>();
        for (Counter c : registry.find("kvl.dead.letters").counters()) {
            dead.merge(c.getId().getTag("reason"), (long) c.count(), Long::sum);
        }
        out.put("dead_letters", dead);
        out.put("state", streams.state().name());
        return out;
    }

    private double framesPerSecond(MeterRegistry registry) {
        Counter labeled = registry.find("kvl.frames.labeled").counter();
        long count = labeled == null ? 0 : (long) labeled.count();
        long now = clock.getAsLong();
        samples.addLast(new long[] {now, count});
        while (samples.size() > 1 && samples.peekFirst()[0] < now - RATE_WINDOW_MS) {
            samples.removeFirst();
        }
        long[] first = samples.peekFirst();
        long elapsed = now - first[0];
        return elapsed <= 0 ? 0 : (count - first[1]) * 1000.0 / elapsed;
    }

    /** Records behind the end of each chunk partition this instance consumes. */
    private Map<String, Double> lag() {
        Map<String, Double> lag = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals("records-lag")
                    && n.group().equals("consumer-fetch-manager-metrics")
                    && chunksTopic.equals(n.tags().get("topic"))
                    && !n.tags().getOrDefault("client-id", "").contains("restore")) {
                Object v = e.getValue().metricValue();
                if (v instanceof Double d && !d.isNaN()) {
                    lag.put(chunksTopic + "-" + n.tags().get("partition"), d);
                }
            }
        }
        return lag;
    }

    private static Map<String, Double> percentiles(Timer timer) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (timer == null) {
            return out;
        }
        for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
            out.put("p" + Math.round(p.percentile() * 100), p.value(TimeUnit.MILLISECONDS));
        }
        return out;
    }
}
