package io.kvl.schemas.serde;

import io.kvl.schemas.Alert;
import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.Frame;
import io.kvl.schemas.ImageEncoding;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.ModelRef;
import io.kvl.schemas.Severity;
import io.kvl.schemas.VideoChunk;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecordBase;

/** One fully populated record of each type, with non-default values in every defaulted field. */
final class Samples {

    static final Instant CAPTURED = Instant.ofEpochMilli(1_767_225_600_123L);

    private Samples() {}

    /** A record type with its serde and a sample, so tests can iterate over all types. */
    record Case<T extends SpecificRecordBase>(
            Class<T> type, Supplier<AvroSerde<T>> serde, Supplier<T> sample) {

        byte[] serializeSample() {
            return serde.get().serialize("topic", sample.get());
        }

        T deserialize(byte[] bytes) {
            return serde.get().deserialize("topic", bytes);
        }

        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    static List<Case<?>> everyType() {
        return List.of(
                new Case<>(VideoChunk.class, KvlSerdes::videoChunk, Samples::videoChunk),
                new Case<>(Frame.class, KvlSerdes::frame, Samples::frame),
                new Case<>(LabeledFrame.class, KvlSerdes::labeledFrame, Samples::labeledFrame),
                new Case<>(DeadLetter.class, KvlSerdes::deadLetter, Samples::deadLetter),
                new Case<>(LabelCount.class, KvlSerdes::labelCount, Samples::labelCount),
                new Case<>(Alert.class, KvlSerdes::alert, Samples::alert));
    }

    static VideoChunk videoChunk() {
        return VideoChunk.newBuilder()
                .setCameraId("cam-7")
                .setSequence(42L)
                .setContainer("mpegts")
                .setCodec("h264")
                .setStartTimestamp(CAPTURED)
                .setFrameRate(25.0)
                .setFrameCount(50)
                .setFirstFrameIndex(2_100L)
                .setKeyframeAligned(false)
                .setData(ByteBuffer.wrap(new byte[] {0x47, 0x40, 0x11, 0x10, 0x00}))
                .build();
    }

    static Frame frame() {
        return Frame.newBuilder()
                .setCameraId("cam-7")
                .setCaptureTimestamp(CAPTURED)
                .setFrameIndex(2_101L)
                .setEncoding(ImageEncoding.PNG)
                .setData(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .build();
    }

    static LabeledFrame labeledFrame() {
        return labeledFrameBuilder().setSourceChunkSequence(42L).setKeyframe(true).build();
    }

    /** A LabeledFrame with only the fields of v1 set. */
    static LabeledFrame.Builder labeledFrameBuilder() {
        return LabeledFrame.newBuilder()
                .setCameraId("cam-7")
                .setCaptureTimestamp(CAPTURED)
                .setFrameIndex(2_101L)
                .setLabels(
                        List.of(
                                new Label(281, "tabby cat", 0.87f),
                                new Label(285, "Egyptian cat", 0.09f)))
                .setModel(new ModelRef("efficientnet", "lite0", "2024-01"))
                .setBatchSize(8)
                .setInferenceLatencyMs(12.5)
                .setEndToEndLatencyMs(340.25);
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setReason("truncated MPEG-TS packet")
                .setStage("decode")
                .setErrorClass("java.io.EOFException")
                .setSourceTopic("video-chunks")
                .setSourcePartition(3)
                .setSourceOffset(1_234_567L)
                .setCameraId("cam-7")
                .setFailedAt(CAPTURED.plusSeconds(2))
                .setOriginalKey(ByteBuffer.wrap(new byte[] {'c', 'a', 'm'}))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01, 0x7F}))
                .build();
    }

    static LabelCount labelCount() {
        return LabelCount.newBuilder()
                .setCameraId("cam-7")
                .setLabel("tabby cat")
                .setClassIndex(281)
                .setWindowStart(Instant.ofEpochMilli(1_767_225_600_000L))
                .setWindowEnd(Instant.ofEpochMilli(1_767_225_660_000L))
                .setFrames(1_500L)
                .setMaxScore(0.97f)
                .setMeanScore(0.81f)
                .setClosed(true)
                .build();
    }

    static Alert alert() {
        return Alert.newBuilder()
                .setAlertId("cat-on-table/cam-7/1767225600123")
                .setRuleId("cat-on-table")
                .setSeverity(Severity.WARNING)
                .setCameraId("cam-7")
                .setLabel("tabby cat")
                .setFirstSeen(CAPTURED)
                .setLastSeen(CAPTURED.plusSeconds(30))
                .setFrameCount(750)
                .setPeakScore(0.97f)
                .setWindowStart(Instant.ofEpochMilli(1_767_225_600_000L))
                .setWindowEnd(Instant.ofEpochMilli(1_767_225_660_000L))
                .build();
    }
}
