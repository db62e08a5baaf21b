package io.kvl.streams.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
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

    /** Open Server-Sent-Event streams at most; each holds one server thread. */
    static final int MAX_EVENT_STREAMS = 8;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Semaphore eventStreams = new Semaphore(MAX_EVENT_STREAMS);
    private volatile boolean running = true;

    public HttpEndpoint(int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        this.executor =
                Executors.newFixedThreadPool(
                        MAX_EVENT_STREAMS + 4,
                        r -> {
                            Thread t = new Thread(r, "kvl-http");
                            t.setDaemon(true);
                            return t;
                        });
        this.server.setExecutor(executor);
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

    /** Serves a classpath resource (read once, here) at {@code path}. */
    public HttpEndpoint resource(String path, String contentType, String classpathResource) {
        byte[] bytes;
        try (InputStream in =
                HttpEndpoint.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + classpathResource);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return binaryRoute(path, contentType, query -> Optional.of(bytes));
    }

    /** Serves bytes at {@code path}, or 404 when {@code body} has none for the query. */
    public HttpEndpoint binaryRoute(
            String path, String contentType, Function<Map<String, String>, Optional<byte[]>> body) {
        server.createContext(
                path,
                ex -> {
                    // The JDK server routes by prefix: "/" would also answer "/anything".
                    if (!ex.getRequestURI().getPath().equals(path)) {
                        send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    Optional<byte[]> bytes;
                    try {
                        bytes = body.apply(query(ex.getRequestURI()));
                    } catch (RuntimeException e) {
                        LOG.warn("HTTP {} failed", ex.getRequestURI(), e);
                        bytes = Optional.empty();
                    }
                    if (bytes.isPresent()) {
                        send(ex, 200, contentType, bytes.get());
                    } else {
                        send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                    }
                });
        return this;
    }

    /**
     * Server-Sent Events at {@code path}: {@code data.get()} as one event every {@code periodMs}
     * until the client goes away or the server stops. At most {@link #MAX_EVENT_STREAMS} at once;
     * more get 503, and browsers' EventSource retries by itself.
     */
    public HttpEndpoint eventStream(String path, Supplier<String> data, long periodMs) {
        server.createContext(
                path,
                ex -> {
                    if (!eventStreams.tryAcquire()) {
                        send(
                                ex,
                                503,
                                "text/plain",
                                "too many streams".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    try {
                        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                        ex.getResponseHeaders().set("Cache-Control", "no-cache");
                        ex.sendResponseHeaders(200, 0);
                        OutputStream out = ex.getResponseBody();
                        out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
                        while (running) {
                            String event = "data: " + data.get().replace("\n", " ") + "\n\n";
                            out.write(event.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            Thread.sleep(periodMs);
                        }
                    } catch (IOException e) {
                        LOG.debug("Event stream {} closed by the client: {}", path, e.toString());
                    } catch (RuntimeException e) {
                        // The client's EventSource reconnects; say why this stream ended.
                        LOG.warn("Event stream {} failed", path, e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        eventStreams.release();
                        ex.close();
                    }
                });
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

    private static void send(HttpExchange ex, int status, String contentType, byte[] bytes)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        running = false;
        server.stop(0);
        executor.shutdownNow(); // wakes event streams sleeping between events
    }
}
