package io.kvl.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The REST calls of the system tests (Connect, Toxiproxy, the labeler): a non-2xx fails. */
final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {}

    static String get(String url) {
        return send("GET", url, null);
    }

    /** {@code json} may be null for a call without a body. */
    static String send(String method, String url, String json) {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        r =
                json == null
                        ? r.method(method, HttpRequest.BodyPublishers.noBody())
                        : r.header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> response =
                    CLIENT.send(
                            r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError(
                        method
                                + " "
                                + url
                                + ": HTTP "
                                + response.statusCode()
                                + " "
                                + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
