package io.kvl.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Watches the labels topic (read_committed) while faults are injected: how many labels are
 * committed, and when each batch of them became visible, to measure how long output stalled after
 * each fault.
 */
final class LabelProgress implements AutoCloseable {
    private final Thread thread;
    private final List<long[]> arrivals = new ArrayList<>(); // {nanoTime, total}
    private volatile boolean running = true;
    private volatile long total;

    LabelProgress(String bootstrap, String topic) {
        thread = new Thread(() -> watch(bootstrap, topic), "label-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = TopicContents.fromStart(bootstrap, topic)) {
            while (running) {
                int n = consumer.poll(Duration.ofMillis(200)).count();
                if (n > 0) {
                    total += n;
                    synchronized (arrivals) {
                        arrivals.add(new long[] {System.nanoTime(), total});
                    }
                }
            }
        }
    }

    long total() {
        return total;
    }

    /** Longest time without a newly committed label between {@code from} and {@code to}. */
    Duration longestStall(long fromNanos, long toNanos) {
        long prev = fromNanos;
        long longest = 0;
        synchronized (arrivals) {
            for (long[] a : arrivals) {
                if (a[0] <= fromNanos) {
                    continue;
                }
                if (a[0] > toNanos) {
                    break;
                }
                longest = Math.max(longest, a[0] - prev);
                prev = a[0];
            }
        }
        longest = Math.max(longest, Math.min(toNanos, System.nanoTime()) - prev);
        return Duration.ofNanos(longest);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
