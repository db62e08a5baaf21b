package io.kvl.registry;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.client.RegistryClientFactory;
import io.apicurio.registry.client.common.RegistryClientOptions;
import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.models.CreateArtifact;
import io.apicurio.registry.rest.client.models.CreateArtifactResponse;
import io.apicurio.registry.rest.client.models.CreateRule;
import io.apicurio.registry.rest.client.models.CreateVersion;
import io.apicurio.registry.rest.client.models.IfArtifactExists;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.apicurio.registry.rest.client.models.RuleType;
import io.apicurio.registry.rest.client.models.RuleViolationCause;
import io.apicurio.registry.rest.client.models.RuleViolationProblemDetails;
import io.apicurio.registry.rest.client.models.VersionContent;
import io.apicurio.registry.rest.client.models.VersionSearchResults;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the application's output schemas at start, through Apicurio's Java SDK, so an
 * incompatible schema fails the start (naming the subject and the registry's reason) instead of the
 * first record. A subject the application creates gets the {@code BACKWARD} compatibility rule
 * (consumers on the new schema can read data written with the previous one). With auto-registration
 * off, it only checks that each schema is registered under its subject.
 */
public final class SchemaRegistrar {
    /** The group of artifacts the registry's Confluent-compatible API shows as subjects. */
    static final String GROUP = "default";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistrar.class);
    private static final String AVRO = "AVRO";
    private static final String JSON = "application/json";
    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;

    private final RegistryOptions options;

    public SchemaRegistrar(RegistryOptions options) {
        this.options = options;
    }

    /**
     * Registers (or checks) each schema under the subject of its topic.
     *
     * @param schemas topic to the value schema the application writes there
     * @return subject to the content id (the Confluent schema id) of the schema
     * @throws SchemaRegistrationException naming the subject and the registry's reason
     */
    public Map<String, Long> registerAll(Map<String, Schema> schemas) {
        RegistryClient client = RegistryClientFactory.create(clientOptions());
        Map<String, Long> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Schema> e : schemas.entrySet()) {
            String subject = options.naming().subject(e.getKey(), e.getValue());
            if (ids.containsKey(subject)) {
                continue;
            }
            long id =
                    options.autoRegister()
                            ? register(client, subject, e.getValue())
                            : check(client, subject, e.getValue());
            ids.put(subject, id);
        }
        LOG.info("Schemas registered at {}: {}", options.apiUrl(), ids);
        return ids;
    }

    private RegistryClientOptions clientOptions() {
        RegistryClientOptions o = RegistryClientOptions.create(options.apiUrl());
        if (options.username() != null && !options.username().isBlank()) {
            o.basicAuth(options.username(), options.password() == null ? "" : options.password());
        }
        Map<String, Object> s = options.clientSettings();
        Object trustStore = s.get("apicurio.registry.tls.truststore.location");
        if (trustStore != null) {
            Object password = s.getOrDefault("apicurio.registry.tls.truststore.password", "");
            String type =
                    String.valueOf(s.getOrDefault("apicurio.registry.tls.truststore.type", "JKS"));
            if (type.equalsIgnoreCase("PKCS12")) {
                o.trustStorePkcs12(trustStore.toString(), password.toString());
            } else if (type.equalsIgnoreCase("PEM")) {
                o.trustStorePem(trustStore.toString());
            } else {
                o.trustStoreJks(trustStore.toString(), password.toString());
            }
        }
        return o;
    }

    private long register(RegistryClient client, String subject, Schema schema) {
        boolean exists = exists(client, subject);
        CreateArtifact artifact = new CreateArtifact();
        artifact.setArtifactId(subject);
        artifact.setArtifactType(AVRO);
        artifact.setFirstVersion(version(schema));
        CreateArtifactResponse created;
        try {
            created =
                    client.groups()
                            .byGroupId(GROUP)
                            .artifacts()
                            .post(
                                    artifact,
                                    r ->
                                            r.queryParameters.ifExists =
                                                    IfArtifactExists.FIND_OR_CREATE_VERSION);
        } catch (RuntimeException e) {
            throw failure(subject, "registering the schema of " + schema.getFullName(), e);
        }
        if (!exists) {
            CreateRule rule = new CreateRule();
            rule.setRuleType(RuleType.COMPATIBILITY);
            rule.setConfig("BACKWARD");
            try {
                client.groups()
                        .byGroupId(GROUP)
                        .artifacts()
                        .byArtifactId(subject)
                        .rules()
                        .post(rule);
            } catch (ApiException e) {
                // Registrars racing on a new subject (the tasks of a connector, the instances of
                // the application starting together) all see it missing; one sets the rule.
                if (e.getResponseStatusCode() != CONFLICT) {
                    throw failure(subject, "setting BACKWARD compatibility", e);
                }
            } catch (RuntimeException e) {
                throw failure(subject, "setting BACKWARD compatibility", e);
            }
        }
        return created.getVersion().getContentId();
    }

    private long check(RegistryClient client, String subject, Schema schema) {
        VersionSearchResults found;
        try {
            found =
                    client.search()
                            .versions()
                            .post(
                                    new ByteArrayInputStream(
                                            schema.toString().getBytes(StandardCharsets.UTF_8)),
                                    JSON,
                                    r -> {
                                        r.queryParameters.groupId = GROUP;
                                        r.queryParameters.artifactId = subject;
                                        r.queryParameters.canonical = true;
                                        r.queryParameters.artifactType = AVRO;
                                    });
        } catch (RuntimeException e) {
            throw failure(subject, "looking up the schema of " + schema.getFullName(), e);
        }
        if (found.getVersions() == null || found.getVersions().isEmpty()) {
            throw new SchemaRegistrationException(
                    "Subject '"
                            + subject
                            + "' at "
                            + options.apiUrl()
                            + " has no version with the schema of "
                            + schema.getFullName()
                            + ", and schema.registry.auto.register=false: register it first");
        }
        return found.getVersions().get(0).getContentId();
    }

    private static boolean exists(RegistryClient client, String subject) {
        try {
            client.groups().byGroupId(GROUP).artifacts().byArtifactId(subject).get();
            return true;
        } catch (ApiException e) {
            if (e.getResponseStatusCode() == NOT_FOUND) {
                return false;
            }
            throw failure(subject, "reading the subject", e);
        }
    }

    private static CreateVersion version(Schema schema) {
        VersionContent content = new VersionContent();
        content.setContent(schema.toString());
        content.setContentType(JSON);
        CreateVersion v = new CreateVersion();
        v.setContent(content);
        return v;
    }

    private static SchemaRegistrationException failure(
            String subject, String doing, RuntimeException e) {
        return new SchemaRegistrationException(
                "Schema registry rejected subject '" + subject + "' (" + doing + "): " + reason(e),
                e);
    }

    /** The registry's own words: title, detail and, for rule violations, each cause. */
    static String reason(Throwable e) {
        if (e instanceof RuleViolationProblemDetails v) {
            String causes =
                    v.getCauses() == null
                            ? ""
                            : v.getCauses().stream()
                                    .map(SchemaRegistrar::cause)
                                    .collect(Collectors.joining("; ", " [", "]"));
            return "HTTP " + v.getStatus() + " " + text(v.getTitle(), v.getDetail()) + causes;
        }
        if (e instanceof ProblemDetails p) {
            return "HTTP " + p.getStatus() + " " + text(p.getTitle(), p.getDetail());
        }
        if (e instanceof ApiException a) {
            return "HTTP " + a.getResponseStatusCode() + " " + a.getMessage();
        }
        return e.getCause() != null && e.getCause() != e
                ? e + " <- " + reason(e.getCause())
                : e.toString();
    }

    private static String cause(RuleViolationCause c) {
        return c.getContext() == null
                ? c.getDescription()
                : c.getContext() + ": " + c.getDescription();
    }

    private static String text(String title, String detail) {
        if (detail == null || detail.equals(title)) {
            return String.valueOf(title);
        }
        return title == null ? detail : title + " (" + detail + ")";
    }
}
