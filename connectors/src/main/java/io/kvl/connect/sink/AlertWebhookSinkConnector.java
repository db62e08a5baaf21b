package io.kvl.connect.sink;

import io.kvl.connect.Version;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * POSTs each {@code Alert} of the alerts topic as JSON to a webhook; see {@link
 * AlertWebhookSinkTask}. Tasks share the topic's partitions.
 */
public final class AlertWebhookSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new AlertWebhookSinkConfig(props); // fail fast on a bad config
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return AlertWebhookSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the HTTP clients.
    }

    @Override
    public ConfigDef config() {
        return AlertWebhookSinkConfig.CONFIG_DEF;
    }
}
