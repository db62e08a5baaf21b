package io.kvl.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class AlertWebhookSinkConfigTest {

    private static Map<String, String> props(String url) {
        Map<String, String> props = new HashMap<>();
        props.put(AlertWebhookSinkConfig.WEBHOOK_URL_CONFIG, url);
        return props;
    }

    @Test
    void shouldApplyDefaults() {
        AlertWebhookSinkConfig config =
                new AlertWebhookSinkConfig(props("https://alerts.example.com:8443/hook/abc"));

        assertThat(config.webhookOrigin()).isEqualTo("https://alerts.example.com:8443");
        assertThat(config.authHeader()).isEmpty();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxRetries()).isEqualTo(10);
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldRequireAnHttpUrl() {
        assertThatThrownBy(() -> new AlertWebhookSinkConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("webhook.url");
        assertThatThrownBy(() -> new AlertWebhookSinkConfig(props("ftp://host/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> new AlertWebhookSinkConfig(props("not a url")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a URL");
        assertThatThrownBy(() -> new AlertWebhookSinkConfig(props("http:///path")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no host");
    }

    @Test
    void shouldRejectNegativeTimeoutsAndRetries() {
        for (String key :
                List.of(
                        AlertWebhookSinkConfig.WEBHOOK_TIMEOUT_MS_CONFIG,
                        AlertWebhookSinkConfig.MAX_RETRIES_CONFIG,
                        AlertWebhookSinkConfig.RETRY_BACKOFF_MS_CONFIG)) {
            Map<String, String> props = props("http://localhost/hook");
            props.put(key, "-1");
            assertThatThrownBy(() -> new AlertWebhookSinkConfig(props))
                    .as(key)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(key);
        }
    }

    @Test
    void shouldKeepTheAuthHeaderAndSecretUrlsOutOfMessages() {
        Map<String, String> props = props("https://hooks.example.com/services/T0SECRETPATH");
        props.put(AlertWebhookSinkConfig.WEBHOOK_AUTH_HEADER_CONFIG, "Bearer abc123secret");

        AlertWebhookSinkConfig config = new AlertWebhookSinkConfig(props);
        assertThat(config.authHeader().orElseThrow().value()).isEqualTo("Bearer abc123secret");
        assertThat(config.values().toString()).doesNotContain("abc123secret");
        assertThat(config.webhookOrigin()).doesNotContain("T0SECRETPATH");
        List<ConfigValue> validated = AlertWebhookSinkConfig.CONFIG_DEF.validate(props);
        assertThat(validated.toString()).doesNotContain("abc123secret");

        Map<String, String> bad = props("gopher://hooks.example.com/services/T0SECRETPATH");
        assertThatThrownBy(() -> new AlertWebhookSinkConfig(bad))
                .message()
                .doesNotContain("T0SECRETPATH");
    }
}
