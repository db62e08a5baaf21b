package io.kvl.streams.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The alert feed: newest first, at most {@link #MAX} alerts. */
final class AlertFeed {
    static final int MAX = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertFeed() {}

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> newestFirst(JsonNode rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        rows.forEach(r -> out.add(JSON.convertValue(r, Map.class)));
        out.sort(
                Comparator.comparingLong(
                                (Map<String, Object> a) ->
                                        ((Number) a.get("first_seen")).longValue())
                        .reversed());
        return out.subList(0, Math.min(MAX, out.size()));
    }
}
