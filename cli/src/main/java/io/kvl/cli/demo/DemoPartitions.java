package io.kvl.cli.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Which partition of the chunk topic each camera is produced to. The producer's default partitioner
 * (murmur2 of the camera id, modulo the partitions) puts camera-1 and camera-3 on the same one of 4
 * partitions and leaves one idle: their chunks then share a stream task, so a thread and the
 * batches it could fill. Explicit partitions spread them evenly, and each camera stays on exactly
 * one partition, which the application needs (its sampling state is keyed by camera and its input
 * is not repartitioned).
 */
final class DemoPartitions {
    private DemoPartitions() {}

    /** Camera {@code i} to partition {@code i mod partitions}. */
    static Map<String, Integer> assign(
            List<DemoCamera> cameras, int partitions, Consumer<String> say) {
        if (partitions < 1) {
            throw new IllegalStateException("the chunk topic has no partitions");
        }
        if (partitions < cameras.size()) {
            // An existing topic (--bootstrap-servers) may have fewer partitions than cameras.
            say.accept(
                    "note: "
                            + cameras.size()
                            + " cameras share the chunk topic's "
                            + partitions
                            + " partitions, so some share a stream thread");
        }
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < cameras.size(); i++) {
            m.put(cameras.get(i).id(), i % partitions);
        }
        return m;
    }
}
