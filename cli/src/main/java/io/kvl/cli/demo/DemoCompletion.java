package io.kvl.cli.demo;

import io.kvl.cli.Kvl;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.config.LabelerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Decides when the demo is done, from what is on the topics: every frame the application samples is
 * on the labels topic (read_committed, distinct camera and frame index), then the windowed counts
 * and alerts of those labels are committed and read. Decode progress or a quiet moment on the
 * labels topic do not tell: chunks are counted as processed before their transaction commits, and a
 * commit can take longer than any fixed pause.
 */
final class DemoCompletion {
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;
    private static final long CHECK_EVERY_MILLIS = 100;

    private final String bootstrap;
    private final LabelerConfig config;
    private final DemoResults results;
    private final DemoConsumer consumer;
    private final MeterRegistry registry;
    private final long startNanos;
    private final long deadlineNanos;
    private final Consumer<String> say;

    DemoCompletion(
            String bootstrap,
            LabelerConfig config,
            DemoResults results,
            DemoConsumer consumer,
            MeterRegistry registry,
            long timeoutMillis,
            Consumer<String> say) {
        this.bootstrap = bootstrap;
        this.config = config;
        this.results = results;
        this.consumer = consumer;
        this.registry = registry;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + timeoutMillis * 1_000_000;
        this.say = say;
    }

    /** Nanoseconds since this completion started waiting (the demo's clock). */
    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /**
     * Waits until the labels topic holds every expected frame.
     *
     * @param expected per camera, the frame indexes the application samples
     * @param publishing the cameras' publishers; a failed one fails the demo at once
     */
    void awaitLabels(Map<String, Set<Long>> expected, List<Future<?>> publishing, int chunks)
            throws InterruptedException {
        int total = expected.values().stream().mapToInt(Set::size).sum();
        long nextProgress = System.nanoTime();
        while (true) {
            checkReaders(publishing);
            int found = found(expected);
            boolean done = found == total;
            if (done || System.nanoTime() >= nextProgress) {
                say.accept(progress(found, total, chunks));
                nextProgress += PROGRESS_EVERY_NANOS;
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(
                        String.format(
                                Locale.ROOT,
                                "the demo did not finish within %d s: the labels topic holds %d of"
                                        + " the %d sampled frames (%s); %d dead letters",
                                timeoutSeconds(),
                                found,
                                total,
                                perCamera(expected),
                                (long) count("kvl.dead.letters")));
            }
            Thread.sleep(CHECK_EVERY_MILLIS);
        }
    }

    /**
     * Waits until the application has committed its read of every label seen (its counts and alerts
     * commit in the same transaction) and this demo has read those outputs up to their committed
     * end.
     */
    void awaitAggregation() throws InterruptedException, ExecutionException {
        if (!config.aggregationEnabled()) {
            return;
        }
        String group = config.streamsProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Map<TopicPartition, Long> labelsRead = results.labelsReadUpTo();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (!committed(admin, group, labelsRead)) {
                pauseUntilDeadline("the windowed counts and alerts did not catch up");
            }
            Map<TopicPartition, Long> ends = committedEnds(admin);
            while (!consumer.hasRead(ends)) {
                checkReaders(List.of());
                pauseUntilDeadline("the counts and alerts topics were not read to their end");
            }
        }
    }

    private static boolean committed(
            Admin admin, String group, Map<TopicPartition, Long> labelsRead)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return labelsRead.entrySet().stream()
                .allMatch(
                        e ->
                                offsets.get(e.getKey()) != null
                                        && offsets.get(e.getKey()).offset() >= e.getValue());
    }

    /** End offsets (last stable offsets) of the counts and alerts topics as they are now. */
    private Map<TopicPartition, Long> committedEnds(Admin admin)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(config.countsTopic(), config.alertsTopic()))
                .allTopicNames()
                .get()
                .values()
                .forEach(
                        t ->
                                t.partitions()
                                        .forEach(
                                                p ->
                                                        latest.put(
                                                                new TopicPartition(
                                                                        t.name(), p.partition()),
                                                                OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get()
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private void checkReaders(List<Future<?>> publishing) throws InterruptedException {
        if (consumer.failure() != null) {
            throw new IllegalStateException(
                    "reading the output topics failed: " + consumer.failure(), consumer.failure());
        }
        for (Future<?> f : publishing) {
            if (f.isDone()) {
                result(f);
            }
        }
    }

    /** The value of a finished task, or the exception it failed with (not wrapped). */
    static <T> T result(Future<T> task) throws InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(Kvl.message(e.getCause()), e.getCause());
        }
    }

    private void pauseUntilDeadline(String what) throws InterruptedException {
        if (System.nanoTime() > deadlineNanos) {
            throw new IllegalStateException(
                    what + " within " + timeoutSeconds() + " s, though every label arrived");
        }
        Thread.sleep(CHECK_EVERY_MILLIS);
    }

    private long timeoutSeconds() {
        return (deadlineNanos - startNanos) / 1_000_000_000L;
    }

    private int found(Map<String, Set<Long>> expected) {
        int n = 0;
        for (Map.Entry<String, Set<Long>> e : expected.entrySet()) {
            Set<Long> labeled = results.labeledFrames(e.getKey());
            n += (int) e.getValue().stream().filter(labeled::contains).count();
        }
        return n;
    }

    private String perCamera(Map<String, Set<Long>> expected) {
        return expected.entrySet().stream()
                .map(
                        e ->
                                e.getKey()
                                        + " "
                                        + e.getValue().stream()
                                                .filter(results.labeledFrames(e.getKey())::contains)
                                                .count()
                                        + "/"
                                        + e.getValue().size())
                .collect(Collectors.joining(", "));
    }

    private String progress(int found, int total, int chunks) {
        double processed = count("kvl.chunks.processed") + count("kvl.dead.letters");
        double seconds = elapsedNanos() / 1e9;
        return String.format(
                Locale.ROOT,
                "progress: %d/%d frames labeled (%.1f/s), chunks %d/%d processed, batch sizes %s",
                found,
                total,
                found / seconds,
                (int) processed,
                chunks,
                batchSizes());
    }

    private double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Map<Integer, Integer> batchSizes() {
        Map<Integer, Integer> m = new TreeMap<>();
        synchronized (results.frames) {
            for (LabeledFrame f : results.frames) {
                m.merge(f.getBatchSize(), 1, Integer::sum);
            }
        }
        return m;
    }
}
