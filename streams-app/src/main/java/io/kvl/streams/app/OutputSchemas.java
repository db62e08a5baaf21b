package io.kvl.streams.app;

import io.kvl.registry.EventSerdes;
import io.kvl.registry.RegistryOptions;
import io.kvl.registry.SchemaRegistrar;
import io.kvl.registry.SerdeFormat;
import io.kvl.schemas.Alert;
import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.config.LabelerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The serdes of the configured wire format and, with a registry, the schemas registered first. */
final class OutputSchemas {
    private static final Logger LOG = LoggerFactory.getLogger(OutputSchemas.class);

    private OutputSchemas() {}

    /** The value schema of every topic the application writes. */
    static Map<String, Schema> of(LabelerConfig config) {
        Map<String, Schema> m = new LinkedHashMap<>();
        m.put(config.labelsTopic(), LabeledFrame.getClassSchema());
        m.put(config.deadLetterTopic(), DeadLetter.getClassSchema());
        if (config.aggregationEnabled()) {
            m.put(config.countsTopic(), LabelCount.getClassSchema());
            m.put(config.alertsTopic(), Alert.getClassSchema());
        }
        return m;
    }

    /**
     * Serdes of {@code serde.format}; in confluent mode the output schemas are registered (or
     * checked) first.
     *
     * @throws io.kvl.registry.SchemaRegistrationException naming the subject and the reason
     */
    static EventSerdes serdes(LabelerConfig config) {
        RegistryOptions registry = config.registryOptions();
        SerdeFormat format = config.serdeFormat();
        if (format == SerdeFormat.CONFLUENT) {
            new SchemaRegistrar(registry).registerAll(of(config));
        }
        LOG.info(
                "Events written as {}{}",
                format.configValue(),
                registry == null ? " (no schema registry)" : " (schema registry " + registry + ")");
        return EventSerdes.create(format, registry);
    }
}
