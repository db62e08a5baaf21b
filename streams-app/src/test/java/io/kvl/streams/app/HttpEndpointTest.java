package io.kvl.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard's transport: Server-Sent Events, exact-path resources, binary routes. */
class HttpEndpointTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpEndpoint http;

    @AfterEach
    void stop() {
        http.close();
    }

    private String base() {
        return "http://127.0.0.1:" + http.port();
    }

    @Test
    void shouldPushOneFreshEventPerPeriodUntilTheClientLeaves() throws Exception {
        AtomicInteger n = new AtomicInteger();
        http =
                new HttpEndpoint(0)
                        .eventStream("/events", () -> "{\"n\":" + n.incrementAndGet() + "}", 50)
                        .start();
        HttpResponse<java.io.InputStream> r =
                client.send(
                        HttpRequest.newBuilder(URI.create(base() + "/events")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> data = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("retry: 2000");
            String line;
            while (data.size() < 3 && (line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        }
        assertThat(data).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }

    @Test
    void shouldServeResourcesAtTheirExactPathAndBinaryRoutesOr404() throws Exception {
        http =
                new HttpEndpoint(0)
                        .resource("/", "text/html", "io/kvl/streams/dashboard/index.html")
                        .binaryRoute(
                                "/thumbnail",
                                "image/jpeg",
                                q ->
                                        "cam".equals(q.get("camera"))
                                                ? Optional.of(new byte[] {1, 2})
                                                : Optional.empty())
                        .start();
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"/dashboard.js\">");
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> thumb =
                client.send(
                        HttpRequest.newBuilder(URI.create(base() + "/thumbnail?camera=cam"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(thumb.body()).containsExactly(1, 2);
        assertThat(get("/thumbnail?camera=other").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
