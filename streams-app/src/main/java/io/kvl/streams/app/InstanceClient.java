package io.kvl.streams.app;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another instance of the application for its local answer to a query ({@code ?scope=local},
 * so it never fans out again): the remote half of Kafka Streams' interactive-queries pattern. Each
 * instance's {@code application.server} is the host and HTTP port where it serves these routes.
 */
public final class InstanceClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(TIMEOUT)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();

    /** The rows of {@code field} in the instance's local answer to {@code path}. */
    public List<Map<String, Object>> fetch(HostInfo instance, String path, String field)
            throws IOException, InterruptedException {
        JsonNode rows = get(instance, path).get(field);
        if (rows == null || !rows.isArray()) {
            throw new IOException(
                    name(instance) + path + " answered without a '" + field + "' array");
        }
        return JSON.convertValue(rows, new TypeReference<List<Map<String, Object>>>() {});
    }

    /** The instance's local answer to {@code path}, a JSON document. */
    public JsonNode get(HostInfo instance, String path) throws IOException, InterruptedException {
        return JSON.readTree(new String(bytes(instance, path, ""), StandardCharsets.UTF_8));
    }

    /**
     * The instance's local answer to {@code path}, as bytes.
     *
     * @param query more query parameters, already encoded, or empty
     */
    public byte[] bytes(HostInfo instance, String path, String query)
            throws IOException, InterruptedException {
        URI uri =
                URI.create(
                        "http://"
                                + name(instance)
                                + path
                                + "?scope=local"
                                + (query.isEmpty() ? "" : "&" + query));
        HttpResponse<byte[]> r =
                http.send(
                        HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    private static String name(HostInfo h) {
        return h.host() + ":" + h.port();
    }
}
