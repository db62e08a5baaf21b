package io.kvl.video;

import java.util.OptionalLong;

/**
 * Selects frames of one camera at no more than a target rate, across chunks: a frame is selected
 * when its capture time ({@code chunkStartMicros + ptsMicros}) is at least {@code 1 / fps} away
 * from the previously selected frame's capture time.
 *
 * <p>Because frames are discrete the effective rate is at most the target: at 2 fps a 29.83 fps
 * camera gets every 15th frame (1.99 fps), a 12.5 fps camera every 7th (1.79 fps).
 *
 * <p><b>Determinism across restarts.</b> The only state is the capture time of the last selected
 * frame ({@link #lastSelectedMicros()}), and selection is a pure function of that state and the
 * frames' capture times: no wall clock, no counters. Callers keep the state per camera in a state
 * store: create the sampler from the stored value with {@link #resume}, decode one chunk, and write
 * {@link #lastSelectedMicros()} back only if decoding succeeded (a failed chunk must not advance
 * the state). With exactly-once processing the store write commits atomically with the output, so a
 * chunk reprocessed after a crash starts from the same state and yields the same frames.
 *
 * <p>The distance is taken in both directions: a capture time more than one interval
 * <em>before</em> the last selected frame (a camera clock reset, or chunks replayed from an earlier
 * point) restarts sampling instead of selecting nothing until the clock catches up; a small step
 * back (jitter in chunk start times) is ignored.
 *
 * <p>Not thread-safe: one instance per camera, used by one thread.
 */
public final class FpsSampler {
    private final double framesPerSecond;
    private final long intervalMicros;
    private boolean hasSelected;
    private long lastSelectedMicros;

    /** A sampler that has not selected anything yet: the first frame it sees is selected. */
    public FpsSampler(double framesPerSecond) {
        if (!(framesPerSecond > 0) || Double.isInfinite(framesPerSecond)) {
            throw new IllegalArgumentException(
                    "frames per second must be positive and finite: " + framesPerSecond);
        }
        this.framesPerSecond = framesPerSecond;
        this.intervalMicros = Math.max(1, Math.round(1_000_000 / framesPerSecond));
    }

    /** A sampler continuing from persisted state: the last selected frame's capture time. */
    public static FpsSampler resume(double framesPerSecond, long lastSelectedMicros) {
        FpsSampler sampler = new FpsSampler(framesPerSecond);
        sampler.hasSelected = true;
        sampler.lastSelectedMicros = lastSelectedMicros;
        return sampler;
    }

    public double framesPerSecond() {
        return framesPerSecond;
    }

    /** The minimum distance between selected capture times. */
    public long intervalMicros() {
        return intervalMicros;
    }

    /** Capture time of the last selected frame, empty before the first selection. */
    public OptionalLong lastSelectedMicros() {
        return hasSelected ? OptionalLong.of(lastSelectedMicros) : OptionalLong.empty();
    }

    /**
     * The selector for one chunk; it updates this sampler's state as frames are selected.
     *
     * @param chunkStartMicros capture time of the chunk's first frame (for example the clip's start
     *     time plus {@link Chunk#startPtsMicros()}), on the same clock as the persisted state
     */
    public FrameSelector forChunk(long chunkStartMicros) {
        return (index, ptsMicros, keyframe) -> offer(chunkStartMicros + ptsMicros);
    }

    /** Decides for one capture time, updating the state when it is selected. */
    public boolean offer(long captureMicros) {
        if (hasSelected && Math.abs(captureMicros - lastSelectedMicros) < intervalMicros) {
            return false;
        }
        hasSelected = true;
        lastSelectedMicros = captureMicros;
        return true;
    }
}
