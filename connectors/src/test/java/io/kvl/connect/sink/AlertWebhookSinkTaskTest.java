package io.kvl.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.connect.converter.EventType;
import io.kvl.connect.testing.LogCapture;
import io.kvl.connect.testing.SampleEvents;
import io.kvl.connect.testing.StubSinkTaskContext;
import io.kvl.connect.testing.WebhookServer;
import io.kvl.schemas.Alert;
import io.kvl.schemas.serde.KvlSerdes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertWebhookSinkTaskTest {
    private static final String SECRET = "Bearer t0ps3cret-token";
    private static final String TOPIC = "kvl.alerts";

    private final List<WebhookServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(WebhookServer::close);
    }

    private WebhookServer server(java.util.function.IntUnaryOperator status) throws Exception {
        WebhookServer server = WebhookServer.start(status);
        servers.add(server);
        return server;
    }

    private static AlertWebhookSinkTask task(
            WebhookServer server, StubSinkTaskContext context, int maxRetries) {
        Map<String, String> props = new HashMap<>();
        props.put(AlertWebhookSinkConfig.WEBHOOK_URL_CONFIG, server.url());
        props.put(AlertWebhookSinkConfig.WEBHOOK_AUTH_HEADER_CONFIG, SECRET);
        props.put(AlertWebhookSinkConfig.MAX_RETRIES_CONFIG, Integer.toString(maxRetries));
        props.put(AlertWebhookSinkConfig.RETRY_BACKOFF_MS_CONFIG, "250");
        props.put(AlertWebhookSinkConfig.WEBHOOK_TIMEOUT_MS_CONFIG, "5000");
        AlertWebhookSinkTask task = new AlertWebhookSinkTask();
        task.initialize(context);
        task.start(props);
        return task;
    }

    /** Alerts as Structs, as AvroEventConverter gives them. */
    private static List<SinkRecord> structRecords(int count) {
        return IntStream.range(0, count)
                .mapToObj(
                        i ->
                                new SinkRecord(
                                        TOPIC,
                                        0,
                                        Schema.STRING_SCHEMA,
                                        "cam-" + i,
                                        EventType.ALERT.connectSchema(),
                                        EventType.ALERT.toStruct(SampleEvents.alert(i)),
                                        i))
                .toList();
    }

    private static List<String> ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> SampleEvents.alert(i).getAlertId()).toList();
    }

    @Test
    void shouldPostEachAlertAsJsonWithIdempotencyKeyAndAuthorization() throws Exception {
        WebhookServer server = server(n -> 200);
        AlertWebhookSinkTask task = task(server, new StubSinkTaskContext(true), 3);

        task.put(structRecords(2));

        assertThat(server.acknowledgedKeys()).isEqualTo(ids(2));
        WebhookServer.Request first = server.requests().get(0);
        assertThat(first.headers().get("Authorization")).containsExactly(SECRET);
        assertThat(first.headers().get("Content-type")).containsExactly("application/json");
        Alert alert = SampleEvents.alert(0);
        assertThat(first.body())
                .isEqualTo(
                        "{\"alertId\":\""
                                + alert.getAlertId()
                                + "\",\"ruleId\":\"person-at-door\",\"severity\":\"WARNING\","
                                + "\"cameraId\":\"cam-0\",\"label\":\"person\","
                                + "\"firstSeen\":\"2024-05-01T12:00:00.250Z\","
                                + "\"lastSeen\":\"2024-05-01T12:00:00.750Z\","
                                + "\"frameCount\":3,\"peakScore\":0.93,"
                                + "\"windowStart\":\"2024-05-01T12:00:00.250Z\","
                                + "\"windowEnd\":\"2024-05-01T12:00:10.250Z\"}");
    }

    @Test
    void shouldAcceptRawBytesFromByteArrayConverter() throws Exception {
        WebhookServer server = server(n -> 204);
        AlertWebhookSinkTask task = task(server, new StubSinkTaskContext(true), 3);
        byte[] bytes = KvlSerdes.alert().serialize(TOPIC, SampleEvents.alert(7));

        task.put(
                List.of(
                        new SinkRecord(TOPIC, 0, null, null, Schema.BYTES_SCHEMA, bytes, 0),
                        new SinkRecord(TOPIC, 0, null, null, null, null, 1)));

        assertThat(server.acknowledgedKeys()).containsExactly(SampleEvents.alert(7).getAlertId());
    }

    @Test
    void shouldRetryABatchWithoutResendingWhatWasAcknowledged() throws Exception {
        // The third POST fails twice, then everything succeeds.
        WebhookServer server = server(n -> n == 3 || n == 4 ? 503 : 200);
        StubSinkTaskContext context = new StubSinkTaskContext(true);
        AlertWebhookSinkTask task = task(server, context, 3);
        List<SinkRecord> batch = structRecords(5);

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        task.put(batch); // Connect hands the same batch again after each RetriableException

        assertThat(context.timeouts).containsExactly(250L, 250L);
        assertThat(server.acknowledgedKeys()).isEqualTo(ids(5));
        assertThat(server.requests()).hasSize(7);

        task.put(structRecords(1)); // a new batch: the same alert id is sent again
        assertThat(server.requests()).hasSize(8);
    }

    @Test
    void shouldWaitAsLongAsRetryAfterAsks() throws Exception {
        WebhookServer server = server(n -> n == 1 ? 429 : 200);
        StubSinkTaskContext context = new StubSinkTaskContext(true);
        AlertWebhookSinkTask task = task(server, context, 3);
        List<SinkRecord> batch = structRecords(1);

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        task.put(batch);

        assertThat(context.timeouts).containsExactly(1000L);
        assertThat(server.acknowledgedKeys()).isEqualTo(ids(1));
    }

    @Test
    void shouldFailTheTaskOnceRetriesAreExhausted() throws Exception {
        WebhookServer server = server(n -> 500);
        AlertWebhookSinkTask task = task(server, new StubSinkTaskContext(true), 2);
        List<SinkRecord> batch = structRecords(1);

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThatThrownBy(() -> task.put(batch))
                .isExactlyInstanceOf(ConnectException.class)
                .hasMessageContaining("after 2 retries")
                .hasMessageContaining("HTTP 500");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void shouldReportARejectedAlertAsAnErrantRecordAndGoOn() throws Exception {
        WebhookServer server = server(n -> n == 2 ? 422 : 200);
        StubSinkTaskContext context = new StubSinkTaskContext(true);
        AlertWebhookSinkTask task = task(server, context, 3);
        List<SinkRecord> batch = structRecords(3);
        SinkRecord garbage =
                new SinkRecord(TOPIC, 0, null, null, Schema.BYTES_SCHEMA, new byte[] {1, 2}, 9);
        List<SinkRecord> withGarbage = new ArrayList<>(batch);
        withGarbage.add(garbage);

        task.put(withGarbage);

        assertThat(server.acknowledgedKeys()).containsExactly(ids(3).get(0), ids(3).get(2));
        assertThat(context.reported)
                .extracting(StubSinkTaskContext.Reported::record)
                .containsExactly(batch.get(1), garbage);
        assertThat(context.reported.get(0).error()).hasMessageContaining("HTTP 422");
    }

    @Test
    void shouldFailWithoutAnErrantRecordReporter() throws Exception {
        WebhookServer server = server(n -> 400);
        AlertWebhookSinkTask task = task(server, new StubSinkTaskContext(false), 3);

        assertThatThrownBy(() -> task.put(structRecords(1)))
                .isExactlyInstanceOf(ConnectException.class)
                .hasMessageContaining("errors.tolerance");
    }

    @Test
    void shouldFailOnAWrongUrlOrCredentialsInsteadOfRejectingEveryAlert() throws Exception {
        WebhookServer server = server(n -> 401);
        StubSinkTaskContext context = new StubSinkTaskContext(true);
        AlertWebhookSinkTask task = task(server, context, 3);

        assertThatThrownBy(() -> task.put(structRecords(2)))
                .isExactlyInstanceOf(ConnectException.class)
                .hasMessageContaining("HTTP 401");
        assertThat(context.reported).isEmpty();
    }

    @Test
    void shouldNeverLogTheAuthorizationHeader() throws Exception {
        WebhookServer server = server(n -> n == 1 ? 503 : n == 2 ? 400 : 200);
        try (LogCapture logs = LogCapture.of("io.kvl")) {
            AlertWebhookSinkTask task = task(server, new StubSinkTaskContext(true), 3);
            List<SinkRecord> batch = structRecords(3);
            assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
            task.put(batch);
            task.stop();

            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains("t0ps3cret"));
        }
        AlertWebhookSinkConfig config =
                new AlertWebhookSinkConfig(
                        Map.of(
                                AlertWebhookSinkConfig.WEBHOOK_URL_CONFIG,
                                server.url(),
                                AlertWebhookSinkConfig.WEBHOOK_AUTH_HEADER_CONFIG,
                                SECRET));
        assertThat(config.values().toString()).doesNotContain("t0ps3cret").contains("[hidden]");
        assertThat(config.authHeader().orElseThrow().toString()).isEqualTo("[hidden]");
    }
}
