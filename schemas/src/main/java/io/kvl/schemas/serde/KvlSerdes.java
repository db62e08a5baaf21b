package io.kvl.schemas.serde;

import io.kvl.schemas.Alert;
import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.Frame;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;

/**
 * Serdes of the project's events, in the spirit of Kafka's {@code Serdes}: each call returns a new
 * {@link AvroSerde} (they are thread-safe, so one instance may also be shared).
 */
public final class KvlSerdes {

    private KvlSerdes() {}

    public static AvroSerde<VideoChunk> videoChunk() {
        return new AvroSerde<>(VideoChunk.class);
    }

    public static AvroSerde<Frame> frame() {
        return new AvroSerde<>(Frame.class);
    }

    public static AvroSerde<LabeledFrame> labeledFrame() {
        return new AvroSerde<>(LabeledFrame.class);
    }

    public static AvroSerde<DeadLetter> deadLetter() {
        return new AvroSerde<>(DeadLetter.class);
    }

    public static AvroSerde<LabelCount> labelCount() {
        return new AvroSerde<>(LabelCount.class);
    }

    public static AvroSerde<Alert> alert() {
        return new AvroSerde<>(Alert.class);
    }
}
