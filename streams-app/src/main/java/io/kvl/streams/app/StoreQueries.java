package io.kvl.streams.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.schemas.Alert;
import io.kvl.streams.aggregate.LabelTally;
import io.kvl.streams.alert.AlertProcessor;
import io.kvl.streams.topology.AggregationTopology;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Interactive queries over this instance's state stores, as JSON: current label counts per camera
 * and window, and recent alerts. With several instances each answers for the cameras it owns
 * ({@code "scope":"local"}); a client asks every instance (the metrics Service fans out).
 */
final class StoreQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaStreams streams;

    StoreQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    String counts() {
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
        return json(Map.of("scope", "local", "counts", rows));
    }

    String alerts() {
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
        return json(Map.of("scope", "local", "alerts", rows));
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
