package io.kvl.streams.aggregate;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Versioned binary serde of {@link LabelTally} for the window store and its changelog. */
public final class LabelTallySerde implements Serde<LabelTally> {
    @Override
    public Serializer<LabelTally> serializer() {
        return (topic, t) -> t == null ? null : t.toBytes();
    }

    @Override
    public Deserializer<LabelTally> deserializer() {
        return (topic, bytes) -> bytes == null ? null : LabelTally.fromBytes(bytes);
    }
}
