package io.kvl.video;

import io.kvl.image.RgbImage;

/**
 * One selected frame of a chunk, scaled and centre-cropped to the model's square input.
 *
 * @param indexInChunk 0-based position in presentation order among all decoded frames of the chunk
 *     (selected or not), so {@code chunk.firstFrameIndex() + indexInChunk} is the frame's index in
 *     the clip
 * @param ptsMicros presentation time relative to the chunk's first frame
 * @param keyframe whether the decoder marked the frame as a keyframe
 * @param image {@code resolution x resolution} RGB pixels
 */
public record DecodedFrame(int indexInChunk, long ptsMicros, boolean keyframe, RgbImage image) {}
