package io.kvl.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds of this process's live threads, grouped by role, to say where the time of a run went:
 * inference threads (ONNX Runtime runs single-threaded on them with intra-op threads 1), stream
 * threads (decode, scaling, Avro, aggregation), Kafka clients, and the in-process broker.
 */
final class ThreadCpu {
    private ThreadCpu() {}

    static Map<String, Long> snapshotNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new LinkedHashMap<>();
        for (String g :
                new String[] {"inference", "stream threads", "clients", "broker", "other"}) {
            groups.put(g, 0L);
        }
        for (long id : mx.getAllThreadIds()) {
            ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info == null || cpu < 0) {
                continue;
            }
            groups.merge(group(info.getThreadName()), cpu, Long::sum);
        }
        return groups;
    }

    static String group(String thread) {
        if (thread.startsWith("kvl-inference")) {
            return "inference";
        }
        if (thread.contains("StreamThread-") && !thread.contains("network-thread")) {
            return "stream threads";
        }
        if (thread.startsWith("kafka-producer-network-thread")
                || thread.startsWith("kafka-consumer")
                || thread.startsWith("kafka-admin-client-thread")
                || thread.startsWith("bench-")) {
            return "clients";
        }
        if (thread.startsWith("data-plane-")
                || thread.startsWith("broker-")
                || thread.startsWith("controller-")
                || thread.startsWith("kafka-")
                || thread.contains("Txn")
                || thread.startsWith("Persister")
                || thread.startsWith("LogCleaner")
                || thread.startsWith("ReplicaFetcher")
                || thread.startsWith("quorum")
                || thread.startsWith("raft")) {
            return "broker";
        }
        return "other";
    }

    /** CPU seconds per group spent between two snapshots. */
    static Map<String, Double> seconds(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach(
                (g, n) -> out.put(g, Math.round((n - before.getOrDefault(g, 0L)) / 1e8) / 10.0));
        return out;
    }
}
