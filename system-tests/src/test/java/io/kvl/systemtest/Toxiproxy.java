package io.kvl.systemtest;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Toxiproxy's server in the locally built image, aliased {@code toxiproxy} on the test's network,
 * driven through its HTTP API (proxies, and toxics on them: latency, bandwidth).
 */
final class Toxiproxy extends GenericContainer<Toxiproxy> {
    static final String IMAGE = "kvl-local/toxiproxy:2.12.0";
    private static final int API = 8474;

    Toxiproxy(Network network) {
        super(IMAGE);
        withNetwork(network);
        withNetworkAliases("toxiproxy");
        withExposedPorts(API);
        waitingFor(Wait.forHttp("/version").forPort(API));
    }

    /** A proxy listening on {@code port} of this container, forwarding to {@code upstream}. */
    void proxy(String name, int port, String upstream) {
        call(
                "POST",
                "/proxies",
                "{\"name\":\""
                        + name
                        + "\",\"listen\":\"0.0.0.0:"
                        + port
                        + "\",\"upstream\":\""
                        + upstream
                        + "\",\"enabled\":true}");
    }

    /** Adds a toxic, e.g. {@code latency} with {@code {"latency":200}}. */
    void toxic(String proxy, String name, String type, String stream, String attributes) {
        call(
                "POST",
                "/proxies/" + proxy + "/toxics",
                "{\"name\":\""
                        + name
                        + "\",\"type\":\""
                        + type
                        + "\",\"stream\":\""
                        + stream
                        + "\",\"toxicity\":1.0,\"attributes\":"
                        + attributes
                        + "}");
    }

    void removeToxic(String proxy, String name) {
        call("DELETE", "/proxies/" + proxy + "/toxics/" + name, null);
    }

    private void call(String method, String path, String json) {
        Http.send(method, "http://127.0.0.1:" + getMappedPort(API) + path, json);
    }
}
