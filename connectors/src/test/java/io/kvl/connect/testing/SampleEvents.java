package io.kvl.connect.testing;

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

/** One valid event of each type, varied by {@code i}. */
public final class SampleEvents {
    public static final Instant T0 = Instant.ofEpochMilli(1_714_564_800_250L);

    private SampleEvents() {}

    public static Alert alert(int i) {
        return Alert.newBuilder()
                .setAlertId("person-at-door/cam-" + i + "/" + (T0.toEpochMilli() + i))
                .setRuleId("person-at-door")
                .setSeverity(Severity.WARNING)
                .setCameraId("cam-" + i)
                .setLabel("person")
                .setFirstSeen(T0.plusMillis(i))
                .setLastSeen(T0.plusMillis(i + 500))
                .setFrameCount(3 + i)
                .setPeakScore(0.93f)
                .setWindowStart(T0)
                .setWindowEnd(T0.plusSeconds(10))
                .build();
    }

    public static LabeledFrame labeledFrame(int i) {
        return LabeledFrame.newBuilder()
                .setCameraId("cam-1")
                .setCaptureTimestamp(T0.plusMillis(80L * i))
                .setFrameIndex(i)
                .setSourceChunkSequence(i / 25)
                .setLabels(
                        List.of(
                                new Label(817, "sports car", 0.71f),
                                new Label(511, "convertible", 0.12f)))
                .setModel(new ModelRef("efficientnet", "lite0", "v1"))
                .setBatchSize(8)
                .setInferenceLatencyMs(41.5)
                .setEndToEndLatencyMs(120.25)
                .setKeyframe(i == 0)
                .build();
    }

    public static LabelCount labelCount(int i) {
        return LabelCount.newBuilder()
                .setCameraId("cam-1")
                .setLabel("sports car")
                .setClassIndex(817)
                .setWindowStart(T0)
                .setWindowEnd(T0.plusSeconds(60))
                .setFrames(10 + i)
                .setMaxScore(0.9f)
                .setMeanScore(0.7f)
                .setClosed(i % 2 == 0)
                .build();
    }

    public static DeadLetter deadLetter(int i) {
        return DeadLetter.newBuilder()
                .setReason("cannot decode chunk " + i)
                .setStage("decode")
                .setErrorClass(i % 2 == 0 ? null : "io.kvl.video.VideoDecodeException")
                .setSourceTopic("kvl.video-chunks")
                .setSourcePartition(0)
                .setSourceOffset(i)
                .setCameraId("cam-1")
                .setFailedAt(T0)
                .setOriginalKey(ByteBuffer.wrap(new byte[] {'c', 'a', 'm'}))
                .setOriginalValue(null)
                .build();
    }

    public static VideoChunk videoChunk(int i) {
        return VideoChunk.newBuilder()
                .setCameraId("cam-1")
                .setSequence(i)
                .setContainer("mpegts")
                .setCodec("h264")
                .setStartTimestamp(T0)
                .setFrameRate(12.5)
                .setFrameCount(60)
                .setFirstFrameIndex(60L * i)
                .setKeyframeAligned(true)
                .setData(ByteBuffer.wrap(new byte[] {0x47, 1, 2, 3}))
                .build();
    }

    public static Frame frame(int i) {
        return Frame.newBuilder()
                .setCameraId("cam-1")
                .setCaptureTimestamp(T0)
                .setFrameIndex(i)
                .setEncoding(ImageEncoding.JPEG)
                .setData(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8}))
                .build();
    }
}
