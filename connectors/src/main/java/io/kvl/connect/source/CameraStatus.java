package io.kvl.connect.source;

import java.time.Instant;

/**
 * What a camera reader is doing, for logs, metrics and tests. Thread-safe: the reader thread
 * updates it, any thread reads a consistent {@link Snapshot}. {@link State#STOPPED} is final: a
 * reader still blocked in FFmpeg when the task stops changes nothing afterwards.
 */
public final class CameraStatus {

    /** The states of a camera reader. */
    public enum State {
        /** Opening the source (connecting, probing the streams). */
        CONNECTING,
        /** Connected and reading chunks. */
        STREAMING,
        /** The last attempt failed or the stream ended; waiting before reconnecting. */
        BACKING_OFF,
        /** A file camera reached its end (and does not loop). */
        FINISHED,
        /** The task stopped. */
        STOPPED
    }

    /**
     * A consistent view of a camera's status.
     *
     * @param state what the reader does now
     * @param lastError the latest failure (credentials redacted), or null if none yet
     * @param consecutiveFailures failed attempts since the last chunk read
     * @param connectAttempts attempts to open the source since the task started
     * @param chunks chunks handed to the task since it started
     * @param lastChunkAt when the latest chunk was handed over, or null
     */
    public record Snapshot(
            State state,
            String lastError,
            long consecutiveFailures,
            long connectAttempts,
            long chunks,
            Instant lastChunkAt) {}

    private Snapshot current = new Snapshot(State.CONNECTING, null, 0, 0, 0, null);

    public synchronized Snapshot snapshot() {
        return current;
    }

    synchronized void connecting() {
        Snapshot s = current;
        if (s.state() == State.STOPPED) {
            return;
        }
        current =
                new Snapshot(
                        State.CONNECTING,
                        s.lastError(),
                        s.consecutiveFailures(),
                        s.connectAttempts() + 1,
                        s.chunks(),
                        s.lastChunkAt());
    }

    /** The source is open; failures are only forgotten once a chunk arrives. */
    synchronized void connected() {
        set(State.STREAMING);
    }

    synchronized void chunkDelivered(Instant now) {
        Snapshot s = current;
        // Counted even after STOPPED: poll() may still have returned the chunk.
        State state = s.state() == State.STOPPED ? State.STOPPED : State.STREAMING;
        current = new Snapshot(state, s.lastError(), 0, s.connectAttempts(), s.chunks() + 1, now);
    }

    synchronized void failed(String error) {
        Snapshot s = current;
        if (s.state() == State.STOPPED) {
            return;
        }
        current =
                new Snapshot(
                        State.BACKING_OFF,
                        error,
                        s.consecutiveFailures() + 1,
                        s.connectAttempts(),
                        s.chunks(),
                        s.lastChunkAt());
    }

    synchronized void finished() {
        set(State.FINISHED);
    }

    synchronized void stopped() {
        set(State.STOPPED);
    }

    private void set(State state) {
        Snapshot s = current;
        if (s.state() == State.STOPPED) {
            return;
        }
        current =
                new Snapshot(
                        state,
                        s.lastError(),
                        s.consecutiveFailures(),
                        s.connectAttempts(),
                        s.chunks(),
                        s.lastChunkAt());
    }
}
