package io.kvl.streams.labeling;

import io.kvl.schemas.VideoChunk;
import io.kvl.streams.deadletter.DeadLetterRouter;
import io.kvl.streams.inference.Submission;
import io.kvl.streams.metrics.LabelerMetrics;
import io.kvl.video.ChunkSampler;
import io.kvl.video.DecodedFrame;
import io.kvl.video.VideoDecodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decodes one video chunk, samples its frames per camera, labels them through the shared
 * micro-batcher (each sampled frame queued as soon as it is decoded) and forwards one {@code
 * LabeledFrame} per sampled frame, all before {@code process()} returns. The per-camera sampling
 * position lives in a changelogged store, written only when the chunk succeeded, so a chunk
 * reprocessed after a crash yields the same frames.
 */
public final class ChunkLabelingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final InputGate<VideoChunk> gate;
    private final ChunkSampler sampler;
    private final String samplingStore;
    private final FrameLabeler labeler;
    private final DeadLetterRouter dlq;
    private final LabelerMetrics metrics;
    private ProcessorContext<byte[], byte[]> ctx;
    private KeyValueStore<String, Long> sampling;

    /**
     * @param samplingStore the key-value store of per-camera sampling positions (camera id to the
     *     capture time of its last sampled frame, microseconds)
     */
    public ChunkLabelingProcessor(
            InputGate<VideoChunk> gate,
            ChunkSampler sampler,
            String samplingStore,
            FrameLabeler labeler,
            DeadLetterRouter dlq,
            LabelerMetrics metrics) {
        this.gate = gate;
        this.sampler = sampler;
        this.samplingStore = samplingStore;
        this.labeler = labeler;
        this.dlq = dlq;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ctx = context;
        this.sampling = context.getStateStore(samplingStore);
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
            dlq.route(ctx, in, "validate", "invalid-chunk", camera, invalid, null);
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
        OptionalLong position = OptionalLong.empty();
        if (sampler.usesPosition()) {
            Long stored = sampling.get(camera);
            position = stored == null ? OptionalLong.empty() : OptionalLong.of(stored);
        }
        // Sampled frames go to inference as they are decoded, so the first batches run while the
        // rest of the chunk decodes; nothing is forwarded until the whole chunk decoded and
        // checked, and a chunk that fails cancels what it submitted.
        Submission submission = labeler.start();
        ChunkSampler.Sampled sampled;
        // Time spent waiting for room in the batcher's queue is not decoding: the decode metric
        // leaves it out.
        long[] queueNanos = {0};
        long t0 = System.nanoTime();
        try {
            sampled =
                    sampler.sample(
                            chunk,
                            position,
                            f -> {
                                long s = System.nanoTime();
                                FrameLabeler.add(submission, f.image());
                                queueNanos[0] += System.nanoTime() - s;
                            });
        } catch (VideoDecodeException e) {
            submission.cancel();
            String reason = e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
            dlq.route(ctx, in, "decode", reason, camera, e.getMessage(), e);
            return;
        } catch (RuntimeException e) {
            submission.cancel();
            throw e;
        }
        List<DecodedFrame> frames = sampled.frames();
        for (DecodedFrame f : frames) {
            // A corrupt PTS can still put a frame before 1970 (or overflow the sum): forwarding it
            // would throw and stop the stream thread on this record after every restart. Checked
            // before anything is sent, so the chunk is all labels or one dead letter. Found by
            // InputGateFuzzTest.
            if (captureMillis(chunk, f) < 0) {
                submission.cancel();
                dlq.route(
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
        metrics.chunkDecoded(chunk.getFrameCount(), System.nanoTime() - t0 - queueNanos[0]);
        List<LabeledFrames.Origin> origins = new ArrayList<>(frames.size());
        for (DecodedFrame f : frames) {
            origins.add(
                    new LabeledFrames.Origin(
                            camera,
                            captureMillis(chunk, f),
                            chunk.getFirstFrameIndex() + f.indexInChunk(),
                            chunk.getSequence(),
                            f.keyframe()));
        }
        labeler.finish(ctx, submission, frames.stream().map(DecodedFrame::image).toList(), origins);
        if (sampled.position().isPresent() && !sampled.position().equals(position)) {
            sampling.put(camera, sampled.position().getAsLong());
        }
    }

    /** Capture time of a decoded frame, epoch milliseconds (negative when invalid, see label()). */
    private static long captureMillis(VideoChunk chunk, DecodedFrame f) {
        return chunk.getStartTimestamp().toEpochMilli() + f.ptsMicros() / 1000;
    }
}
