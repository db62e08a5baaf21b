package io.kvl.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class CameraSourceConfigTest {

    private static Map<String, String> props(String cameras) {
        Map<String, String> props = new HashMap<>();
        props.put(CameraSourceConfig.CAMERAS_CONFIG, cameras);
        return props;
    }

    @Test
    void shouldParseCamerasAndApplyDefaults() {
        CameraSourceConfig config =
                new CameraSourceConfig(
                        props(
                                "lobby=rtsp://10.0.0.5:554/stream1, demo=file:///videos/car.mp4,"
                                        + "web=https://cams.example.com/live.ts"));

        assertThat(config.cameras())
                .extracting(CameraSpec::id)
                .containsExactly("lobby", "demo", "web");
        assertThat(config.cameras().get(1).isFile()).isTrue();
        assertThat(config.cameras().get(1).ffmpegSource()).isEqualTo("/videos/car.mp4");
        assertThat(config.cameras().get(0).ffmpegSource()).isEqualTo("rtsp://10.0.0.5:554/stream1");
        assertThat(config.topic()).isEqualTo("kvl.video-chunks");
        assertThat(config.chunkDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.rwTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.fileLoop()).isFalse();
        assertThat(config.fileRealtime()).isTrue();
    }

    @Test
    void shouldPassTheSocketTimeoutToFfmpegInMicroseconds() {
        Map<String, String> props = props("a=rtsp://cam/1");
        props.put(CameraSourceConfig.RW_TIMEOUT_MS_CONFIG, "1500");
        props.put(CameraSourceConfig.FFMPEG_OPTIONS_CONFIG, "rtsp_transport=tcp");

        assertThat(new CameraSourceConfig(props).ffmpegOptions())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "rw_timeout", "1500000",
                                "timeout", "1500000",
                                "rtsp_transport", "tcp"));
    }

    @Test
    void shouldRequireCameras() {
        assertThatThrownBy(() -> new CameraSourceConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cameras");
        assertThatThrownBy(() -> new CameraSourceConfig(props("")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least one camera");
    }

    @Test
    void shouldRejectAnUnsupportedUrlScheme() {
        assertThatThrownBy(() -> new CameraSourceConfig(props("a=ftp://host/clip.mp4")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("scheme 'ftp'")
                .hasMessageContaining("rtsp");
    }

    @Test
    void shouldRejectMalformedEntries() {
        assertThatThrownBy(() -> new CameraSourceConfig(props("rtsp://cam/1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected id=url");
        assertThatThrownBy(() -> new CameraSourceConfig(props("a b=rtsp://cam/1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("camera id 'a b'");
        assertThatThrownBy(() -> new CameraSourceConfig(props("a=file:relative.mp4")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> new CameraSourceConfig(props("a=rtsp:///no-host")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no host");
        assertThatThrownBy(() -> new CameraSourceConfig(props("a=rtsp://cam/1,a=rtsp://cam/2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'a' is repeated");
    }

    @Test
    void shouldRejectNegativeOrTinyTimeoutsAndInvertedBackoff() {
        for (String key :
                List.of(
                        CameraSourceConfig.RW_TIMEOUT_MS_CONFIG,
                        CameraSourceConfig.CHUNK_DURATION_MS_CONFIG,
                        CameraSourceConfig.RECONNECT_BACKOFF_INITIAL_MS_CONFIG,
                        CameraSourceConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG)) {
            Map<String, String> props = props("a=rtsp://cam/1");
            props.put(key, "-1");
            assertThatThrownBy(() -> new CameraSourceConfig(props))
                    .as(key)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(key);
        }
        Map<String, String> props = props("a=rtsp://cam/1");
        props.put(CameraSourceConfig.RECONNECT_BACKOFF_INITIAL_MS_CONFIG, "5000");
        props.put(CameraSourceConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        assertThatThrownBy(() -> new CameraSourceConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must not be less than");
    }

    @Test
    void shouldKeepTheTimeoutOptionsOwnedByRwTimeout() {
        Map<String, String> props = props("a=rtsp://cam/1");
        props.put(CameraSourceConfig.FFMPEG_OPTIONS_CONFIG, "timeout=5");
        assertThatThrownBy(() -> new CameraSourceConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rw.timeout.ms");
    }

    @Test
    void shouldNeverShowUrlCredentials() {
        String secret = "s3cr3t-pass";
        String entry = "door=rtsp://admin:" + secret + "@10.0.0.7/h264";

        CameraSpec camera = CameraSpec.parse(entry);
        assertThat(camera.toString()).doesNotContain(secret).contains("rtsp://***@10.0.0.7/h264");
        assertThat(camera.redactIn("'" + camera.ffmpegSource() + "' cannot be opened"))
                .doesNotContain(secret);
        assertThat(camera.ffmpegSource()).contains(secret); // FFmpeg itself needs them

        // Neither in validation errors (what the REST API returns) ...
        Map<String, String> bad = props(entry + ",door=rtsp://admin:" + secret + "@10.0.0.8/h264");
        assertThatThrownBy(() -> new CameraSourceConfig(bad))
                .isInstanceOf(ConfigException.class)
                .message()
                .doesNotContain(secret);
        List<ConfigValue> validated = CameraSourceConfig.CONFIG_DEF.validate(bad);
        assertThat(validated).flatExtracting(ConfigValue::errorMessages).isNotEmpty();
        assertThat(validated)
                .flatExtracting(ConfigValue::errorMessages)
                .noneMatch(message -> message.contains(secret));
        Map<String, String> badScheme = props("door=ftp://admin:" + secret + "@host/x");
        assertThatThrownBy(() -> new CameraSourceConfig(badScheme))
                .message()
                .doesNotContain(secret);
    }

    @Test
    void shouldAcceptOffsetsOfTheRightShapeThroughTheRestApi() {
        CameraSourceConnector connector = new CameraSourceConnector();
        Map<String, String> config = props("a=rtsp://cam/1");
        Map<String, Object> offset =
                Map.of("sequence", 4, "firstFrameIndex", 240L, "frameCount", 60);

        assertThat(connector.alterOffsets(config, Map.of(Map.of("camera", "a"), offset))).isTrue();
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(Map.of("camera", "a"), null);
        assertThat(connector.alterOffsets(config, reset)).isTrue();
        assertThatThrownBy(() -> connector.alterOffsets(config, Map.of(Map.of("cam", "a"), offset)))
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(
                        () ->
                                connector.alterOffsets(
                                        config, Map.of(Map.of("camera", "a"), Map.of("x", 1))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("sequence");
    }

    @Test
    void shouldSplitCamerasAcrossAtMostTasksMaxTasks() {
        CameraSourceConnector connector = new CameraSourceConnector();
        connector.start(props("a=rtsp://cam/1,b=rtsp://cam/2,c=rtsp://cam/3"));

        List<Map<String, String>> two = connector.taskConfigs(2);
        assertThat(two)
                .extracting(c -> c.get(CameraSourceConfig.CAMERAS_CONFIG))
                .containsExactly("a=rtsp://cam/1,b=rtsp://cam/2", "c=rtsp://cam/3");
        assertThat(connector.taskConfigs(10)).hasSize(3);
        for (Map<String, String> task : two) {
            assertThat(new CameraSourceConfig(task).cameras()).isNotEmpty();
        }
    }
}
