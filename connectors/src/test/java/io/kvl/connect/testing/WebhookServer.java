package io.kvl.connect.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A local webhook receiver: answers each POST with the status a policy picks (by request number,
 * 1-based) and records every request.
 */
public final class WebhookServer implements AutoCloseable {
    /** One request received, with the status it was answered with. */
    public record Request(
            int number,
            int status,
            String body,
            String idempotencyKey,
            Map<String, List<String>> headers) {}

    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final IntUnaryOperator statusOfRequest;

    private WebhookServer(IntUnaryOperator statusOfRequest) throws IOException {
        this.statusOfRequest = statusOfRequest;
        this.server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/alerts", this::handle);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
    }

    /** Starts a server answering request n (1-based) with {@code statusOfRequest(n)}. */
    public static WebhookServer start(IntUnaryOperator statusOfRequest) throws IOException {
        return new WebhookServer(statusOfRequest);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Idempotency keys of the requests answered with a 2xx, in order. */
    public List<String> acknowledgedKeys() {
        return requests.stream()
                .filter(r -> r.status() / 100 == 2)
                .map(Request::idempotencyKey)
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int number = count.incrementAndGet();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status = statusOfRequest.applyAsInt(number);
        requests.add(
                new Request(
                        number,
                        status,
                        body,
                        exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        Map.copyOf(exchange.getRequestHeaders())));
        byte[] answer = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        if (status == 429) {
            exchange.getResponseHeaders().add("Retry-After", "1");
        }
        if (status == 204) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
