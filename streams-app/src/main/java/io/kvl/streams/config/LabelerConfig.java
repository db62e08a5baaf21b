package io.kvl.streams.config;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.kvl.config.ConfigGroup;
import io.kvl.config.ConfigMarkdown;
import io.kvl.efficientnet.runtime.DeviceChoice;
import io.kvl.efficientnet.runtime.RuntimeOptions;
import io.kvl.efficientnet.runtime.RuntimeOptions.ModelEngine;
import io.kvl.efficientnet.runtime.RuntimeOptions.Precision;
import io.kvl.registry.RegistryOptions;
import io.kvl.registry.SerdeFormat;
import io.kvl.registry.SubjectNaming;
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
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Configuration of the labeling application: its own keys (topics, model, batching, sampling,
 * limits) plus any Kafka Streams, consumer or producer key, which is passed through. Read from a
 * properties file; environment variables {@code KVL_<KEY>} (upper case, dots as underscores, e.g.
 * {@code KVL_BATCH_SIZE}) override the file. Invalid values fail at start with the key and reason.
 */
public final class LabelerConfig extends AbstractConfig {

    /**
     * Kafka Streams' {@code commit.interval.ms} unless set: 20 ms, not the 100 ms Kafka Streams
     * uses with exactly-once, because labels are visible only once committed.
     */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 20;

    /**
     * The producers' {@code transaction.timeout.ms} unless set: 60 s (the Kafka producer's default;
     * Kafka Streams lowers it to 10 s with exactly-once). It must exceed the time a stream thread
     * takes to process one chunk of each of its tasks.
     */
    public static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

    private static final String GROUP_TOPICS = "Topics";
    public static final String CHUNKS_TOPIC_CONFIG = "topic.chunks";
    public static final String CHUNKS_TOPIC_DOC =
            "Input topic of VideoChunk records (Avro), keyed by camera id.";
    public static final String CHUNKS_TOPIC_DEFAULT = "kvl.video-chunks";
    public static final String CHUNKS_TOPIC_DISPLAY = "Video chunk topic";

    public static final String FRAMES_TOPIC_CONFIG = "topic.frames";
    public static final String FRAMES_TOPIC_DOC =
            "Input topic of single-image Frame records (Avro, JPEG or PNG), keyed by camera id.";
    public static final String FRAMES_TOPIC_DEFAULT = "kvl.frames";
    public static final String FRAMES_TOPIC_DISPLAY = "Frame topic";

    public static final String LABELS_TOPIC_CONFIG = "topic.labels";
    public static final String LABELS_TOPIC_DOC =
            "Output topic of LabeledFrame records (Avro), keyed by camera id.";
    public static final String LABELS_TOPIC_DEFAULT = "kvl.labeled-frames";
    public static final String LABELS_TOPIC_DISPLAY = "Labeled frame topic";

    public static final String DLQ_TOPIC_CONFIG = "topic.dead.letters";
    public static final String DLQ_TOPIC_DOC =
            "Dead-letter topic: DeadLetter envelopes (Avro) with the original key and value bytes;"
                    + " the reason is also in the kvl.dlq.* headers.";
    public static final String DLQ_TOPIC_DEFAULT = "kvl.dead-letters";
    public static final String DLQ_TOPIC_DISPLAY = "Dead-letter topic";

    public static final String COUNTS_TOPIC_CONFIG = "topic.label.counts";
    public static final String COUNTS_TOPIC_DOC =
            "Output topic of windowed LabelCount records (Avro), keyed camera|label|windowStart.";
    public static final String COUNTS_TOPIC_DEFAULT = "kvl.label-counts";
    public static final String COUNTS_TOPIC_DISPLAY = "Label count topic";

    public static final String ALERTS_TOPIC_CONFIG = "topic.alerts";
    public static final String ALERTS_TOPIC_DOC =
            "Output topic of Alert records (Avro), one per episode, keyed by camera id.";
    public static final String ALERTS_TOPIC_DEFAULT = "kvl.alerts";
    public static final String ALERTS_TOPIC_DISPLAY = "Alert topic";

    private static final String GROUP_MODEL = "Model";
    public static final String MODEL_DIR_CONFIG = "model.dir";
    public static final String MODEL_DIR_DOC =
            "Model directory written by 'kvl export' (SavedModel and model.onnx). Empty: the"
                    + " bundled EfficientNet-Lite0 ImageNet model.";
    public static final String MODEL_DIR_DEFAULT = "";
    public static final String MODEL_DIR_DISPLAY = "Model directory";

    public static final String MODEL_ENGINE_CONFIG = "model.engine";
    public static final String MODEL_ENGINE_DOC =
            "auto, tensorflow or onnxruntime. auto: onnxruntime for int8, tensorflow for bf16,"
                    + " otherwise both engines run the model at warm-up and the faster one stays"
                    + " (logged, and tagged on the kvl.model.engine metric).";
    public static final String MODEL_ENGINE_DEFAULT = "auto";
    public static final String MODEL_ENGINE_DISPLAY = "Engine";

    public static final String MODEL_DEVICE_CONFIG = "model.device";
    public static final String MODEL_DEVICE_DOC =
            "auto (first GPU when visible, else CPU), cpu, gpu or gpu:N.";
    public static final String MODEL_DEVICE_DEFAULT = "auto";
    public static final String MODEL_DEVICE_DISPLAY = "Device";

    public static final String MODEL_INTRA_OP_THREADS_CONFIG = "model.intra.op.threads";
    public static final String MODEL_INTRA_OP_THREADS_DOC =
            "Threads inside one kernel of the inference engine; 0 = all cores.";
    public static final int MODEL_INTRA_OP_THREADS_DEFAULT = 0;
    public static final String MODEL_INTRA_OP_THREADS_DISPLAY = "Intra-op threads";

    public static final String MODEL_INTER_OP_THREADS_CONFIG = "model.inter.op.threads";
    public static final String MODEL_INTER_OP_THREADS_DOC =
            "Kernels the engine runs concurrently; 0 = the engine's default.";
    public static final int MODEL_INTER_OP_THREADS_DEFAULT = 0;
    public static final String MODEL_INTER_OP_THREADS_DISPLAY = "Inter-op threads";

    public static final String MODEL_WORKERS_CONFIG = "model.workers";
    public static final String MODEL_WORKERS_DOC =
            "Inference threads, each with its own predictor, taking batches from the shared queue."
                    + " With model.intra.op.threads=1 and one worker per core, a batch forms while"
                    + " another runs, and a core busy decoding slows one batch instead of stalling"
                    + " every thread of a parallel kernel.";
    public static final int MODEL_WORKERS_DEFAULT = 1;
    public static final String MODEL_WORKERS_DISPLAY = "Inference workers";

    public static final String MODEL_PRECISION_CONFIG = "model.precision";
    public static final String MODEL_PRECISION_DOC =
            "fp32; bf16 (TensorFlow's oneDNN bfloat16 rewrite: pays only on CPUs with"
                    + " AVX512_BF16 or AMX, at larger batches);"
                    + " or int8 (ONNX Runtime, post-training static quantization: with the default"
                    + " model, quantized at start from model.calibration.path when not done yet;"
                    + " with model.dir, export it with 'kvl export --int8-calibration').";
    public static final String MODEL_PRECISION_DEFAULT = "fp32";
    public static final String MODEL_PRECISION_DISPLAY = "Precision";

    public static final String MODEL_CALIBRATION_PATH_CONFIG = "model.calibration.path";
    public static final String MODEL_CALIBRATION_PATH_DOC =
            "Photos, video clips or directories of them (comma-separated) to calibrate INT8 on."
                    + " Empty: the bundled sample clips.";
    public static final String MODEL_CALIBRATION_PATH_DEFAULT = "";
    public static final String MODEL_CALIBRATION_PATH_DISPLAY = "INT8 calibration data";

    public static final String TOP_K_CONFIG = "labels.top.k";
    public static final String TOP_K_DOC = "Labels kept per frame, best first.";
    public static final int TOP_K_DEFAULT = 5;
    public static final String TOP_K_DISPLAY = "Labels per frame";

    private static final String GROUP_BATCHING = "Batching";
    public static final String BATCH_SIZE_CONFIG = "batch.size";
    public static final String BATCH_SIZE_DOC =
            "Most frames in one inference batch, across cameras and stream threads, or auto:"
                + " measure throughput at warm-up for 1, 2, 4, ... up to batch.max.size and take"
                + " the smallest within 5% of the best (logged; metric kvl.batch.limit). Rule of"
                + " thumb: about the number of cameras.";
    public static final String BATCH_SIZE_DEFAULT = "8";
    public static final String BATCH_SIZE_DISPLAY = "Batch size";

    public static final String BATCH_MAX_SIZE_CONFIG = "batch.max.size";
    public static final String BATCH_MAX_SIZE_DOC = "Largest batch batch.size=auto tries.";
    public static final int BATCH_MAX_SIZE_DEFAULT = 32;
    public static final String BATCH_MAX_SIZE_DISPLAY = "Largest automatic batch";

    public static final String BATCH_MAX_DELAY_MS_CONFIG = "batch.max.delay.ms";
    public static final String BATCH_MAX_DELAY_MS_DOC =
            "Longest a frame waits for the batch to fill. Rule of thumb: about one frame interval"
                    + " of the cameras (40 ms at 25 fps).";
    public static final long BATCH_MAX_DELAY_MS_DEFAULT = 40L;
    public static final String BATCH_MAX_DELAY_MS_DISPLAY = "Batch delay (ms)";

    private static final String GROUP_SAMPLING = "Sampling";
    public static final String SAMPLING_MODE_CONFIG = "sampling.mode";
    public static final String SAMPLING_MODE_DOC =
            "Which decoded frames are labeled: fps (sampling.fps per camera, by capture time),"
                    + " keyframes, or all.";
    public static final String SAMPLING_MODE_DEFAULT = SamplingMode.FPS.configValue();
    public static final String SAMPLING_MODE_DISPLAY = "Sampling mode";

    public static final String SAMPLING_FPS_CONFIG = "sampling.fps";
    public static final String SAMPLING_FPS_DOC = "Target labeled frames per second per camera.";
    public static final double SAMPLING_FPS_DEFAULT = 2.0;
    public static final String SAMPLING_FPS_DISPLAY = "Sampled frames per second";

    private static final String GROUP_INPUT_LIMITS = "Input limits";
    public static final String MAX_CHUNK_BYTES_CONFIG = "max.chunk.bytes";
    public static final String MAX_CHUNK_BYTES_DOC =
            "Larger video chunks go to the dead-letter topic (reason oversize).";
    public static final int MAX_CHUNK_BYTES_DEFAULT = 8 << 20;
    public static final String MAX_CHUNK_BYTES_DISPLAY = "Largest chunk (bytes)";

    public static final String MAX_FRAME_BYTES_CONFIG = "max.frame.bytes";
    public static final String MAX_FRAME_BYTES_DOC =
            "Larger single-image frames go to the dead-letter topic (reason oversize).";
    public static final int MAX_FRAME_BYTES_DEFAULT = 4 << 20;
    public static final String MAX_FRAME_BYTES_DISPLAY = "Largest frame (bytes)";

    public static final String CAMERAS_CONFIG = "cameras";
    public static final String CAMERAS_DOC =
            "Known camera ids; records of other cameras go to the dead-letter topic (reason"
                    + " unknown-camera). Empty: every camera is accepted.";
    public static final String CAMERAS_DEFAULT = "";
    public static final String CAMERAS_DISPLAY = "Cameras";

    private static final String GROUP_AGGREGATION_AND_ALERTS = "Aggregation and alerts";
    public static final String AGGREGATION_ENABLED_CONFIG = "aggregation.enabled";
    public static final String AGGREGATION_ENABLED_DOC =
            "Count labels per camera in windows and evaluate alert rules on the labeled frames.";
    public static final boolean AGGREGATION_ENABLED_DEFAULT = true;
    public static final String AGGREGATION_ENABLED_DISPLAY = "Aggregation";

    public static final String COUNTS_WINDOW_SIZE_MS_CONFIG = "counts.window.size.ms";
    public static final String COUNTS_WINDOW_SIZE_MS_DOC = "Window length, by capture time.";
    public static final long COUNTS_WINDOW_SIZE_MS_DEFAULT = 60_000L;
    public static final String COUNTS_WINDOW_SIZE_MS_DISPLAY = "Window size (ms)";

    public static final String COUNTS_WINDOW_ADVANCE_MS_CONFIG = "counts.window.advance.ms";
    public static final String COUNTS_WINDOW_ADVANCE_MS_DOC =
            "Hop between window starts; 0 means tumbling windows (advance = size).";
    public static final long COUNTS_WINDOW_ADVANCE_MS_DEFAULT = 0L;
    public static final String COUNTS_WINDOW_ADVANCE_MS_DISPLAY = "Window advance (ms)";

    public static final String COUNTS_GRACE_MS_CONFIG = "counts.grace.ms";
    public static final String COUNTS_GRACE_MS_DOC =
            "How late (in capture time) a frame may arrive and still be counted; later frames go to"
                    + " the dead-letter topic (reason late-frame).";
    public static final long COUNTS_GRACE_MS_DEFAULT = 10_000L;
    public static final String COUNTS_GRACE_MS_DISPLAY = "Grace (ms)";

    public static final String COUNTS_EMIT_CONFIG = "counts.emit";
    public static final String COUNTS_EMIT_DOC =
            "final: one LabelCount per window and label when the window closes (suppressed);"
                    + " updates: a LabelCount on every change.";
    public static final String COUNTS_EMIT_DEFAULT = CountsEmit.FINAL.configValue();
    public static final String COUNTS_EMIT_DISPLAY = "Count emission";

    public static final String COUNTS_MIN_SCORE_CONFIG = "counts.min.score";
    public static final String COUNTS_MIN_SCORE_DOC =
            "A frame counts for a label when the label is among its top labels with at least this"
                    + " score.";
    public static final double COUNTS_MIN_SCORE_DEFAULT = 0.2;
    public static final String COUNTS_MIN_SCORE_DISPLAY = "Minimum score";

    public static final String ALERT_RULES_FILE_CONFIG = "alerts.rules.file";
    public static final String ALERT_RULES_FILE_DOC =
            "YAML or JSON file of label groups and alert rules; empty disables alerts. Its label"
                    + " groups are also counted as labels.";
    public static final String ALERT_RULES_FILE_DEFAULT = "";
    public static final String ALERT_RULES_FILE_DISPLAY = "Alert rules file";

    private static final String GROUP_REGISTRY = "Schema registry";
    public static final String SERDE_FORMAT_CONFIG = "serde.format";
    public static final String SERDE_FORMAT_DOC =
            "Wire format of the events written (labels, counts, alerts, dead letters):"
                + " single-object (Avro single-object encoding, schema fingerprint in each record,"
                + " no registry) or confluent (byte 0 and a 4-byte schema id of"
                + " schema.registry.url, for Confluent-compatible consumers and converters). Inputs"
                + " are read in either format, recognised by their first bytes.";
    public static final String SERDE_FORMAT_DEFAULT = SerdeFormat.SINGLE_OBJECT.configValue();
    public static final String SERDE_FORMAT_DISPLAY = "Serde format";

    public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String REGISTRY_URL_DOC =
            "Base URL of the schema registry (Apicurio Registry, e.g. http://registry:8080; its"
                + " /apis/registry/v3 API is used). Required by serde.format=confluent; when set"
                + " with single-object, Confluent-framed input is read through it too.";
    public static final String REGISTRY_URL_DEFAULT = "";
    public static final String REGISTRY_URL_DISPLAY = "Schema registry URL";

    public static final String REGISTRY_USER_CONFIG = "schema.registry.basic.auth.user";
    public static final String REGISTRY_USER_DOC =
            "Basic-auth user of the schema registry; empty for none.";
    public static final String REGISTRY_USER_DEFAULT = "";
    public static final String REGISTRY_USER_DISPLAY = "Registry user";

    public static final String REGISTRY_PASSWORD_CONFIG = "schema.registry.basic.auth.password";
    public static final String REGISTRY_PASSWORD_DOC =
            "Basic-auth password of the schema registry (never logged).";
    public static final String REGISTRY_PASSWORD_DEFAULT = "";
    public static final String REGISTRY_PASSWORD_DISPLAY = "Registry password";

    public static final String REGISTRY_SUBJECT_NAMING_CONFIG = "schema.registry.subject.naming";
    public static final String REGISTRY_SUBJECT_NAMING_DOC =
            "Subject of each schema: topic (TopicNameStrategy, <topic>-value) or record"
                    + " (RecordNameStrategy, the record's full name, e.g."
                    + " io.kvl.schemas.LabeledFrame).";
    public static final String REGISTRY_SUBJECT_NAMING_DEFAULT = SubjectNaming.TOPIC.configValue();
    public static final String REGISTRY_SUBJECT_NAMING_DISPLAY = "Subject naming";

    public static final String REGISTRY_AUTO_REGISTER_CONFIG = "schema.registry.auto.register";
    public static final String REGISTRY_AUTO_REGISTER_DOC =
            "Register the output schemas at start (subjects created get BACKWARD compatibility; an"
                    + " incompatible schema fails the start naming the subject). false: only check"
                    + " that they are registered.";
    public static final boolean REGISTRY_AUTO_REGISTER_DEFAULT = true;
    public static final String REGISTRY_AUTO_REGISTER_DISPLAY = "Register schemas";

    public static final String REGISTRY_TRUSTSTORE_LOCATION_CONFIG =
            "schema.registry.ssl.truststore.location";
    public static final String REGISTRY_TRUSTSTORE_LOCATION_DOC =
            "Trust store for an https:// registry; empty: the JVM's default trust. Further"
                    + " apicurio.registry.* client keys (proxy, retries, tls) are passed through.";
    public static final String REGISTRY_TRUSTSTORE_LOCATION_DEFAULT = "";
    public static final String REGISTRY_TRUSTSTORE_LOCATION_DISPLAY = "Registry trust store";

    public static final String REGISTRY_TRUSTSTORE_PASSWORD_CONFIG =
            "schema.registry.ssl.truststore.password";
    public static final String REGISTRY_TRUSTSTORE_PASSWORD_DOC = "Password of the trust store.";
    public static final String REGISTRY_TRUSTSTORE_PASSWORD_DEFAULT = "";
    public static final String REGISTRY_TRUSTSTORE_PASSWORD_DISPLAY = "Trust store password";

    public static final String REGISTRY_TRUSTSTORE_TYPE_CONFIG =
            "schema.registry.ssl.truststore.type";
    public static final String REGISTRY_TRUSTSTORE_TYPE_DOC = "JKS, PKCS12 or PEM.";
    public static final String REGISTRY_TRUSTSTORE_TYPE_DEFAULT = "JKS";
    public static final String REGISTRY_TRUSTSTORE_TYPE_DISPLAY = "Trust store type";

    /** Apicurio client keys given in the configuration are passed to the registry clients. */
    private static final String APICURIO_PREFIX = "apicurio.registry.";

    private static final String GROUP_OPERATIONS = "Operations";
    public static final String HTTP_PORT_CONFIG = "http.port";
    public static final String HTTP_PORT_DOC =
            "Port of the HTTP server for /metrics (Prometheus) and queries; -1 disables it.";
    public static final int HTTP_PORT_DEFAULT = 9400;
    public static final String HTTP_PORT_DISPLAY = "HTTP port";

    public static final String DASHBOARD_ENABLED_CONFIG = "dashboard.enabled";
    public static final String DASHBOARD_ENABLED_DOC =
            "Serve the live dashboard at GET / on http.port (thumbnails of the latest frames are"
                    + " kept in memory, never written to Kafka).";
    public static final boolean DASHBOARD_ENABLED_DEFAULT = true;
    public static final String DASHBOARD_ENABLED_DISPLAY = "Dashboard";

    private static final ConfigDef CONFIG = definition();

    /** Environment variables of the launcher and logging, not configuration keys. */
    private static final Set<String> LAUNCHER_VARIABLES =
            Set.of("KVL_JAVA_OPTS", "KVL_LOG_LEVEL", "KVL_DEBUG", "KVL_HOME");

    /** Keys this class owns; every other key is handed to Kafka Streams. */
    private static final Set<String> OWN_KEYS = CONFIG.names();

    private final Map<String, String> originalStrings;

    public LabelerConfig(Map<?, ?> props) {
        super(CONFIG, numbersAsText(props));
        this.originalStrings = stringMap(props);
        try {
            new RuntimeOptions(modelEngine(), modelDevice(), 0, 0, modelPrecision());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    MODEL_PRECISION_CONFIG, getString(MODEL_PRECISION_CONFIG), e.getMessage());
        }
        if (getLong(COUNTS_WINDOW_ADVANCE_MS_CONFIG) > getLong(COUNTS_WINDOW_SIZE_MS_CONFIG)) {
            throw new ConfigException(
                    COUNTS_WINDOW_ADVANCE_MS_CONFIG,
                    getLong(COUNTS_WINDOW_ADVANCE_MS_CONFIG),
                    "must not exceed " + COUNTS_WINDOW_SIZE_MS_CONFIG);
        }
        if (serdeFormat() == SerdeFormat.CONFLUENT && getString(REGISTRY_URL_CONFIG).isBlank()) {
            throw new ConfigException(
                    REGISTRY_URL_CONFIG,
                    "",
                    "required by "
                            + SERDE_FORMAT_CONFIG
                            + "="
                            + SerdeFormat.CONFLUENT.configValue());
        }
        if (!originalStrings.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException(
                    "Missing required configuration \"bootstrap.servers\" which has no default"
                            + " value.");
        }
    }

    /**
     * {@code batch.size} is a string since it may be {@code auto}; a number given as an Integer
     * (Java callers, as before it could be auto) is still accepted.
     */
    private static Map<?, ?> numbersAsText(Map<?, ?> props) {
        if (!(props.get(BATCH_SIZE_CONFIG) instanceof Number n)) {
            return props;
        }
        Map<Object, Object> copy = new HashMap<>(props);
        copy.put(BATCH_SIZE_CONFIG, n.toString());
        return copy;
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        defineTopics(def);
        defineModel(def);
        defineBatching(def);
        defineSampling(def);
        defineInputLimits(def);
        defineAggregationAndAlerts(def);
        defineRegistry(def);
        defineOperations(def);
        return def;
    }

    private static void defineTopics(ConfigDef def) {
        new ConfigGroup(def, GROUP_TOPICS)
                .define(
                        CHUNKS_TOPIC_CONFIG,
                        Type.STRING,
                        CHUNKS_TOPIC_DEFAULT,
                        new NonEmptyString(),
                        Importance.HIGH,
                        CHUNKS_TOPIC_DOC,
                        CHUNKS_TOPIC_DISPLAY)
                .define(
                        FRAMES_TOPIC_CONFIG,
                        Type.STRING,
                        FRAMES_TOPIC_DEFAULT,
                        new NonEmptyString(),
                        Importance.HIGH,
                        FRAMES_TOPIC_DOC,
                        FRAMES_TOPIC_DISPLAY)
                .define(
                        LABELS_TOPIC_CONFIG,
                        Type.STRING,
                        LABELS_TOPIC_DEFAULT,
                        new NonEmptyString(),
                        Importance.HIGH,
                        LABELS_TOPIC_DOC,
                        LABELS_TOPIC_DISPLAY)
                .define(
                        DLQ_TOPIC_CONFIG,
                        Type.STRING,
                        DLQ_TOPIC_DEFAULT,
                        new NonEmptyString(),
                        Importance.HIGH,
                        DLQ_TOPIC_DOC,
                        DLQ_TOPIC_DISPLAY)
                .define(
                        COUNTS_TOPIC_CONFIG,
                        Type.STRING,
                        COUNTS_TOPIC_DEFAULT,
                        new NonEmptyString(),
                        Importance.HIGH,
                        COUNTS_TOPIC_DOC,
                        COUNTS_TOPIC_DISPLAY)
                .define(
                        ALERTS_TOPIC_CONFIG,
                        Type.STRING,
                        ALERTS_TOPIC_DEFAULT,
                        new NonEmptyString(),
                        Importance.HIGH,
                        ALERTS_TOPIC_DOC,
                        ALERTS_TOPIC_DISPLAY);
    }

    private static void defineModel(ConfigDef def) {
        new ConfigGroup(def, GROUP_MODEL)
                .define(
                        MODEL_DIR_CONFIG,
                        Type.STRING,
                        MODEL_DIR_DEFAULT,
                        null,
                        Importance.HIGH,
                        MODEL_DIR_DOC,
                        MODEL_DIR_DISPLAY)
                .define(
                        MODEL_ENGINE_CONFIG,
                        Type.STRING,
                        MODEL_ENGINE_DEFAULT,
                        ValidString.in(names(ModelEngine.values())),
                        Importance.MEDIUM,
                        MODEL_ENGINE_DOC,
                        MODEL_ENGINE_DISPLAY)
                .define(
                        MODEL_DEVICE_CONFIG,
                        Type.STRING,
                        MODEL_DEVICE_DEFAULT,
                        new DeviceValidator(),
                        Importance.HIGH,
                        MODEL_DEVICE_DOC,
                        MODEL_DEVICE_DISPLAY)
                .define(
                        MODEL_INTRA_OP_THREADS_CONFIG,
                        Type.INT,
                        MODEL_INTRA_OP_THREADS_DEFAULT,
                        Range.between(0, 1024),
                        Importance.LOW,
                        MODEL_INTRA_OP_THREADS_DOC,
                        MODEL_INTRA_OP_THREADS_DISPLAY)
                .define(
                        MODEL_INTER_OP_THREADS_CONFIG,
                        Type.INT,
                        MODEL_INTER_OP_THREADS_DEFAULT,
                        Range.between(0, 1024),
                        Importance.LOW,
                        MODEL_INTER_OP_THREADS_DOC,
                        MODEL_INTER_OP_THREADS_DISPLAY)
                .define(
                        MODEL_WORKERS_CONFIG,
                        Type.INT,
                        MODEL_WORKERS_DEFAULT,
                        Range.between(1, 64),
                        Importance.LOW,
                        MODEL_WORKERS_DOC,
                        MODEL_WORKERS_DISPLAY)
                .define(
                        MODEL_PRECISION_CONFIG,
                        Type.STRING,
                        MODEL_PRECISION_DEFAULT,
                        ValidString.in(names(Precision.values())),
                        Importance.LOW,
                        MODEL_PRECISION_DOC,
                        MODEL_PRECISION_DISPLAY)
                .define(
                        MODEL_CALIBRATION_PATH_CONFIG,
                        Type.LIST,
                        MODEL_CALIBRATION_PATH_DEFAULT,
                        null,
                        Importance.LOW,
                        MODEL_CALIBRATION_PATH_DOC,
                        MODEL_CALIBRATION_PATH_DISPLAY)
                .define(
                        TOP_K_CONFIG,
                        Type.INT,
                        TOP_K_DEFAULT,
                        Range.between(1, 100),
                        Importance.MEDIUM,
                        TOP_K_DOC,
                        TOP_K_DISPLAY);
    }

    private static void defineBatching(ConfigDef def) {
        new ConfigGroup(def, GROUP_BATCHING)
                .define(
                        BATCH_SIZE_CONFIG,
                        Type.STRING,
                        BATCH_SIZE_DEFAULT,
                        new BatchSizeValidator(),
                        Importance.HIGH,
                        BATCH_SIZE_DOC,
                        BATCH_SIZE_DISPLAY)
                .define(
                        BATCH_MAX_SIZE_CONFIG,
                        Type.INT,
                        BATCH_MAX_SIZE_DEFAULT,
                        Range.between(1, 256),
                        Importance.LOW,
                        BATCH_MAX_SIZE_DOC,
                        BATCH_MAX_SIZE_DISPLAY)
                .define(
                        BATCH_MAX_DELAY_MS_CONFIG,
                        Type.LONG,
                        BATCH_MAX_DELAY_MS_DEFAULT,
                        Range.between(0, 10_000),
                        Importance.HIGH,
                        BATCH_MAX_DELAY_MS_DOC,
                        BATCH_MAX_DELAY_MS_DISPLAY);
    }

    private static void defineSampling(ConfigDef def) {
        new ConfigGroup(def, GROUP_SAMPLING)
                .define(
                        SAMPLING_MODE_CONFIG,
                        Type.STRING,
                        SAMPLING_MODE_DEFAULT,
                        ValidString.in(SamplingMode.configValues()),
                        Importance.HIGH,
                        SAMPLING_MODE_DOC,
                        SAMPLING_MODE_DISPLAY)
                .define(
                        SAMPLING_FPS_CONFIG,
                        Type.DOUBLE,
                        SAMPLING_FPS_DEFAULT,
                        Range.between(0.001, 240),
                        Importance.HIGH,
                        SAMPLING_FPS_DOC,
                        SAMPLING_FPS_DISPLAY);
    }

    private static void defineInputLimits(ConfigDef def) {
        new ConfigGroup(def, GROUP_INPUT_LIMITS)
                .define(
                        MAX_CHUNK_BYTES_CONFIG,
                        Type.INT,
                        MAX_CHUNK_BYTES_DEFAULT,
                        Range.between(1024, 64 << 20),
                        Importance.MEDIUM,
                        MAX_CHUNK_BYTES_DOC,
                        MAX_CHUNK_BYTES_DISPLAY)
                .define(
                        MAX_FRAME_BYTES_CONFIG,
                        Type.INT,
                        MAX_FRAME_BYTES_DEFAULT,
                        Range.between(1024, 64 << 20),
                        Importance.MEDIUM,
                        MAX_FRAME_BYTES_DOC,
                        MAX_FRAME_BYTES_DISPLAY)
                .define(
                        CAMERAS_CONFIG,
                        Type.LIST,
                        CAMERAS_DEFAULT,
                        null,
                        Importance.MEDIUM,
                        CAMERAS_DOC,
                        CAMERAS_DISPLAY);
    }

    private static void defineAggregationAndAlerts(ConfigDef def) {
        new ConfigGroup(def, GROUP_AGGREGATION_AND_ALERTS)
                .define(
                        AGGREGATION_ENABLED_CONFIG,
                        Type.BOOLEAN,
                        AGGREGATION_ENABLED_DEFAULT,
                        null,
                        Importance.HIGH,
                        AGGREGATION_ENABLED_DOC,
                        AGGREGATION_ENABLED_DISPLAY)
                .define(
                        COUNTS_WINDOW_SIZE_MS_CONFIG,
                        Type.LONG,
                        COUNTS_WINDOW_SIZE_MS_DEFAULT,
                        Range.atLeast(1),
                        Importance.HIGH,
                        COUNTS_WINDOW_SIZE_MS_DOC,
                        COUNTS_WINDOW_SIZE_MS_DISPLAY)
                .define(
                        COUNTS_WINDOW_ADVANCE_MS_CONFIG,
                        Type.LONG,
                        COUNTS_WINDOW_ADVANCE_MS_DEFAULT,
                        Range.atLeast(0),
                        Importance.MEDIUM,
                        COUNTS_WINDOW_ADVANCE_MS_DOC,
                        COUNTS_WINDOW_ADVANCE_MS_DISPLAY)
                .define(
                        COUNTS_GRACE_MS_CONFIG,
                        Type.LONG,
                        COUNTS_GRACE_MS_DEFAULT,
                        Range.atLeast(0),
                        Importance.MEDIUM,
                        COUNTS_GRACE_MS_DOC,
                        COUNTS_GRACE_MS_DISPLAY)
                .define(
                        COUNTS_EMIT_CONFIG,
                        Type.STRING,
                        COUNTS_EMIT_DEFAULT,
                        ValidString.in(names(CountsEmit.values())),
                        Importance.MEDIUM,
                        COUNTS_EMIT_DOC,
                        COUNTS_EMIT_DISPLAY)
                .define(
                        COUNTS_MIN_SCORE_CONFIG,
                        Type.DOUBLE,
                        COUNTS_MIN_SCORE_DEFAULT,
                        Range.between(0, 1),
                        Importance.MEDIUM,
                        COUNTS_MIN_SCORE_DOC,
                        COUNTS_MIN_SCORE_DISPLAY)
                .define(
                        ALERT_RULES_FILE_CONFIG,
                        Type.STRING,
                        ALERT_RULES_FILE_DEFAULT,
                        null,
                        Importance.HIGH,
                        ALERT_RULES_FILE_DOC,
                        ALERT_RULES_FILE_DISPLAY);
    }

    private static void defineRegistry(ConfigDef def) {
        new ConfigGroup(def, GROUP_REGISTRY)
                .define(
                        SERDE_FORMAT_CONFIG,
                        Type.STRING,
                        SERDE_FORMAT_DEFAULT,
                        ValidString.in(SerdeFormat.configValues()),
                        Importance.HIGH,
                        SERDE_FORMAT_DOC,
                        SERDE_FORMAT_DISPLAY)
                .define(
                        REGISTRY_URL_CONFIG,
                        Type.STRING,
                        REGISTRY_URL_DEFAULT,
                        null,
                        Importance.HIGH,
                        REGISTRY_URL_DOC,
                        REGISTRY_URL_DISPLAY)
                .define(
                        REGISTRY_USER_CONFIG,
                        Type.STRING,
                        REGISTRY_USER_DEFAULT,
                        null,
                        Importance.MEDIUM,
                        REGISTRY_USER_DOC,
                        REGISTRY_USER_DISPLAY)
                .define(
                        REGISTRY_PASSWORD_CONFIG,
                        Type.PASSWORD,
                        REGISTRY_PASSWORD_DEFAULT,
                        null,
                        Importance.MEDIUM,
                        REGISTRY_PASSWORD_DOC,
                        REGISTRY_PASSWORD_DISPLAY)
                .define(
                        REGISTRY_SUBJECT_NAMING_CONFIG,
                        Type.STRING,
                        REGISTRY_SUBJECT_NAMING_DEFAULT,
                        ValidString.in(names(SubjectNaming.values())),
                        Importance.MEDIUM,
                        REGISTRY_SUBJECT_NAMING_DOC,
                        REGISTRY_SUBJECT_NAMING_DISPLAY)
                .define(
                        REGISTRY_AUTO_REGISTER_CONFIG,
                        Type.BOOLEAN,
                        REGISTRY_AUTO_REGISTER_DEFAULT,
                        null,
                        Importance.MEDIUM,
                        REGISTRY_AUTO_REGISTER_DOC,
                        REGISTRY_AUTO_REGISTER_DISPLAY);
        new ConfigGroup(def, GROUP_REGISTRY + " TLS")
                .define(
                        REGISTRY_TRUSTSTORE_LOCATION_CONFIG,
                        Type.STRING,
                        REGISTRY_TRUSTSTORE_LOCATION_DEFAULT,
                        null,
                        Importance.LOW,
                        REGISTRY_TRUSTSTORE_LOCATION_DOC,
                        REGISTRY_TRUSTSTORE_LOCATION_DISPLAY)
                .define(
                        REGISTRY_TRUSTSTORE_PASSWORD_CONFIG,
                        Type.PASSWORD,
                        REGISTRY_TRUSTSTORE_PASSWORD_DEFAULT,
                        null,
                        Importance.LOW,
                        REGISTRY_TRUSTSTORE_PASSWORD_DOC,
                        REGISTRY_TRUSTSTORE_PASSWORD_DISPLAY)
                .define(
                        REGISTRY_TRUSTSTORE_TYPE_CONFIG,
                        Type.STRING,
                        REGISTRY_TRUSTSTORE_TYPE_DEFAULT,
                        ValidString.in("JKS", "PKCS12", "PEM"),
                        Importance.LOW,
                        REGISTRY_TRUSTSTORE_TYPE_DOC,
                        REGISTRY_TRUSTSTORE_TYPE_DISPLAY);
    }

    private static void defineOperations(ConfigDef def) {
        new ConfigGroup(def, GROUP_OPERATIONS)
                .define(
                        HTTP_PORT_CONFIG,
                        Type.INT,
                        HTTP_PORT_DEFAULT,
                        Range.between(-1, 65535),
                        Importance.MEDIUM,
                        HTTP_PORT_DOC,
                        HTTP_PORT_DISPLAY)
                .define(
                        DASHBOARD_ENABLED_CONFIG,
                        Type.BOOLEAN,
                        DASHBOARD_ENABLED_DEFAULT,
                        null,
                        Importance.LOW,
                        DASHBOARD_ENABLED_DOC,
                        DASHBOARD_ENABLED_DISPLAY);
    }

    /** The configuration names of an enum's constants (lower case). */
    private static String[] names(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].name().toLowerCase(Locale.ROOT);
        }
        return out;
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
        // Labels and alerts become visible when their transaction commits. Kafka Streams'
        // exactly-once default (100 ms) is made for many small records; a chunk is seconds of
        // video and tens of milliseconds of work, so commits stay at most one per processed chunk
        // and a label waits ~10 ms for its commit instead of up to ~100 (see the README's latency
        // table).
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(DEFAULT_COMMIT_INTERVAL_MS));
        // A stream thread commits only after one round over all of its tasks, so a transaction
        // spans a chunk of every task it has: with 4 tasks and 3 s chunks (all frames of an 8 s
        // GOP) it outlived Kafka Streams' exactly-once default of 10 s, the broker aborted it, the
        // thread was fenced and the chunks were labeled again (twice the work for the same output;
        // see the README). The producer's own default (60 s) instead.
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                Integer.toString(DEFAULT_TRANSACTION_TIMEOUT_MS));
        // A chunk is a few seconds of video: a small poll keeps commit intervals predictable.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "16");
        // Corrupt records on the labels topic (read by the aggregation) go to the dead letters too;
        // an unreachable schema registry fails the thread instead (the record is read again).
        p.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                "io.kvl.streams.app.RegistryAwareDeserializationHandler");
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic());
        // A store, changelog or repartition topic with a generated name changes when the topology
        // changes, and its state is lost on upgrade: refuse to build such a topology.
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        // Kafka 5.0's default, set now: without it every StreamsConfig logs the same
        // recommendation at start, including the one each stream thread's partition assignor
        // builds from its consumer's configs (hence also the main-consumer copy).
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        p.put(
                StreamsConfig.mainConsumerPrefix(
                        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                "true");
        originalStrings.forEach(
                (k, v) -> {
                    if (!OWN_KEYS.contains(k) && !k.startsWith(APICURIO_PREFIX)) {
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

    public CountsEmit countsEmit() {
        return CountsEmit.valueOf(getString(COUNTS_EMIT_CONFIG).toUpperCase(Locale.ROOT));
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

    public DeviceChoice modelDevice() {
        return DeviceChoice.parse(getString(MODEL_DEVICE_CONFIG));
    }

    public int modelIntraOpThreads() {
        return getInt(MODEL_INTRA_OP_THREADS_CONFIG);
    }

    public int modelInterOpThreads() {
        return getInt(MODEL_INTER_OP_THREADS_CONFIG);
    }

    public int modelWorkers() {
        return getInt(MODEL_WORKERS_CONFIG);
    }

    public ModelEngine modelEngine() {
        return ModelEngine.parse(getString(MODEL_ENGINE_CONFIG));
    }

    /** INT8 calibration sources; empty for the bundled clips. */
    public List<String> modelCalibrationPath() {
        return getList(MODEL_CALIBRATION_PATH_CONFIG);
    }

    public Precision modelPrecision() {
        return Precision.parse(getString(MODEL_PRECISION_CONFIG));
    }

    /**
     * The configured batch size; with {@code batch.size=auto}, {@link #batchMaxSize()} (the
     * classifier measures which size to use).
     */
    public int batchSize() {
        return batchSizeAuto()
                ? batchMaxSize()
                : Integer.parseInt(getString(BATCH_SIZE_CONFIG).trim());
    }

    /** True when {@code batch.size=auto}. */
    public boolean batchSizeAuto() {
        return getString(BATCH_SIZE_CONFIG).trim().equalsIgnoreCase(BatchSizeValidator.AUTO);
    }

    public int batchMaxSize() {
        return getInt(BATCH_MAX_SIZE_CONFIG);
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

    /**
     * This instance's {@code application.server} (Kafka Streams' key: the host and HTTP port where
     * other instances reach its queries), or null when not set.
     */
    public HostInfo applicationServer() {
        String value = originalStrings.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return value == null || value.isBlank() ? null : HostInfo.buildFromEndpoint(value.trim());
    }

    public boolean dashboardEnabled() {
        return getBoolean(DASHBOARD_ENABLED_CONFIG);
    }

    public SerdeFormat serdeFormat() {
        return SerdeFormat.fromConfig(getString(SERDE_FORMAT_CONFIG));
    }

    public SubjectNaming subjectNaming() {
        return SubjectNaming.fromConfig(getString(REGISTRY_SUBJECT_NAMING_CONFIG));
    }

    /** The registry settings, or null when no registry URL is configured. */
    public RegistryOptions registryOptions() {
        String url = getString(REGISTRY_URL_CONFIG);
        if (url.isBlank()) {
            return null;
        }
        Map<String, Object> client = new HashMap<>();
        originalStrings.forEach(
                (k, v) -> {
                    if (k.startsWith(APICURIO_PREFIX)) {
                        client.put(k, v);
                    }
                });
        String trustStore = getString(REGISTRY_TRUSTSTORE_LOCATION_CONFIG);
        if (!trustStore.isBlank()) {
            client.put(SchemaResolverConfig.TLS_TRUSTSTORE_LOCATION, trustStore);
            client.put(
                    SchemaResolverConfig.TLS_TRUSTSTORE_PASSWORD,
                    getPassword(REGISTRY_TRUSTSTORE_PASSWORD_CONFIG).value());
            client.put(
                    SchemaResolverConfig.TLS_TRUSTSTORE_TYPE,
                    getString(REGISTRY_TRUSTSTORE_TYPE_CONFIG));
        }
        String user = getString(REGISTRY_USER_CONFIG);
        return new RegistryOptions(
                url,
                user.isBlank() ? null : user,
                user.isBlank() ? null : getPassword(REGISTRY_PASSWORD_CONFIG).value(),
                subjectNaming(),
                getBoolean(REGISTRY_AUTO_REGISTER_CONFIG),
                client);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    private static Map<String, String> stringMap(Map<?, ?> props) {
        Map<String, String> m = new HashMap<>();
        props.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
        return m;
    }

    /** Markdown table of every key, for the README and {@code kvl config}. */
    public static String toMarkdown() {
        return ConfigMarkdown.table(CONFIG);
    }
}
