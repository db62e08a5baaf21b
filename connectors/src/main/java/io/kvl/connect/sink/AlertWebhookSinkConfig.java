package io.kvl.connect.sink;

import io.kvl.config.ConfigGroup;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Configuration of {@link AlertWebhookSinkConnector} and its tasks. */
public final class AlertWebhookSinkConfig extends AbstractConfig {
    private static final String WEBHOOK_GROUP = "Webhook";
    private static final String RETRIES_GROUP = "Retries";

    public static final String WEBHOOK_URL_CONFIG = "webhook.url";
    public static final String WEBHOOK_URL_DOC =
            "http(s) URL each alert is POSTed to as JSON. Redirects are not followed. Only its"
                + " scheme, host and port are logged; if the URL itself is a secret (e.g. a chat"
                + " webhook), supply it through a config provider.";
    public static final String WEBHOOK_URL_DISPLAY = "Webhook URL";

    public static final String WEBHOOK_AUTH_HEADER_CONFIG = "webhook.auth.header";
    public static final String WEBHOOK_AUTH_HEADER_DOC =
            "Value of the Authorization header, e.g. 'Bearer abc123'; none if not set. A"
                    + " password: never logged, hidden in the REST API's config validation.";
    public static final String WEBHOOK_AUTH_HEADER_DISPLAY = "Authorization header";

    public static final String WEBHOOK_TIMEOUT_MS_CONFIG = "webhook.timeout.ms";
    public static final String WEBHOOK_TIMEOUT_MS_DOC =
            "Connect timeout and request timeout (until the response headers arrive) of one"
                    + " POST, in milliseconds. A timeout is retried like a 5xx.";
    public static final long WEBHOOK_TIMEOUT_MS_DEFAULT = 10_000;
    public static final String WEBHOOK_TIMEOUT_MS_DISPLAY = "Request timeout (ms)";

    public static final String MAX_RETRIES_CONFIG = "max.retries";
    public static final String MAX_RETRIES_DOC =
            "How many times a batch is retried after a transient failure (5xx, 408, 425, 429, I/O"
                    + " error, timeout) before the task fails. The count resets once a batch is"
                    + " fully delivered.";
    public static final int MAX_RETRIES_DEFAULT = 10;
    public static final String MAX_RETRIES_DISPLAY = "Max retries";

    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MS_DOC =
            "Wait before retrying a batch after a transient failure, in milliseconds (longer if"
                    + " the server sends Retry-After, up to 10 minutes).";
    public static final long RETRY_BACKOFF_MS_DEFAULT = 3000;
    public static final String RETRY_BACKOFF_MS_DISPLAY = "Retry backoff (ms)";

    public static final ConfigDef CONFIG_DEF = configDef();

    private final URI webhookUrl;

    public AlertWebhookSinkConfig(Map<String, String> props) {
        // Not logged by AbstractConfig: the URL may carry a secret. The task logs its host.
        super(CONFIG_DEF, props, false);
        this.webhookUrl = URI.create(getString(WEBHOOK_URL_CONFIG).trim());
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        new ConfigGroup(def, WEBHOOK_GROUP)
                .defineRequired(
                        WEBHOOK_URL_CONFIG,
                        Type.STRING,
                        new HttpUrlValidator(),
                        Importance.HIGH,
                        WEBHOOK_URL_DOC,
                        WEBHOOK_URL_DISPLAY)
                .define(
                        WEBHOOK_AUTH_HEADER_CONFIG,
                        Type.PASSWORD,
                        null,
                        null,
                        Importance.MEDIUM,
                        WEBHOOK_AUTH_HEADER_DOC,
                        WEBHOOK_AUTH_HEADER_DISPLAY)
                .define(
                        WEBHOOK_TIMEOUT_MS_CONFIG,
                        Type.LONG,
                        WEBHOOK_TIMEOUT_MS_DEFAULT,
                        Range.between(1, 600_000),
                        Importance.MEDIUM,
                        WEBHOOK_TIMEOUT_MS_DOC,
                        WEBHOOK_TIMEOUT_MS_DISPLAY);
        new ConfigGroup(def, RETRIES_GROUP)
                .define(
                        MAX_RETRIES_CONFIG,
                        Type.INT,
                        MAX_RETRIES_DEFAULT,
                        Range.atLeast(0),
                        Importance.MEDIUM,
                        MAX_RETRIES_DOC,
                        MAX_RETRIES_DISPLAY)
                .define(
                        RETRY_BACKOFF_MS_CONFIG,
                        Type.LONG,
                        RETRY_BACKOFF_MS_DEFAULT,
                        Range.between(0, 3_600_000),
                        Importance.MEDIUM,
                        RETRY_BACKOFF_MS_DOC,
                        RETRY_BACKOFF_MS_DISPLAY);
        return def;
    }

    public URI webhookUrl() {
        return webhookUrl;
    }

    /** The URL as logs show it: scheme, host and port only. */
    public String webhookOrigin() {
        return webhookUrl.getScheme()
                + "://"
                + webhookUrl.getHost()
                + (webhookUrl.getPort() < 0 ? "" : ":" + webhookUrl.getPort());
    }

    public Optional<Password> authHeader() {
        return Optional.ofNullable(getPassword(WEBHOOK_AUTH_HEADER_CONFIG));
    }

    public Duration timeout() {
        return Duration.ofMillis(getLong(WEBHOOK_TIMEOUT_MS_CONFIG));
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES_CONFIG);
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG));
    }

    /** An absolute http or https URL with a host. */
    static final class HttpUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            URI url;
            try {
                url = new URI(text);
            } catch (URISyntaxException e) {
                // The value is not echoed: it may be a secret.
                throw new ConfigException(name + " is not a URL: " + e.getReason());
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new ConfigException(
                        name + " must be an http or https URL, not '" + scheme + "'");
            }
            if (url.getHost() == null) {
                throw new ConfigException(name + " has no host");
            }
        }

        @Override
        public String toString() {
            return "absolute http or https URL";
        }
    }
}
