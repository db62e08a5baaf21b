package io.kvl.connect.testing;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** A source task context whose offset store holds the offsets a test gives it. */
public final class StubSourceTaskContext implements SourceTaskContext {
    private final Map<Map<String, Object>, Map<String, Object>> offsets;

    public StubSourceTaskContext(Map<Map<String, Object>, Map<String, Object>> offsets) {
        this.offsets = offsets;
    }

    public StubSourceTaskContext() {
        this(Map.of());
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return offsets.get((Map<String, Object>) partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(
                    Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
                for (Map<String, T> partition : partitions) {
                    found.put(partition, offset(partition));
                }
                return found;
            }
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
