package io.kvl.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Follows a topic (read_committed) with one consumer while a test runs: the records committed so
 * far, and when each batch of them became visible (to measure how long output stalled after a
 * fault), without reading the topic again at every check.
 */
final class TopicWatch implements AutoCloseable {
    private final Thread thread;
    private final List<long[]> arrivals = new ArrayList<>(); // {nanoTime, total}
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long total;

    TopicWatch(String bootstrap, String topic) {
        thread = new Thread(() -> watch(bootstrap, topic), "watch-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = TopicContents.fromStart(bootstrap, topic)) {
            while (running) {
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
                if (!batch.isEmpty()) {
                    synchronized (arrivals) {
                        records.addAll(batch);
                        total += batch.size();
                        arrivals.add(new long[] {System.nanoTime(), total});
                    }
                }
            }
        }
    }

    long total() {
        return total;
    }

    /** The records seen so far, in the order read (offset order per partition). */
    List<ConsumerRecord<byte[], byte[]>> records() {
        synchronized (arrivals) {
            return new ArrayList<>(records);
        }
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
