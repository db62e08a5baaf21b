package io.kvl.streams.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.streams.alert.AlertProcessor;
import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.alert.OpenEpisodes;
import io.kvl.streams.app.HttpEndpoint;
import io.kvl.streams.app.InstanceClient;
import io.kvl.streams.metrics.LabelerMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: {@code GET /} (a static page packaged in the jar), {@code /events} (Server-
 * Sent Events: a snapshot of tiles, counts, alerts and pipeline every second), {@code /view} (this
 * instance's tiles, for the other instances) and {@code /thumbnail} (a camera's latest JPEG). With
 * {@code application.server} set, the snapshot covers every camera of the application: the tiles of
 * the other instances are fetched from them, and their thumbnails are proxied.
 */
public final class Dashboard {
    static final long EVENT_PERIOD_MS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final KafkaStreams streams;
    private final LiveView view;
    private final PipelineStats pipeline;
    private final AlertRules rules;
    private final HostInfo self;
    private final Function<Map<String, String>, String> counts;
    private final Function<Map<String, String>, String> alerts;
    private final InstanceClient instances = new InstanceClient();

    /**
     * @param self this instance's {@code application.server}, or null
     * @param counts the {@code /counts} answer for query parameters
     * @param alerts the {@code /alerts} answer for query parameters
     */
    public Dashboard(
            KafkaStreams streams,
            LiveView view,
            LabelerMetrics metrics,
            String chunksTopic,
            AlertRules rules,
            HostInfo self,
            Function<Map<String, String>, String> counts,
            Function<Map<String, String>, String> alerts) {
        this.streams = streams;
        this.view = view;
        this.pipeline = new PipelineStats(streams, metrics, chunksTopic, System::currentTimeMillis);
        this.rules = rules;
        this.self = self;
        this.counts = counts;
        this.alerts = alerts;
    }

    /** Adds the dashboard's routes to {@code http}. */
    public HttpEndpoint register(HttpEndpoint http) {
        String base = "io/kvl/streams/dashboard/";
        return http.resource("/", "text/html; charset=utf-8", base + "index.html")
                .resource("/dashboard.js", "text/javascript; charset=utf-8", base + "dashboard.js")
                .resource("/dashboard.css", "text/css; charset=utf-8", base + "dashboard.css")
                .queryRoute("/view", "application/json", q -> json(localView()))
                .binaryRoute("/thumbnail", "image/jpeg", this::thumbnail)
                .eventStream("/events", () -> json(snapshot()), EVENT_PERIOD_MS);
    }

    /** What {@code /events} sends: every camera's tile, counts, alerts, and the pipeline. */
    Map<String, Object> snapshot() {
        List<Map<String, Object>> tiles = new ArrayList<>();
        Set<String> open = new HashSet<>();
        List<Map<String, Object>> answered = new ArrayList<>();
        for (Map.Entry<String, JsonNode> v : views().entrySet()) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("instance", v.getKey());
            if (v.getValue() == null) {
                status.put("status", "unreachable");
            } else {
                status.put("status", "ok");
                v.getValue().get("tiles").forEach(t -> tiles.add(tile(t, v.getKey())));
                v.getValue().get("open_episodes").forEach(e -> open.add(e.asText()));
            }
            answered.add(status);
        }
        for (Map<String, Object> t : tiles) {
            String camera = (String) t.get("camera");
            t.put("alert_open", open.stream().anyMatch(e -> e.endsWith("|" + camera)));
        }
        tiles.sort((a, b) -> ((String) a.get("camera")).compareTo((String) b.get("camera")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", System.currentTimeMillis());
        out.put("instance", name(self));
        out.put("instances", answered);
        out.put("tiles", tiles);
        out.put("counts", CountSeries.byCamera(read(counts.apply(Map.of()), "counts")));
        out.put("alerts", AlertFeed.newestFirst(read(alerts.apply(Map.of()), "alerts")));
        out.put("pipeline", pipeline.snapshot());
        return out;
    }

    /** Every instance's {@code /view}, by instance; null for one that did not answer. */
    private Map<String, JsonNode> views() {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        views.put(name(self), JSON.valueToTree(localView()));
        if (self == null) {
            return views;
        }
        for (StreamsMetadata other : streams.metadataForAllStreamsClients()) {
            if (other.hostInfo().equals(self)) {
                continue;
            }
            try {
                views.put(name(other.hostInfo()), instances.get(other.hostInfo(), "/view"));
            } catch (IOException e) {
                LOG.debug(
                        "Instance {} did not answer /view: {}",
                        name(other.hostInfo()),
                        e.toString());
                views.put(name(other.hostInfo()), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                views.put(name(other.hostInfo()), null);
            }
        }
        return views;
    }

    private Map<String, Object> localView() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tiles", view.tiles());
        Map<String, Long> latest = view.latestCaptures();
        out.put(
                "open_episodes",
                episodeStore()
                        .map(
                                store ->
                                        OpenEpisodes.of(
                                                store,
                                                rules,
                                                camera ->
                                                        latest.getOrDefault(
                                                                camera,
                                                                System.currentTimeMillis())))
                        .orElse(Set.of()));
        return out;
    }

    private Optional<ReadOnlyKeyValueStore<String, byte[]>> episodeStore() {
        if (rules.rules().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    streams.store(
                            StoreQueryParameters.fromNameAndType(
                                    AlertProcessor.STATE_STORE,
                                    QueryableStoreTypes.<String, byte[]>keyValueStore())));
        } catch (InvalidStateStoreException e) {
            return Optional.empty(); // rebalancing, or no alert rules in the topology
        }
    }

    /** A camera's latest thumbnail: here, or from the instance that labels it. */
    private Optional<byte[]> thumbnail(Map<String, String> query) {
        String camera = query.getOrDefault("camera", "");
        Optional<byte[]> local = view.thumbnail(camera);
        String instance = query.get("instance");
        if (local.isPresent()
                || self == null
                || instance == null
                || "local".equals(query.get("scope"))) {
            return local;
        }
        // Only to instances of this application, never to an address a client made up.
        for (StreamsMetadata other : streams.metadataForAllStreamsClients()) {
            if (name(other.hostInfo()).equals(instance) && !other.hostInfo().equals(self)) {
                try {
                    return Optional.of(
                            instances.bytes(
                                    other.hostInfo(),
                                    "/thumbnail",
                                    "camera="
                                            + java.net.URLEncoder.encode(
                                                    camera,
                                                    java.nio.charset.StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    return Optional.empty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> tile(JsonNode t, String instance) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.convertValue(t, LinkedHashMap.class);
        m.put("instance", instance);
        return m;
    }

    private static JsonNode read(String json, String field) {
        try {
            JsonNode rows = JSON.readTree(json).get(field);
            return rows == null ? JSON.createArrayNode() : rows;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(HostInfo h) {
        return h == null ? "local" : h.host() + ":" + h.port();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
