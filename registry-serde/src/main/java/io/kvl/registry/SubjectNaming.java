package io.kvl.registry;

import io.apicurio.registry.serde.avro.strategy.QualifiedRecordIdStrategy;
import io.apicurio.registry.serde.strategy.TopicIdStrategy;
import java.util.Locale;
import org.apache.avro.Schema;

/**
 * How registry subjects are named ({@code schema.registry.subject.naming}), as Confluent's subject
 * name strategies: {@link #TOPIC} is {@code TopicNameStrategy}, {@link #RECORD} is {@code
 * RecordNameStrategy}. Each maps to the Apicurio artifact resolver strategy that yields the same
 * artifact id in the default group, which is what the registry's Confluent API calls the subject.
 */
public enum SubjectNaming {
    /** {@code <topic>-value}: one subject per topic (the default). */
    TOPIC(TopicIdStrategy.class.getName()),
    /** The record's full name ({@code io.kvl.schemas.LabeledFrame}): one subject per type. */
    RECORD(QualifiedRecordIdStrategy.class.getName());

    private final String strategyClass;

    SubjectNaming(String strategyClass) {
        this.strategyClass = strategyClass;
    }

    /** The subject of values of {@code schema} written to {@code topic}. */
    public String subject(String topic, Schema schema) {
        return this == TOPIC ? topic + "-value" : schema.getFullName();
    }

    String strategyClass() {
        return strategyClass;
    }

    /** The name in configuration files ({@code topic}, {@code record}). */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SubjectNaming fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
