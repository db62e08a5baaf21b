package io.kvl.video;

import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.AvroBytes;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Decodes one {@link VideoChunk} event and picks the frames the labeler labels: the one sequence
 * used by the streams app's chunk processor, the demo's report and the tests' expectations, so they
 * cannot drift apart.
 *
 * <p>In {@link SamplingMode#FPS} mode the camera's sampling position (the capture time of its last
 * sampled frame, microseconds) is passed in and the new position handed back; the caller persists
 * it only when the chunk decoded, so a failed or replayed chunk never moves it (see {@link
 * FpsSampler}). Thread-safe: holds no state between calls.
 */
public final class ChunkSampler {
    private final ChunkDecoder decoder = new ChunkDecoder();
    private final SamplingMode mode;
    private final double fps;
    private final int resolution;

    /**
     * @param fps target frames per second per camera (used in {@link SamplingMode#FPS} mode)
     * @param resolution side of the square model-input images
     */
    public ChunkSampler(SamplingMode mode, double fps, int resolution) {
        this.mode = mode;
        this.fps = fps;
        this.resolution = resolution;
        if (mode == SamplingMode.FPS) {
            new FpsSampler(fps); // validates the rate at construction instead of per chunk
        }
    }

    /** True when {@link #sample} takes and returns the camera's sampling position (fps mode). */
    public boolean usesPosition() {
        return mode == SamplingMode.FPS;
    }

    /**
     * The sampled frames of a chunk and the camera's sampling position after it.
     *
     * @param position capture time of the last sampled frame, empty when none yet or not in fps
     *     mode; unchanged from the input when the chunk had no frame to sample
     */
    public record Sampled(List<DecodedFrame> frames, OptionalLong position) {}

    /**
     * @param position the camera's sampling position before this chunk (fps mode only)
     * @throws VideoDecodeException when the chunk cannot be decoded to its declared frame count
     */
    public Sampled sample(VideoChunk chunk, OptionalLong position) throws VideoDecodeException {
        return sample(chunk, position, frame -> {});
    }

    /**
     * Like {@link #sample(VideoChunk, OptionalLong)}, handing each sampled frame to {@code
     * onSampled} as soon as it is decoded (see {@link ChunkDecoder#decode(byte[], String, int,
     * FrameSelector, int, Consumer)}): frames handed over before a {@link VideoDecodeException}
     * belong to a failed chunk.
     */
    public Sampled sample(VideoChunk chunk, OptionalLong position, Consumer<DecodedFrame> onSampled)
            throws VideoDecodeException {
        FpsSampler sampler = null;
        FrameSelector selector;
        switch (mode) {
            case KEYFRAMES -> selector = FrameSelector.keyframesOnly();
            case ALL -> selector = FrameSelector.all();
            default -> {
                sampler =
                        position.isPresent()
                                ? FpsSampler.resume(fps, position.getAsLong())
                                : new FpsSampler(fps);
                selector = sampler.forChunk(chunk.getStartTimestamp().toEpochMilli() * 1000);
            }
        }
        List<DecodedFrame> frames =
                decoder.decode(
                        AvroBytes.copy(chunk.getData()),
                        chunk.getContainer(),
                        chunk.getFrameCount(),
                        selector,
                        resolution,
                        onSampled);
        return new Sampled(frames, sampler == null ? position : sampler.lastSelectedMicros());
    }
}
