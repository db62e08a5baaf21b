package io.kvl.video;

import java.util.Arrays;
import java.util.Objects;

/**
 * A keyframe-aligned piece of a clip, remuxed without re-encoding: a complete container that {@link
 * ChunkDecoder} decodes on its own.
 *
 * @param sequence 0-based position among the clip's chunks
 * @param firstFrameIndex the clip-wide index of the chunk's first frame
 * @param frameCount video frames in the chunk (one per packet)
 * @param startPtsMicros presentation time of the chunk's first frame, relative to the clip's first
 *     frame; add a decoded frame's {@link DecodedFrame#ptsMicros()} to get its time in the clip
 * @param frameRate the clip's average frame rate, frames per second
 * @param data the container bytes (not copied)
 * @param container FFmpeg demuxer name of {@code data}, {@code "mpegts"}
 * @param codec FFmpeg name of the video codec, e.g. {@code "h264"}
 */
public record Chunk(
        int sequence,
        long firstFrameIndex,
        int frameCount,
        long startPtsMicros,
        double frameRate,
        byte[] data,
        String container,
        String codec) {
    public Chunk {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(codec, "codec");
        if (frameCount < 1) {
            throw new IllegalArgumentException("a chunk needs frames: " + frameCount);
        }
    }

    /** The duration the chunk's frames cover at the nominal frame rate. */
    public long durationMicros() {
        return frameRate > 0 ? Math.round(frameCount * 1_000_000 / frameRate) : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Chunk other
                && sequence == other.sequence
                && firstFrameIndex == other.firstFrameIndex
                && frameCount == other.frameCount
                && startPtsMicros == other.startPtsMicros
                && Double.compare(frameRate, other.frameRate) == 0
                && Arrays.equals(data, other.data)
                && container.equals(other.container)
                && codec.equals(other.codec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                sequence,
                firstFrameIndex,
                frameCount,
                startPtsMicros,
                frameRate,
                Arrays.hashCode(data),
                container,
                codec);
    }

    /** Shows the size of {@code data}, not its bytes. */
    @Override
    public String toString() {
        return "Chunk[sequence="
                + sequence
                + ", firstFrameIndex="
                + firstFrameIndex
                + ", frameCount="
                + frameCount
                + ", startPtsMicros="
                + startPtsMicros
                + ", frameRate="
                + frameRate
                + ", bytes="
                + data.length
                + ", container="
                + container
                + ", codec="
                + codec
                + "]";
    }
}
