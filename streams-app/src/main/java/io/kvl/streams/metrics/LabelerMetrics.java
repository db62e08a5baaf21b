package io.kvl.streams.metrics;

import io.kvl.streams.inference.BatchListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application's Micrometer meters. Rates (frames decoded and labeled per second) come from the
 * counters; Prometheus computes them with {@code rate()}.
 */
public final class LabelerMetrics implements BatchListener {
    private final MeterRegistry registry;
    private final Counter chunks;
    private final Counter framesDecoded;
    private final Counter framesLabeled;
    private final Timer decodeLatency;
    private final Timer inferenceLatency;
    private final Timer batchWait;
    private final DistributionSummary batchSize;
    private final Map<Integer, LongAdder> batchSizeCounts = new ConcurrentSkipListMap<>();

    public LabelerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.chunks =
                Counter.builder("kvl.chunks.processed")
                        .description("Video chunks decoded")
                        .register(registry);
        this.framesDecoded =
                Counter.builder("kvl.frames.decoded")
                        .description("Frames decoded from chunks (selected or not)")
                        .register(registry);
        this.framesLabeled =
                Counter.builder("kvl.frames.labeled")
                        .description("Labeled frames emitted")
                        .register(registry);
        this.decodeLatency =
                Timer.builder("kvl.decode.latency")
                        .description(
                                "Time to decode one chunk (waits for room in the batch queue"
                                        + " excluded)")
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
        this.inferenceLatency =
                Timer.builder("kvl.inference.latency")
                        .description("Time of one model call (one batch)")
                        .publishPercentiles(0.5, 0.95, 0.99)
                        .register(registry);
        this.batchWait =
                Timer.builder("kvl.batch.wait")
                        .description("How long the first frame of a batch waited for it to fill")
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
        this.batchSize =
                DistributionSummary.builder("kvl.batch.size")
                        .description("Frames per inference batch")
                        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                        .register(registry);
    }

    @Override
    public void modelReady(String engine, String precision, int batchLimit) {
        Gauge.builder("kvl.batch.limit", () -> batchLimit)
                .description("Most frames per inference batch (batch.size, or what auto chose)")
                .register(registry);
        Gauge.builder("kvl.model.engine", () -> 1)
                .description("The engine and precision running the model (value always 1)")
                .tag("engine", engine)
                .tag("precision", precision)
                .register(registry);
    }

    /** How many batches of each size ran, by size. */
    public Map<Integer, Long> batchSizeCounts() {
        Map<Integer, Long> out = new TreeMap<>();
        batchSizeCounts.forEach((size, n) -> out.put(size, n.sum()));
        return out;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void chunkDecoded(int frames, long nanos) {
        chunks.increment();
        framesDecoded.increment(frames);
        decodeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void framesLabeled(int n) {
        framesLabeled.increment(n);
    }

    /** A frame arrived after its counting windows closed. */
    public void lateFrame() {
        Counter.builder("kvl.frames.late")
                .description("Labeled frames later than the counting windows' grace period")
                .register(registry)
                .increment();
    }

    public void deadLetter(String reason) {
        Counter.builder("kvl.dead.letters")
                .description("Records sent to the dead-letter topic")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    @Override
    public void onBatch(int size, long inferenceNanos, long oldestWaitNanos) {
        batchSize.record(size);
        batchSizeCounts.computeIfAbsent(size, k -> new LongAdder()).increment();
        inferenceLatency.record(inferenceNanos, TimeUnit.NANOSECONDS);
        batchWait.record(oldestWaitNanos, TimeUnit.NANOSECONDS);
    }
}
