package io.kvl.streams.config;

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
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of the labeling application: its own keys (topics, model, batching, sampling,
 * limits) plus any Kafka Streams, consumer or producer key, which is passed through. Read from a
 * properties file; environment variables {@code KVL_<KEY>} (upper case, dots as underscores, e.g.
 * {@code KVL_BATCH_SIZE}) override the file. Invalid values fail at start with the key and reason.
 */
public final class LabelerConfig extends AbstractConfig {
    private static final String GROUP_TOPICS = "Topics";
    private static final String GROUP_MODEL = "Model";
    private static final String GROUP_BATCHING = "Batching";
    private static final String GROUP_SAMPLING = "Sampling";
    private static final String GROUP_LIMITS = "Input limits";
    private static final String GROUP_OPS = "Operations";

    public static final String CHUNKS_TOPIC_CONFIG = "topic.chunks";
    private static final String CHUNKS_TOPIC_DOC =
            "Input topic of VideoChunk records (Avro), keyed by camera id.";
    public static final String CHUNKS_TOPIC_DEFAULT = "kvl.video-chunks";

    public static final String FRAMES_TOPIC_CONFIG = "topic.frames";
    private static final String FRAMES_TOPIC_DOC =
            "Input topic of single-image Frame records (Avro, JPEG or PNG), keyed by camera id.";
    public static final String FRAMES_TOPIC_DEFAULT = "kvl.frames";

    public static final String LABELS_TOPIC_CONFIG = "topic.labels";
    private static final String LABELS_TOPIC_DOC =
            "Output topic of LabeledFrame records (Avro), keyed by camera id.";
    public static final String LABELS_TOPIC_DEFAULT = "kvl.labeled-frames";

    public static final String DLQ_TOPIC_CONFIG = "topic.dead.letters";
    private static final String DLQ_TOPIC_DOC =
            "Dead-letter topic: DeadLetter envelopes (Avro) with the original key and value bytes;"
                    + " the reason is also in the kvl.dlq.* headers.";
    public static final String DLQ_TOPIC_DEFAULT = "kvl.dead-letters";

    public static final String COUNTS_TOPIC_CONFIG = "topic.label.counts";
    private static final String COUNTS_TOPIC_DOC =
            "Output topic of windowed LabelCount records (Avro), keyed camera|label|windowStart.";
    public static final String COUNTS_TOPIC_DEFAULT = "kvl.label-counts";

    public static final String ALERTS_TOPIC_CONFIG = "topic.alerts";
    private static final String ALERTS_TOPIC_DOC =
            "Output topic of Alert records (Avro), one per episode, keyed by camera id.";
    public static final String ALERTS_TOPIC_DEFAULT = "kvl.alerts";

    private static final String GROUP_AGGREGATION = "Aggregation and alerts";

    public static final String AGGREGATION_ENABLED_CONFIG = "aggregation.enabled";
    private static final String AGGREGATION_ENABLED_DOC =
            "Count labels per camera in windows and evaluate alert rules on the labeled frames.";

    public static final String COUNTS_WINDOW_SIZE_MS_CONFIG = "counts.window.size.ms";
    private static final String COUNTS_WINDOW_SIZE_MS_DOC = "Window length, by capture time.";

    public static final String COUNTS_WINDOW_ADVANCE_MS_CONFIG = "counts.window.advance.ms";
    private static final String COUNTS_WINDOW_ADVANCE_MS_DOC =
            "Hop between window starts; 0 means tumbling windows (advance = size).";

    public static final String COUNTS_GRACE_MS_CONFIG = "counts.grace.ms";
    private static final String COUNTS_GRACE_MS_DOC =
            "How late (in capture time) a frame may arrive and still be counted; later frames go to"
                    + " the dead-letter topic (reason late-frame).";

    public static final String COUNTS_EMIT_CONFIG = "counts.emit";
    private static final String COUNTS_EMIT_DOC =
            "final: one LabelCount per window and label when the window closes (suppressed);"
                    + " updates: a LabelCount on every change.";

    public static final String COUNTS_MIN_SCORE_CONFIG = "counts.min.score";
    private static final String COUNTS_MIN_SCORE_DOC =
            "A frame counts for a label when the label is among its top labels with at least this"
                    + " score.";

    public static final String ALERT_RULES_FILE_CONFIG = "alerts.rules.file";
    private static final String ALERT_RULES_FILE_DOC =
            "YAML or JSON file of label groups and alert rules; empty disables alerts. Its label"
                    + " groups are also counted as labels.";

    public static final String MODEL_DIR_CONFIG = "model.dir";
    private static final String MODEL_DIR_DOC =
            "SavedModel directory written by 'kvl export'. Empty: the bundled EfficientNet-Lite0"
                    + " ImageNet model.";

    public static final String MODEL_DEVICE_CONFIG = "model.device";
    private static final String MODEL_DEVICE_DOC =
            "auto (first GPU when visible, else CPU), cpu, gpu or gpu:N.";

    public static final String MODEL_INTRA_OP_THREADS_CONFIG = "model.intra.op.threads";
    private static final String MODEL_INTRA_OP_THREADS_DOC =
            "Threads inside one TensorFlow kernel; 0 = all cores.";

    public static final String MODEL_INTER_OP_THREADS_CONFIG = "model.inter.op.threads";
    private static final String MODEL_INTER_OP_THREADS_DOC =
            "TensorFlow kernels run concurrently; 0 = TensorFlow's default.";

    public static final String MODEL_PRECISION_CONFIG = "model.precision";
    private static final String MODEL_PRECISION_DOC =
            "fp32, or bf16 (oneDNN bfloat16 rewrite: only faster on CPUs with AMX).";

    public static final String TOP_K_CONFIG = "labels.top.k";
    private static final String TOP_K_DOC = "Labels kept per frame, best first.";

    public static final String BATCH_SIZE_CONFIG = "batch.size";
    private static final String BATCH_SIZE_DOC =
            "Most frames in one inference batch, across cameras and stream threads. Rule of thumb:"
                    + " about the number of cameras.";

    public static final String BATCH_MAX_DELAY_MS_CONFIG = "batch.max.delay.ms";
    private static final String BATCH_MAX_DELAY_MS_DOC =
            "Longest a frame waits for the batch to fill. Rule of thumb: about one frame interval"
                    + " of the cameras (40 ms at 25 fps).";

    public static final String SAMPLING_MODE_CONFIG = "sampling.mode";
    private static final String SAMPLING_MODE_DOC =
            "Which decoded frames are labeled: fps (sampling.fps per camera, by capture time),"
                    + " keyframes, or all.";

    public static final String SAMPLING_FPS_CONFIG = "sampling.fps";
    private static final String SAMPLING_FPS_DOC = "Target labeled frames per second per camera.";

    public static final String MAX_CHUNK_BYTES_CONFIG = "max.chunk.bytes";
    private static final String MAX_CHUNK_BYTES_DOC =
            "Larger video chunks go to the dead-letter topic (reason oversize).";

    public static final String MAX_FRAME_BYTES_CONFIG = "max.frame.bytes";
    private static final String MAX_FRAME_BYTES_DOC =
            "Larger single-image frames go to the dead-letter topic (reason oversize).";

    public static final String CAMERAS_CONFIG = "cameras";
    private static final String CAMERAS_DOC =
            "Known camera ids; records of other cameras go to the dead-letter topic (reason"
                    + " unknown-camera). Empty: every camera is accepted.";

    public static final String METRICS_PORT_CONFIG = "http.port";
    private static final String METRICS_PORT_DOC =
            "Port of the HTTP server for /metrics (Prometheus) and queries; -1 disables it.";

    private static final ConfigDef CONFIG = definition();

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

    private static ConfigDef definition() {
        ConfigDef d = new ConfigDef();
        topics(d);
        model(d);
        int order = 0;
        d.define(
                BATCH_SIZE_CONFIG,
                Type.INT,
                8,
                Range.between(1, 256),
                Importance.HIGH,
                BATCH_SIZE_DOC,
                GROUP_BATCHING,
                ++order,
                ConfigDef.Width.SHORT,
                BATCH_SIZE_CONFIG);
        d.define(
                BATCH_MAX_DELAY_MS_CONFIG,
                Type.LONG,
                40L,
                Range.between(0, 10_000),
                Importance.HIGH,
                BATCH_MAX_DELAY_MS_DOC,
                GROUP_BATCHING,
                ++order,
                ConfigDef.Width.SHORT,
                BATCH_MAX_DELAY_MS_CONFIG);
        order = 0;
        d.define(
                SAMPLING_MODE_CONFIG,
                Type.STRING,
                "fps",
                ValidString.in("fps", "keyframes", "all"),
                Importance.HIGH,
                SAMPLING_MODE_DOC,
                GROUP_SAMPLING,
                ++order,
                ConfigDef.Width.SHORT,
                SAMPLING_MODE_CONFIG);
        d.define(
                SAMPLING_FPS_CONFIG,
                Type.DOUBLE,
                2.0,
                Range.between(0.001, 240),
                Importance.HIGH,
                SAMPLING_FPS_DOC,
                GROUP_SAMPLING,
                ++order,
                ConfigDef.Width.SHORT,
                SAMPLING_FPS_CONFIG);
        order = 0;
        d.define(
                MAX_CHUNK_BYTES_CONFIG,
                Type.INT,
                8 << 20,
                Range.between(1024, 64 << 20),
                Importance.MEDIUM,
                MAX_CHUNK_BYTES_DOC,
                GROUP_LIMITS,
                ++order,
                ConfigDef.Width.SHORT,
                MAX_CHUNK_BYTES_CONFIG);
        d.define(
                MAX_FRAME_BYTES_CONFIG,
                Type.INT,
                4 << 20,
                Range.between(1024, 64 << 20),
                Importance.MEDIUM,
                MAX_FRAME_BYTES_DOC,
                GROUP_LIMITS,
                ++order,
                ConfigDef.Width.SHORT,
                MAX_FRAME_BYTES_CONFIG);
        d.define(
                CAMERAS_CONFIG,
                Type.LIST,
                "",
                Importance.MEDIUM,
                CAMERAS_DOC,
                GROUP_LIMITS,
                ++order,
                ConfigDef.Width.LONG,
                CAMERAS_CONFIG);
        aggregation(d);
        d.define(
                METRICS_PORT_CONFIG,
                Type.INT,
                9400,
                Range.between(-1, 65535),
                Importance.MEDIUM,
                METRICS_PORT_DOC,
                GROUP_OPS,
                1,
                ConfigDef.Width.SHORT,
                METRICS_PORT_CONFIG);
        return d;
    }

    private static void aggregation(ConfigDef d) {
        int order = 0;
        d.define(
                AGGREGATION_ENABLED_CONFIG,
                Type.BOOLEAN,
                true,
                Importance.HIGH,
                AGGREGATION_ENABLED_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                AGGREGATION_ENABLED_CONFIG);
        d.define(
                COUNTS_WINDOW_SIZE_MS_CONFIG,
                Type.LONG,
                60_000L,
                Range.atLeast(1),
                Importance.HIGH,
                COUNTS_WINDOW_SIZE_MS_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                COUNTS_WINDOW_SIZE_MS_CONFIG);
        d.define(
                COUNTS_WINDOW_ADVANCE_MS_CONFIG,
                Type.LONG,
                0L,
                Range.atLeast(0),
                Importance.MEDIUM,
                COUNTS_WINDOW_ADVANCE_MS_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                COUNTS_WINDOW_ADVANCE_MS_CONFIG);
        d.define(
                COUNTS_GRACE_MS_CONFIG,
                Type.LONG,
                10_000L,
                Range.atLeast(0),
                Importance.MEDIUM,
                COUNTS_GRACE_MS_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                COUNTS_GRACE_MS_CONFIG);
        d.define(
                COUNTS_EMIT_CONFIG,
                Type.STRING,
                "final",
                ValidString.in("final", "updates"),
                Importance.MEDIUM,
                COUNTS_EMIT_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                COUNTS_EMIT_CONFIG);
        d.define(
                COUNTS_MIN_SCORE_CONFIG,
                Type.DOUBLE,
                0.2,
                Range.between(0, 1),
                Importance.MEDIUM,
                COUNTS_MIN_SCORE_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.SHORT,
                COUNTS_MIN_SCORE_CONFIG);
        d.define(
                ALERT_RULES_FILE_CONFIG,
                Type.STRING,
                "",
                Importance.HIGH,
                ALERT_RULES_FILE_DOC,
                GROUP_AGGREGATION,
                ++order,
                ConfigDef.Width.LONG,
                ALERT_RULES_FILE_CONFIG);
    }

    private static void topics(ConfigDef d) {
        int order = 0;
        String[][] topics = {
            {CHUNKS_TOPIC_CONFIG, CHUNKS_TOPIC_DEFAULT, CHUNKS_TOPIC_DOC},
            {FRAMES_TOPIC_CONFIG, FRAMES_TOPIC_DEFAULT, FRAMES_TOPIC_DOC},
            {LABELS_TOPIC_CONFIG, LABELS_TOPIC_DEFAULT, LABELS_TOPIC_DOC},
            {DLQ_TOPIC_CONFIG, DLQ_TOPIC_DEFAULT, DLQ_TOPIC_DOC},
            {COUNTS_TOPIC_CONFIG, COUNTS_TOPIC_DEFAULT, COUNTS_TOPIC_DOC},
            {ALERTS_TOPIC_CONFIG, ALERTS_TOPIC_DEFAULT, ALERTS_TOPIC_DOC},
        };
        for (String[] t : topics) {
            d.define(
                    t[0],
                    Type.STRING,
                    t[1],
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    t[2],
                    GROUP_TOPICS,
                    ++order,
                    ConfigDef.Width.MEDIUM,
                    t[0]);
        }
    }

    private static void model(ConfigDef d) {
        int order = 0;
        d.define(
                MODEL_DIR_CONFIG,
                Type.STRING,
                "",
                Importance.HIGH,
                MODEL_DIR_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.LONG,
                MODEL_DIR_CONFIG);
        d.define(
                MODEL_DEVICE_CONFIG,
                Type.STRING,
                "auto",
                new DeviceValidator(),
                Importance.HIGH,
                MODEL_DEVICE_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                MODEL_DEVICE_CONFIG);
        d.define(
                MODEL_INTRA_OP_THREADS_CONFIG,
                Type.INT,
                0,
                Range.between(0, 1024),
                Importance.LOW,
                MODEL_INTRA_OP_THREADS_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                MODEL_INTRA_OP_THREADS_CONFIG);
        d.define(
                MODEL_INTER_OP_THREADS_CONFIG,
                Type.INT,
                0,
                Range.between(0, 1024),
                Importance.LOW,
                MODEL_INTER_OP_THREADS_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                MODEL_INTER_OP_THREADS_CONFIG);
        d.define(
                MODEL_PRECISION_CONFIG,
                Type.STRING,
                "fp32",
                ValidString.in("fp32", "bf16"),
                Importance.LOW,
                MODEL_PRECISION_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                MODEL_PRECISION_CONFIG);
        d.define(
                TOP_K_CONFIG,
                Type.INT,
                5,
                Range.between(1, 100),
                Importance.MEDIUM,
                TOP_K_DOC,
                GROUP_MODEL,
                ++order,
                ConfigDef.Width.SHORT,
                TOP_K_CONFIG);
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
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
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

    public String samplingMode() {
        return getString(SAMPLING_MODE_CONFIG);
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
        return getInt(METRICS_PORT_CONFIG);
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
