package io.kvl.connect.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.Worker;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A real standalone Connect worker in this JVM, assembled from connect-runtime's classes the way
 * {@code ConnectStandalone} does (minus the REST server): {@link Plugins}, {@link Worker} with a
 * {@link FileOffsetBackingStore}, {@link StandaloneHerder}.
 *
 * <p>Plugins are found by their service manifests ({@code plugin.discovery=service_load}). With the
 * system property {@code kvl.connect.plugin.path} (set by failsafe to the assembled plugin
 * directory) the kvl plugins load from there, in their own class loader, as in production; the
 * copies on the test class path are then ignored (Connect prefers isolated plugins).
 */
final class ConnectWorker implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Plugins plugins;
    private final StandaloneHerder herder;
    private final ClassLoader savedContextLoader;

    private ConnectWorker(
            Plugins plugins, StandaloneHerder herder, ClassLoader savedContextLoader) {
        this.plugins = plugins;
        this.herder = herder;
        this.savedContextLoader = savedContextLoader;
    }

    static ConnectWorker start(String bootstrapServers, Path offsetsFile) {
        Map<String, String> props = new HashMap<>();
        props.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(WorkerConfig.KEY_CONVERTER_CLASS_CONFIG, StringConverter.class.getName());
        props.put(WorkerConfig.VALUE_CONVERTER_CLASS_CONFIG, ByteArrayConverter.class.getName());
        props.put(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG, offsetsFile.toString());
        props.put(WorkerConfig.OFFSET_COMMIT_INTERVAL_MS_CONFIG, "300");
        props.put(WorkerConfig.PLUGIN_DISCOVERY_CONFIG, "service_load");
        props.put("producer.max.request.size", Integer.toString(16 << 20));
        String pluginPath = System.getProperty("kvl.connect.plugin.path");
        // Apicurio's converter is a plugin of its own (module registry-converter-plugin).
        String converterPath = System.getProperty("kvl.connect.converter.plugin.path");
        if (pluginPath != null) {
            props.put(
                    WorkerConfig.PLUGIN_PATH_CONFIG,
                    converterPath == null ? pluginPath : pluginPath + "," + converterPath);
        }
        Plugins plugins = new Plugins(props);
        // As ConnectStandalone does: the worker's threads (created from this one) resolve class
        // names in configs, e.g. a converter's, through the plugins' delegating loader.
        ClassLoader saved = plugins.compareAndSwapWithDelegatingLoader();
        StandaloneConfig config = new StandaloneConfig(props);
        FileOffsetBackingStore offsets =
                new FileOffsetBackingStore(
                        plugins.newInternalConverter(
                                true,
                                JsonConverter.class.getName(),
                                Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false")));
        offsets.configure(config);
        ConnectorClientConfigOverridePolicy policy =
                plugins.newPlugin(
                        config.getString(WorkerConfig.CONNECTOR_CLIENT_POLICY_CLASS_CONFIG),
                        config,
                        ConnectorClientConfigOverridePolicy.class);
        Worker worker = new Worker("it-worker", Time.SYSTEM, plugins, config, offsets, policy);
        StandaloneHerder herder = new StandaloneHerder(worker, config.kafkaClusterId(), policy);
        herder.start();
        return new ConnectWorker(plugins, herder, saved);
    }

    /** The class loader the worker uses for a connector or converter class. */
    ClassLoader loaderOf(String pluginClass) {
        return plugins.connectorLoader(pluginClass, null);
    }

    void createConnector(String name, Map<String, String> config) throws Exception {
        Map<String, String> withName = new HashMap<>(config);
        withName.put("name", name);
        FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        herder.putConnectorConfig(name, withName, false, created);
        created.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitRunning(name);
    }

    void deleteConnector(String name) throws Exception {
        FutureCallback<Herder.Created<ConnectorInfo>> deleted = new FutureCallback<>();
        herder.deleteConnectorConfig(name, deleted);
        deleted.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    ConnectorStateInfo status(String name) {
        return herder.connectorStatus(name);
    }

    private void awaitRunning(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ConnectorStateInfo status = herder.connectorStatus(name);
            List<ConnectorStateInfo.TaskState> tasks = status.tasks();
            if (tasks.stream().anyMatch(t -> t.state().equals("FAILED"))) {
                throw new IllegalStateException("A task of " + name + " failed: " + tasks);
            }
            if (status.connector().state().equals("RUNNING")
                    && !tasks.isEmpty()
                    && tasks.stream().allMatch(t -> t.state().equals("RUNNING"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " not running: " + herder.connectorStatus(name));
    }

    @Override
    public void close() {
        herder.stop();
        Thread.currentThread().setContextClassLoader(savedContextLoader);
    }
}
