package io.kvl.connect.sink;

import io.kvl.connect.Version;
import io.kvl.connect.converter.EventType;
import io.kvl.schemas.Alert;
import io.kvl.schemas.serde.AvroBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each alert as JSON ({@link EventJson}) with an {@code Idempotency-Key} header equal to its
 * {@code alertId}. Values are Structs from {@code AvroEventConverter} or the raw bytes from {@code
 * ByteArrayConverter}; tombstones are skipped.
 *
 * <p>Outcomes per POST:
 *
 * <ul>
 *   <li>2xx: delivered.
 *   <li>5xx, 408, 425, 429, I/O error or timeout: transient. The task waits {@code
 *       retry.backoff.ms} (or the server's Retry-After) through {@code context.timeout} and throws
 *       {@link RetriableException}; Connect then hands the same batch to {@link #put} again, at
 *       most {@code max.retries} times in a row, then the task fails.
 *   <li>401, 403, 404, 405, 407 and 3xx: the webhook URL or credentials are wrong, not the record:
 *       the task fails ({@link ConnectException}).
 *   <li>Other 4xx: the receiver rejects this alert: it goes to the errant record reporter (the dead
 *       letter queue and/or log, per {@code errors.*}) and the batch goes on. Without one ({@code
 *       errors.tolerance=none}) the task fails.
 * </ul>
 *
 * <p>No alert is POSTed twice by a running task: the ids acknowledged (2xx) or rejected (4xx)
 * during a batch are remembered until the batch completes, so a retried batch skips them. Across a
 * task failure or restart, delivery is at least once: offsets are committed only after {@link #put}
 * returned, so alerts of an unfinished batch are POSTed again, with the same {@code
 * Idempotency-Key} for the receiver to drop.
 */
public final class AlertWebhookSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhookSinkTask.class);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    private static final Set<Integer> FATAL_STATUSES = Set.of(401, 403, 404, 405, 407);
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 425, 429);

    private AlertWebhookSinkConfig config;
    private WebhookClient client;

    /** Alert ids acknowledged or rejected in the current batch: a retried batch skips them. */
    private final Set<String> handled = new HashSet<>();

    /** Transient failures of the current batch. */
    private int failures;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new AlertWebhookSinkConfig(props);
        client = new WebhookClient(config.webhookUrl(), config.authHeader(), config.timeout());
        LOG.info(
                "POSTing alerts to {} (timeout {} ms, {} retries {} ms apart, auth header {})",
                config.webhookOrigin(),
                config.timeout().toMillis(),
                config.maxRetries(),
                config.retryBackoff().toMillis(),
                config.authHeader().isPresent() ? "set" : "not set");
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        int delivered = 0;
        for (SinkRecord record : records) {
            Alert alert;
            try {
                alert = alertOf(record);
            } catch (DataException e) {
                reportBad(record, e);
                continue;
            }
            if (alert == null) {
                continue; // a tombstone (compaction marker), not an alert
            }
            if (handled.contains(alert.getAlertId())) {
                continue; // acknowledged or rejected before this batch was retried
            }
            if (deliver(record, alert)) {
                delivered++;
            }
        }
        if (delivered > 0 || failures > 0) {
            LOG.info(
                    "Delivered {} alert(s) of a batch of {} after {} transient failure(s)",
                    delivered,
                    records.size(),
                    failures);
        }
        handled.clear();
        failures = 0;
    }

    /** POSTs one alert; true if acknowledged, false if rejected; throws to retry or fail. */
    private boolean deliver(SinkRecord record, Alert alert) {
        String id = alert.getAlertId();
        WebhookClient.Response response;
        try {
            response = client.post(EventJson.toJson(alert), id);
        } catch (IOException e) {
            throw retry(id, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while POSTing alert " + id, e);
        }
        int status = response.status();
        if (status >= 200 && status < 300) {
            handled.add(id);
            LOG.debug("Alert {} delivered: HTTP {}", id, status);
            return true;
        }
        if (status >= 500 || TRANSIENT_STATUSES.contains(status)) {
            throw retry(id, "HTTP " + status + " " + response.body(), response);
        }
        if (status < 400 || FATAL_STATUSES.contains(status)) {
            throw new ConnectException(
                    "Webhook "
                            + config.webhookOrigin()
                            + " answered HTTP "
                            + status
                            + " for alert "
                            + id
                            + ": check webhook.url and webhook.auth.header");
        }
        handled.add(id);
        reportBad(
                record,
                new DataException(
                        "Webhook rejected alert "
                                + id
                                + ": HTTP "
                                + status
                                + " "
                                + response.body()));
        return false;
    }

    private RuntimeException retry(String alertId, String reason, WebhookClient.Response response) {
        failures++;
        if (failures > config.maxRetries()) {
            return new ConnectException(
                    "Giving up on alert "
                            + alertId
                            + " after "
                            + config.maxRetries()
                            + " retries; last failure: "
                            + reason);
        }
        Duration wait = config.retryBackoff();
        if (response != null && response.retryAfterSeconds().isPresent()) {
            Duration asked = Duration.ofSeconds(response.retryAfterSeconds().getAsLong());
            wait = asked.compareTo(wait) > 0 ? min(asked, MAX_RETRY_AFTER) : wait;
        }
        context.timeout(wait.toMillis());
        LOG.warn(
                "Alert {} not delivered ({}); retry {} of {} in {} ms",
                alertId,
                reason,
                failures,
                config.maxRetries(),
                wait.toMillis());
        return new RetriableException("Webhook failed for alert " + alertId + ": " + reason);
    }

    private void reportBad(SinkRecord record, Exception error) {
        ErrantRecordReporter reporter = errantRecordReporter();
        if (reporter == null) {
            throw new ConnectException(
                    "Bad record at "
                            + record.topic()
                            + "-"
                            + record.kafkaPartition()
                            + "@"
                            + record.kafkaOffset()
                            + "; set errors.tolerance=all with errors.deadletterqueue.topic.name"
                            + " or errors.log.enable=true to skip such records",
                    error);
        }
        LOG.warn(
                "Bad record at {}-{}@{} reported: {}",
                record.topic(),
                record.kafkaPartition(),
                record.kafkaOffset(),
                error.getMessage());
        reporter.report(record, error);
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // Connect runtime older than 2.6
        }
    }

    /** The record's alert, or null for a tombstone. */
    static Alert alertOf(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            return null;
        }
        if (value instanceof Struct struct) {
            return (Alert) EventType.ALERT.fromStruct(struct);
        }
        if (value instanceof byte[] bytes) {
            return (Alert) EventType.ALERT.deserialize(record.topic(), bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return (Alert) EventType.ALERT.deserialize(record.topic(), AvroBytes.copy(buffer));
        }
        throw new DataException(
                "Expected an Alert Struct (AvroEventConverter) or bytes (ByteArrayConverter), got "
                        + value.getClass().getName());
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        // A rebalance starts a new batch.
        handled.clear();
        failures = 0;
    }

    @Override
    public void stop() {
        // The HTTP client has no close() before Java 21; its threads end once it is unreachable.
        client = null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
