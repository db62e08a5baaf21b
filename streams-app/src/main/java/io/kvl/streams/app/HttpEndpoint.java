package io.kvl.streams.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server for operations: {@code /metrics} (Prometheus text format), {@code /health},
 * and any JSON query routes the application adds. Uses the JDK's server: no extra dependency.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

    private final HttpServer server;

    public HttpEndpoint(int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        this.server.setExecutor(
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "kvl-http");
                            t.setDaemon(true);
                            return t;
                        }));
    }

    /** Serves {@code body.get()} at {@code path} with the given content type. */
    public HttpEndpoint route(String path, String contentType, Supplier<String> body) {
        return queryRoute(path, contentType, query -> body.get());
    }

    /** Serves {@code body.apply(query parameters)} at {@code path}. */
    public HttpEndpoint queryRoute(
            String path, String contentType, Function<Map<String, String>, String> body) {
        server.createContext(
                path,
                exchange ->
                        respond(
                                exchange,
                                contentType,
                                () -> body.apply(query(exchange.getRequestURI()))));
        return this;
    }

    /** The query parameters of {@code uri} (the last value of a repeated name wins). */
    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    public HttpEndpoint start() {
        server.start();
        LOG.info("HTTP endpoint on port {}", port());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, String contentType, Supplier<String> body)
            throws IOException {
        byte[] bytes;
        int status = 200;
        try {
            bytes = body.get().getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            status = 500;
            bytes =
                    ("{\"error\":\"" + e.getClass().getSimpleName() + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
            LOG.warn("HTTP {} failed", ex.getRequestURI(), e);
        }
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
