package io.kvl.registry;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the schema registry is and how to use it.
 *
 * @param url the registry's base URL ({@code http://registry:8080}); {@code /apis/registry/v3} is
 *     appended unless the URL already names an API path ({@code .../apis/...})
 * @param username basic-auth user, or null for none
 * @param password basic-auth password, or null
 * @param naming how subjects are named
 * @param autoRegister register the application's schemas at start (else only check that they are)
 * @param clientSettings further Apicurio client settings ({@code apicurio.registry.tls.*}, proxy,
 *     retries), passed through verbatim
 */
public record RegistryOptions(
        String url,
        String username,
        String password,
        SubjectNaming naming,
        boolean autoRegister,
        Map<String, Object> clientSettings) {

    public RegistryOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(naming, "naming");
        clientSettings = Map.copyOf(clientSettings);
    }

    /** Defaults: no authentication, subjects by topic, auto-registration, no extra settings. */
    public static RegistryOptions of(String url) {
        return new RegistryOptions(url, null, null, SubjectNaming.TOPIC, true, Map.of());
    }

    /** The URL of the registry's v3 REST API, which Apicurio's serdes and client use. */
    public String apiUrl() {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return base.contains("/apis/") ? base : base + "/apis/registry/v3";
    }

    /** The URL of the registry's Confluent-compatible API (for Confluent clients and tools). */
    public String confluentApiUrl() {
        String api = apiUrl();
        int at = api.indexOf("/apis/");
        return api.substring(0, at) + "/apis/ccompat/v7";
    }

    /**
     * Configuration of Apicurio's Kafka serdes for Confluent framing: 4-byte content id in the
     * payload (what the Confluent-compatible API calls the schema id), no headers, specific-record
     * reading, the subject strategy, whole (dereferenced) schemas, and no registration by the
     * serializer (the application registers at start, see {@link SchemaRegistrar}; the serializer
     * looks its schema up by content).
     */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> c = new HashMap<>(clientSettings);
        c.put(SchemaResolverConfig.REGISTRY_URL, apiUrl());
        c.put(SerdeConfig.USE_ID, IdOption.contentId.name());
        c.put(KafkaSerdeConfig.ENABLE_HEADERS, false);
        c.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        c.put(SchemaResolverConfig.ARTIFACT_RESOLVER_STRATEGY, naming.strategyClass());
        c.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, false);
        c.put(SchemaResolverConfig.FIND_LATEST_ARTIFACT, false);
        // The whole schema inline (Label, ModelRef included), as registered: a plain Avro reader
        // given the schema of an id needs nothing else, and the content lookup finds it.
        c.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, true);
        if (username != null && !username.isBlank()) {
            c.put(SchemaResolverConfig.AUTH_USERNAME, username);
            c.put(SchemaResolverConfig.AUTH_PASSWORD, password == null ? "" : password);
        }
        return c;
    }

    @Override
    public String toString() {
        // Never the password.
        return "RegistryOptions[url="
                + url
                + ", user="
                + (username == null ? "none" : username)
                + ", naming="
                + naming
                + ", autoRegister="
                + autoRegister
                + "]";
    }
}
