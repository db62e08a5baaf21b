package io.kvl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry (the Quarkus distribution the build unpacks into {@code
 * target/apicurio-registry} of the module, system property {@code kvl.apicurio.dir}; in-memory
 * storage) started with {@code java -jar} on a free loopback port, and a few calls to its
 * Confluent-compatible API for the assertions.
 */
public final class ApicurioRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApicurioRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the process; {@link #awaitReady()} waits for it. */
    public static ApicurioRegistry start(Path logDir) throws IOException {
        Path dir = Path.of(System.getProperty("kvl.apicurio.dir", "target/apicurio-registry"));
        String version = System.getProperty("kvl.apicurio.version", "3.0.9");
        Path jar = dir.resolve("apicurio-registry-app-" + version + "-runner.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: run through Maven (verify), which unpacks the registry");
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.log.level=WARN");
        cmd.add("-jar");
        cmd.add(jar.toString());
        Path log = logDir.resolve("apicurio-registry.log");
        Files.createDirectories(logDir);
        Process p =
                new ProcessBuilder(cmd)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        return new ApicurioRegistry(p, port, log);
    }

    /** Polls {@code /health/ready} until it answers UP, or fails with the log's tail. */
    public ApicurioRegistry awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Registry exited: " + tail());
            }
            try {
                HttpResponse<String> r = get("/health/ready");
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Registry not ready in " + READY_TIMEOUT + ": " + tail());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String ccompat() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** The schema text of a Confluent schema id, or null when the registry answers 404. */
    public String schemaById(int id) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/apis/ccompat/v7/schemas/ids/" + id);
        if (r.statusCode() == 404) {
            return null;
        }
        return json(r).get("schema").asText();
    }

    /** GET of a ccompat path as JSON. */
    public JsonNode ccompatGet(String path) throws IOException, InterruptedException {
        return json(get("/apis/ccompat/v7" + path));
    }

    /** POST of a schema to a subject through ccompat: the id, or the error answer. */
    public HttpResponse<String> registerViaCcompat(String subject, String schema)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
        return send("POST", "/apis/ccompat/v7/subjects/" + subject + "/versions", body);
    }

    /** PUT /config/{subject} through ccompat. */
    public void setCompatibility(String subject, String level)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("compatibility", level));
        HttpResponse<String> r = send("PUT", "/apis/ccompat/v7/config/" + subject, body);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT config " + subject + ": " + r.body());
        }
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(r.uri() + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
