package io.kvl.streams.config;

import io.kvl.video.SamplingMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of the labeling application: its own keys (topics, model, batching, sampling,
 * limits) plus any Kafka Streams, consumer or producer key, which is passed through. Read from a
 * properties file; environment variables {@code KVL_<KEY>} (upper case, dots as underscores, e.g.
 * {@code KVL_BATCH_SIZE}) override the file. Invalid values fail at start with the key and reason.
 */
public final class LabelerConfig extends AbstractConfig {

    public static final String CHUNKS_TOPIC_CONFIG = "topic.chunks";
    public static final String CHUNKS_TOPIC_DEFAULT = "kvl.video-chunks";

    public static final String FRAMES_TOPIC_CONFIG = "topic.frames";
    public static final String FRAMES_TOPIC_DEFAULT = "kvl.frames";

    public static final String LABELS_TOPIC_CONFIG = "topic.labels";
    public static final String LABELS_TOPIC_DEFAULT = "kvl.labeled-frames";

    public static final String DLQ_TOPIC_CONFIG = "topic.dead.letters";
    public static final String DLQ_TOPIC_DEFAULT = "kvl.dead-letters";

    public static final String COUNTS_TOPIC_CONFIG = "topic.label.counts";
    public static final String COUNTS_TOPIC_DEFAULT = "kvl.label-counts";

    public static final String ALERTS_TOPIC_CONFIG = "topic.alerts";
    public static final String ALERTS_TOPIC_DEFAULT = "kvl.alerts";

    public static final String AGGREGATION_ENABLED_CONFIG = "aggregation.enabled";

    public static final String COUNTS_WINDOW_SIZE_MS_CONFIG = "counts.window.size.ms";

    public static final String COUNTS_WINDOW_ADVANCE_MS_CONFIG = "counts.window.advance.ms";

    public static final String COUNTS_GRACE_MS_CONFIG = "counts.grace.ms";

    public static final String COUNTS_EMIT_CONFIG = "counts.emit";

    public static final String COUNTS_MIN_SCORE_CONFIG = "counts.min.score";

    public static final String ALERT_RULES_FILE_CONFIG = "alerts.rules.file";

    public static final String MODEL_DIR_CONFIG = "model.dir";

    public static final String MODEL_DEVICE_CONFIG = "model.device";

    public static final String MODEL_INTRA_OP_THREADS_CONFIG = "model.intra.op.threads";

    public static final String MODEL_INTER_OP_THREADS_CONFIG = "model.inter.op.threads";

    public static final String MODEL_PRECISION_CONFIG = "model.precision";

    public static final String TOP_K_CONFIG = "labels.top.k";

    public static final String BATCH_SIZE_CONFIG = "batch.size";

    public static final String BATCH_MAX_DELAY_MS_CONFIG = "batch.max.delay.ms";

    public static final String SAMPLING_MODE_CONFIG = "sampling.mode";

    public static final String SAMPLING_FPS_CONFIG = "sampling.fps";

    public static final String MAX_CHUNK_BYTES_CONFIG = "max.chunk.bytes";

    public static final String MAX_FRAME_BYTES_CONFIG = "max.frame.bytes";

    public static final String CAMERAS_CONFIG = "cameras";

    public static final String HTTP_PORT_CONFIG = "http.port";

    private static final ConfigDef CONFIG = LabelerConfigDef.definition();

    /** Environment variables of the launcher and logging, not configuration keys. */
    private static final Set<String> LAUNCHER_VARIABLES =
            Set.of("KVL_JAVA_OPTS", "KVL_LOG_LEVEL", "KVL_DEBUG", "KVL_HOME");

    /** Keys this class owns; every other key is handed to Kafka Streams. */
    private static final Set<String> OWN_KEYS = CONFIG.names();

    private final Map<String, String> originalStrings;

    public LabelerConfig(Map<?, ?> props) {
        super(CONFIG, props);
        this.originalStrings = stringMap(props);
        if (getInt(BATCH_SIZE_CONFIG) > 256) {
            throw new ConfigException(BATCH_SIZE_CONFIG, getInt(BATCH_SIZE_CONFIG), "at most 256");
        }
        if (getLong(COUNTS_WINDOW_ADVANCE_MS_CONFIG) > getLong(COUNTS_WINDOW_SIZE_MS_CONFIG)) {
            throw new ConfigException(
                    COUNTS_WINDOW_ADVANCE_MS_CONFIG,
                    getLong(COUNTS_WINDOW_ADVANCE_MS_CONFIG),
                    "must not exceed " + COUNTS_WINDOW_SIZE_MS_CONFIG);
        }
        if (!originalStrings.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException(
                    "Missing required configuration \"bootstrap.servers\" which has no default"
                            + " value.");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /**
     * Reads a properties file and applies {@code KVL_*} environment overrides.
     *
     * @throws ConfigException naming the key and the reason when a value is invalid
     */
    public static LabelerConfig load(Path file, Map<String, String> env) throws IOException {
        Properties p = new Properties();
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        Map<String, Object> props = new HashMap<>();
        p.forEach((k, v) -> props.put(k.toString(), v.toString().trim()));
        props.putAll(environmentOverrides(env));
        return new LabelerConfig(props);
    }

    /** {@code KVL_BATCH_SIZE=16} becomes {@code batch.size=16}. */
    static Map<String, String> environmentOverrides(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        env.forEach(
                (k, v) -> {
                    if (k.startsWith("KVL_") && k.length() > 4 && !LAUNCHER_VARIABLES.contains(k)) {
                        out.put(k.substring(4).toLowerCase(Locale.ROOT).replace('_', '.'), v);
                    }
                });
        return out;
    }

    /**
     * Kafka Streams properties: every key this class does not own, over the application's defaults
     * (exactly-once v2, producer and consumer sizes for multi-MB chunks).
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "kvl-labeler");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "4");
        // Labeled frames per chunk are few, but chunks are up to max.chunk.bytes: size the clients.
        int maxBytes = Math.max(getInt(MAX_CHUNK_BYTES_CONFIG), getInt(MAX_FRAME_BYTES_CONFIG));
        int requestBytes = maxBytes + (1 << 20);
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(requestBytes));
        p.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                Integer.toString(requestBytes));
        p.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG),
                Integer.toString(4 * requestBytes));
        // A chunk is a few seconds of video: a small poll keeps commit intervals predictable.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "16");
        // Corrupt records on the labels topic (read by the aggregation) go to the dead letters too.
        p.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler");
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic());
        // A store, changelog or repartition topic with a generated name changes when the topology
        // changes, and its state is lost on upgrade: refuse to build such a topology.
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        originalStrings.forEach(
                (k, v) -> {
                    if (!OWN_KEYS.contains(k)) {
                        p.put(k, v);
                    }
                });
        return p;
    }

    public String chunksTopic() {
        return getString(CHUNKS_TOPIC_CONFIG);
    }

    public String framesTopic() {
        return getString(FRAMES_TOPIC_CONFIG);
    }

    public String labelsTopic() {
        return getString(LABELS_TOPIC_CONFIG);
    }

    public String deadLetterTopic() {
        return getString(DLQ_TOPIC_CONFIG);
    }

    public String countsTopic() {
        return getString(COUNTS_TOPIC_CONFIG);
    }

    public String alertsTopic() {
        return getString(ALERTS_TOPIC_CONFIG);
    }

    public boolean aggregationEnabled() {
        return getBoolean(AGGREGATION_ENABLED_CONFIG);
    }

    public long windowSizeMs() {
        return getLong(COUNTS_WINDOW_SIZE_MS_CONFIG);
    }

    /** Hop between windows; equals the size for tumbling windows. */
    public long windowAdvanceMs() {
        long advance = getLong(COUNTS_WINDOW_ADVANCE_MS_CONFIG);
        return advance == 0 ? windowSizeMs() : advance;
    }

    public long graceMs() {
        return getLong(COUNTS_GRACE_MS_CONFIG);
    }

    public boolean emitFinalCountsOnly() {
        return "final".equals(getString(COUNTS_EMIT_CONFIG));
    }

    public double countsMinScore() {
        return getDouble(COUNTS_MIN_SCORE_CONFIG);
    }

    public String alertRulesFile() {
        return getString(ALERT_RULES_FILE_CONFIG);
    }

    public String modelDir() {
        return getString(MODEL_DIR_CONFIG);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE_CONFIG);
    }

    public long batchMaxDelayMs() {
        return getLong(BATCH_MAX_DELAY_MS_CONFIG);
    }

    public SamplingMode samplingMode() {
        return SamplingMode.fromConfig(getString(SAMPLING_MODE_CONFIG));
    }

    public double samplingFps() {
        return getDouble(SAMPLING_FPS_CONFIG);
    }

    public int topK() {
        return getInt(TOP_K_CONFIG);
    }

    public int maxChunkBytes() {
        return getInt(MAX_CHUNK_BYTES_CONFIG);
    }

    public int maxFrameBytes() {
        return getInt(MAX_FRAME_BYTES_CONFIG);
    }

    public List<String> cameras() {
        return getList(CAMERAS_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    private static Map<String, String> stringMap(Map<?, ?> props) {
        Map<String, String> m = new HashMap<>();
        props.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
        return m;
    }

    /** Markdown table of every key, for the README. */
    public static String toMarkdown() {
        StringBuilder sb =
                new StringBuilder("| key | type | default | valid values | description |\n");
        sb.append("|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey k : CONFIG.configKeys().values()) {
            Object def = k.hasDefault() ? k.defaultValue : "(required)";
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| `%s` | %s | `%s` | %s | %s |%n",
                            k.name,
                            k.type.name().toLowerCase(Locale.ROOT),
                            def,
                            k.validator == null ? "" : k.validator.toString(),
                            k.documentation));
        }
        return sb.toString();
    }
}
