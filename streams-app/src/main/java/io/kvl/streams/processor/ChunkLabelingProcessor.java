package io.kvl.streams.processor;

import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.streams.inference.Prediction;
import io.kvl.video.ChunkDecoder;
import io.kvl.video.DecodedFrame;
import io.kvl.video.FpsSampler;
import io.kvl.video.FrameSelector;
import io.kvl.video.VideoDecodeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decodes one video chunk, samples its frames per camera, labels them through the shared
 * micro-batcher and forwards one {@link LabeledFrame} per sampled frame, all before {@code
 * process()} returns. The per-camera sampling position lives in a changelogged store, written only
 * when the chunk succeeded, so a chunk reprocessed after a crash yields the same frames.
 */
final class ChunkLabelingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final Pipeline p;
    private ProcessorContext<byte[], byte[]> ctx;
    private KeyValueStore<String, Long> sampling;
    private final ChunkDecoder decoder = new ChunkDecoder();
    private final InputGate<VideoChunk> gate;

    ChunkLabelingProcessor(Pipeline pipeline) {
        this.p = pipeline;
        this.gate =
                new InputGate<>(
                        pipeline,
                        pipeline.chunkDeserializer(),
                        VideoChunk::getCameraId,
                        pipeline.maxChunkBytes(),
                        "max.chunk.bytes");
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ctx = context;
        this.sampling = context.getStateStore(Pipeline.SAMPLING_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        VideoChunk chunk = gate.admit(ctx, in);
        if (chunk == null) {
            return;
        }
        String camera = chunk.getCameraId();
        String invalid = invalidFields(chunk);
        if (invalid != null) {
            p.dlq().route(ctx, in, "validate", "invalid-chunk", camera, invalid, null);
            return;
        }
        label(in, chunk, camera);
    }

    /** Null when the declared fields are usable, else what is wrong with them. */
    private static String invalidFields(VideoChunk chunk) {
        if (chunk.getFrameCount() < 1) {
            return "frameCount must be positive, got " + chunk.getFrameCount();
        }
        if (!(chunk.getFrameRate() > 0) || Double.isInfinite(chunk.getFrameRate())) {
            return "frameRate must be positive, got " + chunk.getFrameRate();
        }
        if (chunk.getStartTimestamp().toEpochMilli() < 0) {
            // Labels are Kafka records timestamped with their capture time, which Kafka rejects
            // when negative (see label()).
            return "startTimestamp must not be before 1970, got " + chunk.getStartTimestamp();
        }
        if (chunk.getFirstFrameIndex() < 0) {
            return "firstFrameIndex must not be negative, got " + chunk.getFirstFrameIndex();
        }
        if (!chunk.getCodec().equalsIgnoreCase("h264")
                && !chunk.getCodec().equalsIgnoreCase("avc")) {
            return "unsupported codec '" + chunk.getCodec() + "' (supported: h264)";
        }
        if (!chunk.getContainer().matches("mpegts|mp4|mov")) {
            return "unsupported container '" + chunk.getContainer() + "' (supported: mpegts, mp4)";
        }
        return null;
    }

    private void label(Record<byte[], byte[]> in, VideoChunk chunk, String camera) {
        long startMicros = chunk.getStartTimestamp().toEpochMilli() * 1000;
        FpsSampler sampler = null;
        FrameSelector selector;
        switch (p.samplingMode()) {
            case "keyframes" -> selector = FrameSelector.keyframesOnly();
            case "all" -> selector = FrameSelector.all();
            default -> {
                Long last = sampling.get(camera);
                sampler =
                        last == null
                                ? new FpsSampler(p.samplingFps())
                                : FpsSampler.resume(p.samplingFps(), last);
                selector = sampler.forChunk(startMicros);
            }
        }
        List<DecodedFrame> frames;
        long t0 = System.nanoTime();
        try {
            frames =
                    decoder.decode(
                            InputGate.bytes(chunk.getData()),
                            chunk.getContainer(),
                            chunk.getFrameCount(),
                            selector,
                            p.classifier().resolution());
        } catch (VideoDecodeException e) {
            String reason = e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
            p.dlq().route(ctx, in, "decode", reason, camera, e.getMessage(), e);
            return;
        }
        for (DecodedFrame f : frames) {
            // A corrupt PTS can still put a frame before 1970 (or overflow the sum): forwarding it
            // would throw and stop the stream thread on this record after every restart. Checked
            // before anything is sent, so the chunk is all labels or one dead letter.
            if (captureMillis(chunk, f) < 0) {
                p.dlq()
                        .route(
                                ctx,
                                in,
                                "decode",
                                "invalid-chunk",
                                camera,
                                "frame " + f.indexInChunk() + " would be captured before 1970",
                                null);
                return;
            }
        }
        p.metrics().chunkDecoded(chunk.getFrameCount(), System.nanoTime() - t0);
        List<Prediction> predictions =
                p.classify(frames.stream().map(DecodedFrame::image).toList());
        long now = ctx.currentSystemTimeMs();
        byte[] cameraKey = camera.getBytes(StandardCharsets.UTF_8);
        Serializer<LabeledFrame> ser = p.labelSerializer();
        for (int i = 0; i < frames.size(); i++) {
            DecodedFrame f = frames.get(i);
            long capture = captureMillis(chunk, f);
            LabeledFrames.Origin origin =
                    new LabeledFrames.Origin(
                            camera,
                            capture,
                            chunk.getFirstFrameIndex() + f.indexInChunk(),
                            chunk.getSequence(),
                            f.keyframe());
            LabeledFrame out = p.frames().build(origin, predictions.get(i), now);
            ctx.forward(
                    new Record<>(cameraKey, ser.serialize(p.labelsTopic(), out), capture),
                    Pipeline.LABELS_SINK);
        }
        p.metrics().framesLabeled(frames.size());
        if (sampler != null && sampler.lastSelectedMicros().isPresent()) {
            sampling.put(camera, sampler.lastSelectedMicros().getAsLong());
        }
    }

    /** Capture time of a decoded frame, epoch milliseconds (negative when invalid, see label()). */
    private static long captureMillis(VideoChunk chunk, DecodedFrame f) {
        return chunk.getStartTimestamp().toEpochMilli() + f.ptsMicros() / 1000;
    }
}
