package io.kvl.video;

/**
 * A chunk or clip that FFmpeg could not turn into the expected frames. {@link #reason()} is meant
 * for machines (dead-letter headers, metrics); the message is for people.
 */
public final class VideoDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why decoding failed. */
    public enum Reason {
        /** Zero bytes: nothing to decode. */
        EMPTY,
        /** The bytes are not the declared container, or the container name is unknown. */
        UNREADABLE_CONTAINER,
        /** The container opened but holds no video stream. */
        NO_VIDEO_STREAM,
        /**
         * The video stream uses a codec (or pixel format) this FFmpeg build cannot decode, convert
         * or remux.
         */
        UNSUPPORTED_CODEC,
        /** Fewer frames decoded than declared: the data is cut short or corrupt. */
        TRUNCATED,
        /**
         * More frames decoded than declared. Treated as an error because frame indices derived from
         * the declared count would overlap the next chunk's.
         */
        TOO_MANY_FRAMES,
        /** FFmpeg failed while reading or writing packets of an opened stream. */
        CORRUPT_STREAM
    }

    private final Reason reason;

    public VideoDecodeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VideoDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
