package io.kvl.streams.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.schemas.Alert;
import io.kvl.streams.aggregate.LabelTally;
import io.kvl.streams.alert.AlertProcessor;
import io.kvl.streams.topology.AggregationTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries over the state stores, as JSON: current label counts per camera and window,
 * and recent alerts. With {@code application.server} set (to this instance's host and HTTP port),
 * an answer covers every camera of the application: the rows of the other instances that own
 * partitions of the store are fetched from them ({@code ?scope=local}) through Kafka Streams'
 * metadata, and every row names the instance that answered it. Without it, or with {@code
 * ?scope=local}, an instance answers for the cameras it owns.
 */
final class StoreQueries {
    private static final Logger LOG = LoggerFactory.getLogger(StoreQueries.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final InstanceClient instances = new InstanceClient();

    /**
     * @param self this instance's {@code application.server}, or null when not set
     */
    StoreQueries(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    String counts(Map<String, String> query) {
        return answer(
                "/counts", "counts", AggregationTopology.COUNTS_STORE, this::localCounts, query);
    }

    String alerts(Map<String, String> query) {
        return answer("/alerts", "alerts", AlertProcessor.RECENT_STORE, this::localAlerts, query);
    }

    private String answer(
            String path,
            String field,
            String storeName,
            Supplier<List<Map<String, Object>>> local,
            Map<String, String> query) {
        String me = self == null ? "local" : name(self);
        Collection<StreamsMetadata> owners =
                self == null || "local".equals(query.get("scope"))
                        ? List.of()
                        : streams.streamsMetadataForStore(storeName);
        if (owners.isEmpty()) {
            return json(Map.of("scope", "local", "instance", me, field, tagged(local.get(), me)));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> answered = new ArrayList<>();
        for (StreamsMetadata owner : owners) {
            String name = name(owner.hostInfo());
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("instance", name);
            try {
                List<Map<String, Object>> part =
                        owner.hostInfo().equals(self)
                                ? local.get()
                                : instances.fetch(owner.hostInfo(), path, field);
                rows.addAll(tagged(part, name));
                status.put("status", "ok");
                status.put("rows", part.size());
            } catch (IOException e) {
                LOG.warn("Instance {} did not answer {}: {}", name, path, e.toString());
                status.put("status", "unreachable: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status.put("status", "interrupted");
            }
            answered.add(status);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scope", "all");
        out.put("instance", me);
        out.put("instances", answered);
        out.put(field, rows);
        return json(out);
    }

    private static List<Map<String, Object>> tagged(List<Map<String, Object>> rows, String by) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.put("instance", by);
            out.add(copy);
        }
        return out;
    }

    private static String name(HostInfo h) {
        return h.host() + ":" + h.port();
    }

    private List<Map<String, Object>> localCounts() {
        List<Map<String, Object>> rows = new ArrayList<>();
        ReadOnlyWindowStore<String, LabelTally> store = store(AggregationTopology.COUNTS_STORE);
        if (store != null) {
            try (KeyValueIterator<Windowed<String>, LabelTally> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<Windowed<String>, LabelTally> kv = it.next();
                    kv.value
                            .stats()
                            .forEach(
                                    (label, s) -> {
                                        Map<String, Object> row = new LinkedHashMap<>();
                                        row.put("camera", kv.key.key());
                                        row.put("label", label);
                                        row.put("window_start", kv.key.window().start());
                                        row.put("window_end", kv.key.window().end());
                                        row.put("frames", s.frames());
                                        row.put("max_score", s.maxScore());
                                        row.put("mean_score", s.meanScore());
                                        rows.add(row);
                                    });
                }
            }
        }
        return rows;
    }

    private List<Map<String, Object>> localAlerts() {
        List<Map<String, Object>> rows = new ArrayList<>();
        ReadOnlyWindowStore<String, Alert> store = store(AlertProcessor.RECENT_STORE);
        if (store != null) {
            try (KeyValueIterator<Windowed<String>, Alert> it = store.all()) {
                while (it.hasNext()) {
                    Alert a = it.next().value;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("alert_id", a.getAlertId());
                    row.put("rule", a.getRuleId());
                    row.put("severity", a.getSeverity().name());
                    row.put("camera", a.getCameraId());
                    row.put("label", a.getLabel());
                    row.put("first_seen", a.getFirstSeen().toEpochMilli());
                    row.put("last_seen", a.getLastSeen().toEpochMilli());
                    row.put("frames", a.getFrameCount());
                    row.put("peak_score", a.getPeakScore());
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private <V> ReadOnlyWindowStore<String, V> store(String name) {
        try {
            return streams.store(
                    StoreQueryParameters.fromNameAndType(
                            name, QueryableStoreTypes.<String, V>windowStore()));
        } catch (InvalidStateStoreException e) {
            // Not (yet) available: rebalancing, or this store is not part of the topology.
            return null;
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
