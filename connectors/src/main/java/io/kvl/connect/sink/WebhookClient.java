package io.kvl.connect.sink;

import io.kvl.connect.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.config.types.Password;

/** POSTs JSON bodies to one webhook URL with java.net.http. Thread-safe. */
final class WebhookClient {
    /** How much of an error response body is kept for messages. */
    private static final int EXCERPT_CHARS = 200;

    /**
     * The webhook's answer.
     *
     * @param status the HTTP status code
     * @param body the start of the response body, for messages
     * @param retryAfterSeconds the Retry-After header in seconds, if the server sent one
     */
    record Response(int status, String body, OptionalLong retryAfterSeconds) {}

    private final HttpClient http;
    private final URI url;
    private final Optional<Password> authorization;
    private final Duration timeout;

    WebhookClient(URI url, Optional<Password> authorization, Duration timeout) {
        this.url = url;
        this.authorization = authorization;
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
    }

    /**
     * POSTs one JSON document.
     *
     * @param idempotencyKey sent as {@code Idempotency-Key}, so the receiver can drop repeats
     * @throws IOException on connection failures and timeouts
     */
    Response post(byte[] json, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", idempotencyKey)
                        .header("User-Agent", "kvl-connectors/" + Version.get())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        authorization.ifPresent(value -> request.header("Authorization", value.value()));
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body() == null ? "" : response.body();
        return new Response(
                response.statusCode(),
                body.length() > EXCERPT_CHARS ? body.substring(0, EXCERPT_CHARS) + "..." : body,
                retryAfter(response));
    }

    private static OptionalLong retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(header.get().trim()));
        } catch (NumberFormatException e) {
            // An HTTP date instead of seconds: rare for webhooks; the configured backoff applies.
            return OptionalLong.empty();
        }
    }
}
