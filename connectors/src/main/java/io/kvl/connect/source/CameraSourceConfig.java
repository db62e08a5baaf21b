package io.kvl.connect.source;

import io.kvl.config.ConfigGroup;
import io.kvl.registry.RegistryOptions;
import io.kvl.registry.SerdeFormat;
import io.kvl.registry.SubjectNaming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of {@link CameraSourceConnector} and its tasks. */
public final class CameraSourceConfig extends AbstractConfig {

    private static final String CAMERAS_GROUP = "Cameras";
    private static final String CHUNKING_GROUP = "Chunking";
    private static final String CONNECTION_GROUP = "Connection";
    private static final String FILES_GROUP = "Files";

    public static final String CAMERAS_CONFIG = "cameras";
    public static final String CAMERAS_DOC =
            "Comma-separated list of id=url, one per camera, e.g."
                + " lobby=rtsp://10.0.0.5/stream1,demo=file:///videos/car-detection.mp4. The id is"
                + " the record key and the source partition: letters, digits, '.', '_' or '-'. URL"
                + " schemes: rtsp, rtsps, http, https, tcp (anything FFmpeg reads as a live stream)"
                + " and file (an absolute path; resumable, optionally looped). A comma inside a URL"
                + " must be percent-encoded. Credentials in a URL are redacted in logs and status;"
                + " keep them out of the stored config with a config provider, e.g."
                + " ${file:/etc/kvl/cameras.properties:lobby}.";
    public static final String CAMERAS_DISPLAY = "Cameras";

    public static final String TOPIC_CONFIG = "topic";
    public static final String TOPIC_DOC =
            "Topic the VideoChunk records are written to (key: camera id, value: VideoChunk in"
                    + " the chunk.format wire format).";
    public static final String TOPIC_DEFAULT = "kvl.video-chunks";
    public static final String TOPIC_DISPLAY = "Topic";

    public static final String CHUNK_DURATION_MS_CONFIG = "chunk.duration.ms";
    public static final String CHUNK_DURATION_MS_DOC =
            "Longest chunk wanted, in milliseconds. Chunks are whole GOPs copied without"
                + " re-encoding: a chunk holds as many GOPs as fit, and a GOP longer than this is a"
                + " chunk on its own (so a camera with a keyframe every 4 s gives 4 s chunks).";
    public static final long CHUNK_DURATION_MS_DEFAULT = 2000;
    public static final String CHUNK_DURATION_MS_DISPLAY = "Chunk duration (ms)";

    public static final String RW_TIMEOUT_MS_CONFIG = "rw.timeout.ms";
    public static final String RW_TIMEOUT_MS_DOC =
            "Socket connect, read and write timeout of a network camera, in milliseconds (FFmpeg's"
                + " rw_timeout and timeout options). A camera that sends nothing for this long is"
                + " disconnected and reconnected with backoff; opening a silent camera fails after"
                + " about twice this (JavaCV tries the open twice). It also bounds how long a"
                + " reader thread stays blocked in FFmpeg after the task stopped.";
    public static final long RW_TIMEOUT_MS_DEFAULT = 10_000;
    public static final String RW_TIMEOUT_MS_DISPLAY = "Socket timeout (ms)";

    public static final String RECONNECT_BACKOFF_INITIAL_MS_CONFIG = "reconnect.backoff.initial.ms";
    public static final String RECONNECT_BACKOFF_INITIAL_MS_DOC =
            "Wait before the first reconnection attempt after a camera failed or ended, in"
                    + " milliseconds; doubled after every failed attempt up to"
                    + " reconnect.backoff.max.ms, and reset once a chunk is read.";
    public static final long RECONNECT_BACKOFF_INITIAL_MS_DEFAULT = 1000;
    public static final String RECONNECT_BACKOFF_INITIAL_MS_DISPLAY =
            "Initial reconnect backoff (ms)";

    public static final String RECONNECT_BACKOFF_MAX_MS_CONFIG = "reconnect.backoff.max.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS_DOC =
            "Longest wait between reconnection attempts, in milliseconds. Cameras are retried"
                    + " for as long as the task runs.";
    public static final long RECONNECT_BACKOFF_MAX_MS_DEFAULT = 60_000;
    public static final String RECONNECT_BACKOFF_MAX_MS_DISPLAY = "Maximum reconnect backoff (ms)";

    public static final String FFMPEG_OPTIONS_CONFIG = "ffmpeg.options";
    public static final String FFMPEG_OPTIONS_DOC =
            "Extra FFmpeg demuxer or protocol options for every camera, as a list of key=value,"
                    + " e.g. rtsp_transport=tcp. The timeout options come from rw.timeout.ms.";
    public static final String FFMPEG_OPTIONS_DISPLAY = "FFmpeg options";

    public static final String FILE_LOOP_CONFIG = "file.loop";
    public static final String FILE_LOOP_DOC =
            "Play file cameras again from the start when they end (demos). Sequence numbers,"
                    + " frame indices and timestamps keep increasing across loops.";
    public static final boolean FILE_LOOP_DEFAULT = false;
    public static final String FILE_LOOP_DISPLAY = "Loop files";

    public static final String FILE_REALTIME_CONFIG = "file.realtime";
    public static final String FILE_REALTIME_DOC =
            "Emit a file camera's chunks at the pace a live camera would (each chunk when its last"
                + " frame would have been captured). With false, files are read as fast as Kafka"
                + " takes the chunks. Either way startTimestamp is the wall clock at which playback"
                + " (re)started plus the chunk's position in the file, so events look live.";
    public static final boolean FILE_REALTIME_DEFAULT = true;
    public static final String FILE_REALTIME_DISPLAY = "Play files in real time";

    private static final String FORMAT_GROUP = "Format";
    public static final String FORMAT_CONFIG = "chunk.format";
    public static final String FORMAT_DOC =
            "Wire format of the VideoChunk values: single-object (Avro single-object encoding, no"
                    + " registry) or confluent (byte 0 and a 4-byte schema id of"
                    + " schema.registry.url). The labeler reads both.";
    public static final String FORMAT_DEFAULT = SerdeFormat.SINGLE_OBJECT.configValue();
    public static final String FORMAT_DISPLAY = "Chunk format";

    public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String REGISTRY_URL_DOC =
            "Base URL of the schema registry (Apicurio Registry, e.g. http://registry:8080)."
                    + " Required by chunk.format=confluent.";
    public static final String REGISTRY_URL_DEFAULT = "";
    public static final String REGISTRY_URL_DISPLAY = "Schema registry URL";

    public static final String REGISTRY_USER_CONFIG = "schema.registry.basic.auth.user";
    public static final String REGISTRY_USER_DOC = "Basic-auth user of the registry; empty: none.";
    public static final String REGISTRY_USER_DEFAULT = "";
    public static final String REGISTRY_USER_DISPLAY = "Registry user";

    public static final String REGISTRY_PASSWORD_CONFIG = "schema.registry.basic.auth.password";
    public static final String REGISTRY_PASSWORD_DOC = "Basic-auth password (never logged).";
    public static final String REGISTRY_PASSWORD_DEFAULT = "";
    public static final String REGISTRY_PASSWORD_DISPLAY = "Registry password";

    public static final String REGISTRY_SUBJECT_NAMING_CONFIG = "schema.registry.subject.naming";
    public static final String REGISTRY_SUBJECT_NAMING_DOC =
            "topic (<topic>-value) or record (io.kvl.schemas.VideoChunk).";
    public static final String REGISTRY_SUBJECT_NAMING_DEFAULT = SubjectNaming.TOPIC.configValue();
    public static final String REGISTRY_SUBJECT_NAMING_DISPLAY = "Subject naming";

    public static final String REGISTRY_AUTO_REGISTER_CONFIG = "schema.registry.auto.register";
    public static final String REGISTRY_AUTO_REGISTER_DOC =
            "Register the VideoChunk schema when the task starts (a subject created gets BACKWARD"
                    + " compatibility); false: only check that it is registered.";
    public static final boolean REGISTRY_AUTO_REGISTER_DEFAULT = true;
    public static final String REGISTRY_AUTO_REGISTER_DISPLAY = "Register the schema";

    private static final Set<String> MANAGED_FFMPEG_OPTIONS = Set.of("rw_timeout", "timeout");

    public static final ConfigDef CONFIG_DEF = configDef();

    private final List<CameraSpec> cameras;
    private final Map<String, String> ffmpegOptions;

    public CameraSourceConfig(Map<String, String> props) {
        // Not logged by AbstractConfig: camera URLs may hold credentials. The task logs a
        // redacted summary instead.
        super(CONFIG_DEF, props, false);
        this.cameras = parseCameras(getList(CAMERAS_CONFIG));
        this.ffmpegOptions = parseFfmpegOptions(getList(FFMPEG_OPTIONS_CONFIG));
        if (format() == SerdeFormat.CONFLUENT && getString(REGISTRY_URL_CONFIG).isBlank()) {
            throw new ConfigException(
                    REGISTRY_URL_CONFIG + " is required by " + FORMAT_CONFIG + "=confluent");
        }
        if (reconnectBackoffMax().compareTo(reconnectBackoffInitial()) < 0) {
            throw new ConfigException(
                    RECONNECT_BACKOFF_MAX_MS_CONFIG
                            + " ("
                            + reconnectBackoffMax().toMillis()
                            + ") must not be less than "
                            + RECONNECT_BACKOFF_INITIAL_MS_CONFIG
                            + " ("
                            + reconnectBackoffInitial().toMillis()
                            + ")");
        }
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        defineCameras(def);
        defineConnection(def);
        defineFiles(def);
        defineFormat(def);
        return def;
    }

    private static void defineCameras(ConfigDef def) {
        new ConfigGroup(def, CAMERAS_GROUP)
                .defineRequired(
                        CAMERAS_CONFIG,
                        Type.LIST,
                        new CamerasValidator(),
                        Importance.HIGH,
                        CAMERAS_DOC,
                        CAMERAS_DISPLAY)
                .define(
                        TOPIC_CONFIG,
                        Type.STRING,
                        TOPIC_DEFAULT,
                        new NonEmptyString(),
                        Importance.HIGH,
                        TOPIC_DOC,
                        TOPIC_DISPLAY);
        new ConfigGroup(def, CHUNKING_GROUP)
                .define(
                        CHUNK_DURATION_MS_CONFIG,
                        Type.LONG,
                        CHUNK_DURATION_MS_DEFAULT,
                        Range.between(100, 600_000),
                        Importance.MEDIUM,
                        CHUNK_DURATION_MS_DOC,
                        CHUNK_DURATION_MS_DISPLAY);
    }

    private static void defineConnection(ConfigDef def) {
        new ConfigGroup(def, CONNECTION_GROUP)
                .define(
                        RW_TIMEOUT_MS_CONFIG,
                        Type.LONG,
                        RW_TIMEOUT_MS_DEFAULT,
                        Range.between(100, 600_000),
                        Importance.MEDIUM,
                        RW_TIMEOUT_MS_DOC,
                        RW_TIMEOUT_MS_DISPLAY)
                .define(
                        RECONNECT_BACKOFF_INITIAL_MS_CONFIG,
                        Type.LONG,
                        RECONNECT_BACKOFF_INITIAL_MS_DEFAULT,
                        Range.between(0, 3_600_000),
                        Importance.LOW,
                        RECONNECT_BACKOFF_INITIAL_MS_DOC,
                        RECONNECT_BACKOFF_INITIAL_MS_DISPLAY)
                .define(
                        RECONNECT_BACKOFF_MAX_MS_CONFIG,
                        Type.LONG,
                        RECONNECT_BACKOFF_MAX_MS_DEFAULT,
                        Range.between(0, 3_600_000),
                        Importance.LOW,
                        RECONNECT_BACKOFF_MAX_MS_DOC,
                        RECONNECT_BACKOFF_MAX_MS_DISPLAY)
                .define(
                        FFMPEG_OPTIONS_CONFIG,
                        Type.LIST,
                        "",
                        new FfmpegOptionsValidator(),
                        Importance.LOW,
                        FFMPEG_OPTIONS_DOC,
                        FFMPEG_OPTIONS_DISPLAY);
    }

    private static void defineFiles(ConfigDef def) {
        new ConfigGroup(def, FILES_GROUP)
                .define(
                        FILE_LOOP_CONFIG,
                        Type.BOOLEAN,
                        FILE_LOOP_DEFAULT,
                        null,
                        Importance.LOW,
                        FILE_LOOP_DOC,
                        FILE_LOOP_DISPLAY)
                .define(
                        FILE_REALTIME_CONFIG,
                        Type.BOOLEAN,
                        FILE_REALTIME_DEFAULT,
                        null,
                        Importance.LOW,
                        FILE_REALTIME_DOC,
                        FILE_REALTIME_DISPLAY);
    }

    private static void defineFormat(ConfigDef def) {
        new ConfigGroup(def, FORMAT_GROUP)
                .define(
                        FORMAT_CONFIG,
                        Type.STRING,
                        FORMAT_DEFAULT,
                        ValidString.in(SerdeFormat.configValues()),
                        Importance.MEDIUM,
                        FORMAT_DOC,
                        FORMAT_DISPLAY)
                .define(
                        REGISTRY_URL_CONFIG,
                        Type.STRING,
                        REGISTRY_URL_DEFAULT,
                        null,
                        Importance.MEDIUM,
                        REGISTRY_URL_DOC,
                        REGISTRY_URL_DISPLAY)
                .define(
                        REGISTRY_USER_CONFIG,
                        Type.STRING,
                        REGISTRY_USER_DEFAULT,
                        null,
                        Importance.LOW,
                        REGISTRY_USER_DOC,
                        REGISTRY_USER_DISPLAY)
                .define(
                        REGISTRY_PASSWORD_CONFIG,
                        Type.PASSWORD,
                        REGISTRY_PASSWORD_DEFAULT,
                        null,
                        Importance.LOW,
                        REGISTRY_PASSWORD_DOC,
                        REGISTRY_PASSWORD_DISPLAY)
                .define(
                        REGISTRY_SUBJECT_NAMING_CONFIG,
                        Type.STRING,
                        REGISTRY_SUBJECT_NAMING_DEFAULT,
                        ValidString.in(
                                SubjectNaming.TOPIC.configValue(),
                                SubjectNaming.RECORD.configValue()),
                        Importance.LOW,
                        REGISTRY_SUBJECT_NAMING_DOC,
                        REGISTRY_SUBJECT_NAMING_DISPLAY)
                .define(
                        REGISTRY_AUTO_REGISTER_CONFIG,
                        Type.BOOLEAN,
                        REGISTRY_AUTO_REGISTER_DEFAULT,
                        null,
                        Importance.LOW,
                        REGISTRY_AUTO_REGISTER_DOC,
                        REGISTRY_AUTO_REGISTER_DISPLAY);
    }

    public SerdeFormat format() {
        return SerdeFormat.fromConfig(getString(FORMAT_CONFIG));
    }

    /** The registry, or null when no URL is configured. */
    public RegistryOptions registryOptions() {
        String url = getString(REGISTRY_URL_CONFIG);
        if (url.isBlank()) {
            return null;
        }
        String user = getString(REGISTRY_USER_CONFIG);
        return new RegistryOptions(
                url,
                user.isBlank() ? null : user,
                user.isBlank() ? null : getPassword(REGISTRY_PASSWORD_CONFIG).value(),
                SubjectNaming.fromConfig(getString(REGISTRY_SUBJECT_NAMING_CONFIG)),
                getBoolean(REGISTRY_AUTO_REGISTER_CONFIG),
                Map.of());
    }

    public List<CameraSpec> cameras() {
        return cameras;
    }

    public String topic() {
        return getString(TOPIC_CONFIG);
    }

    public Duration chunkDuration() {
        return Duration.ofMillis(getLong(CHUNK_DURATION_MS_CONFIG));
    }

    public Duration rwTimeout() {
        return Duration.ofMillis(getLong(RW_TIMEOUT_MS_CONFIG));
    }

    public Duration reconnectBackoffInitial() {
        return Duration.ofMillis(getLong(RECONNECT_BACKOFF_INITIAL_MS_CONFIG));
    }

    public Duration reconnectBackoffMax() {
        return Duration.ofMillis(getLong(RECONNECT_BACKOFF_MAX_MS_CONFIG));
    }

    public boolean fileLoop() {
        return getBoolean(FILE_LOOP_CONFIG);
    }

    public boolean fileRealtime() {
        return getBoolean(FILE_REALTIME_CONFIG);
    }

    /**
     * The FFmpeg options every camera is opened with: {@code ffmpeg.options} plus the socket
     * timeouts in microseconds ({@code rw_timeout} for every protocol, {@code timeout} which RTSP
     * and TCP read as their socket I/O timeout).
     */
    public Map<String, String> ffmpegOptions() {
        Map<String, String> options = new LinkedHashMap<>(ffmpegOptions);
        String micros = Long.toString(rwTimeout().toNanos() / 1000);
        options.put("rw_timeout", micros);
        options.put("timeout", micros);
        return Map.copyOf(options);
    }

    private static List<CameraSpec> parseCameras(List<String> entries) {
        List<CameraSpec> cameras = new ArrayList<>();
        for (String entry : entries) {
            cameras.add(CameraSpec.parse(entry));
        }
        return List.copyOf(cameras);
    }

    private static Map<String, String> parseFfmpegOptions(List<String> entries) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            options.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
        }
        return options;
    }

    /** Every entry parses as a camera, ids are unique, and there is at least one camera. */
    static final class CamerasValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> entries = (List<String>) value;
            if (entries == null || entries.isEmpty()) {
                throw new ConfigException(name + " must list at least one camera (id=url)");
            }
            Set<String> ids = new HashSet<>();
            for (String entry : entries) {
                CameraSpec camera;
                try {
                    camera = CameraSpec.parse(entry);
                } catch (IllegalArgumentException e) {
                    // Not ConfigException(name, value, ...): that would print the credentials.
                    throw new ConfigException("Invalid " + name + ": " + e.getMessage());
                }
                if (!ids.add(camera.id())) {
                    throw new ConfigException(
                            "Invalid " + name + ": camera id '" + camera.id() + "' is repeated");
                }
            }
        }

        @Override
        public String toString() {
            return "non-empty list of id=url with unique ids; schemes "
                    + CameraSpec.SCHEMES.stream().sorted().toList();
        }
    }

    /** key=value entries; the timeout options are owned by {@code rw.timeout.ms}. */
    static final class FfmpegOptionsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> entries = (List<String>) value;
            for (String entry : entries) {
                int equals = entry.indexOf('=');
                if (equals <= 0) {
                    throw new ConfigException(name, entry, "expected key=value");
                }
                String key = entry.substring(0, equals).trim();
                if (MANAGED_FFMPEG_OPTIONS.contains(key)) {
                    throw new ConfigException(
                            name, entry, "set the socket timeout with " + RW_TIMEOUT_MS_CONFIG);
                }
            }
        }

        @Override
        public String toString() {
            return "list of key=value";
        }
    }
}
