package io.kvl.video;

/**
 * Chooses which decoded frames are worth converting to model input. Every frame of a chunk is
 * decoded (H.264 frames depend on each other); only selected ones are scaled and copied.
 */
@FunctionalInterface
public interface FrameSelector {
    /**
     * Called once per decoded frame, in presentation order.
     *
     * @param indexInChunk 0-based index among all decoded frames of the chunk
     * @param ptsMicros presentation time relative to the chunk's first frame
     * @param keyframe whether the frame is a keyframe
     * @return true to convert the frame and return it
     */
    boolean select(int indexInChunk, long ptsMicros, boolean keyframe);

    /** Selects every frame. */
    static FrameSelector all() {
        return (index, pts, keyframe) -> true;
    }

    /** Selects keyframes only: one frame per GOP, cheap to reason about. */
    static FrameSelector keyframesOnly() {
        return (index, pts, keyframe) -> keyframe;
    }
}
