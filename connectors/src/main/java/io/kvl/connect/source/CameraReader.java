package io.kvl.connect.source;

import io.kvl.connect.source.CameraOffsets.ResumePoint;
import io.kvl.schemas.VideoChunk;
import io.kvl.video.Chunk;
import io.kvl.video.ClipChunker;
import io.kvl.video.VideoChunks;
import io.kvl.video.VideoDecodeException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one camera on its own thread and hands serialized chunks to the task through a bounded
 * queue, so a camera that blocks in FFmpeg never blocks {@code poll()}, the other cameras or the
 * worker.
 *
 * <p>Failures (cannot open, read error, a live stream that ends or sends nothing for {@code
 * rw.timeout.ms}) are retried with bounded exponential backoff for as long as the task runs. A file
 * ends (or loops); after a failure or a restart it is chunked again from its start and the chunks
 * already handed over are skipped, which costs one remux pass up to that point (about 12 ms for a
 * 30 s clip, but the whole file must be read).
 *
 * <p>{@link #close()} never touches FFmpeg from the caller's thread (a grabber must not be closed
 * while another thread reads it): it sets a flag and interrupts waits; a read blocked in FFmpeg
 * returns within {@code rw.timeout.ms}, then this thread closes its grabber and exits.
 */
final class CameraReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraReader.class);

    /** How often a blocked hand-over or wait looks at the closed flag. */
    private static final long CHECK_MILLIS = 200;

    private enum Outcome {
        RETRY,
        NEXT_PASS,
        FINISHED,
        CLOSED
    }

    private final CameraSpec camera;
    private final CameraSourceConfig config;
    private final ClipChunker.Options options;
    private final BlockingQueue<CapturedChunk> queue;
    private final Clock clock;
    private final Serializer<VideoChunk> serde;
    private final CameraStatus status = new CameraStatus();
    private final Backoff backoff;
    private final Thread thread;
    private volatile boolean closed;

    private long nextSequence;
    private long nextFrameIndex;

    /** Position of the last chunk handed over in the current pass over a file, or -1. */
    private long filePosition;

    /** End of the latest chunk handed over, so a file's timestamps never go back on a new pass. */
    private long lastEndMillis = Long.MIN_VALUE;

    CameraReader(
            CameraSpec camera,
            CameraSourceConfig config,
            ResumePoint resume,
            BlockingQueue<CapturedChunk> queue,
            Clock clock,
            Serializer<VideoChunk> serializer) {
        this.serde = serializer;
        this.camera = camera;
        this.config = config;
        this.options = new ClipChunker.Options(config.chunkDuration(), config.ffmpegOptions());
        this.queue = queue;
        this.clock = clock;
        this.backoff = new Backoff(config.reconnectBackoffInitial(), config.reconnectBackoffMax());
        this.nextSequence = resume.nextSequence();
        this.nextFrameIndex = resume.nextFrameIndex();
        this.filePosition = resume.filePosition();
        this.thread = new Thread(this, "kvl-camera-" + camera.id());
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler(
                (t, e) -> {
                    status.failed("reader thread died: " + e);
                    LOG.error("Camera {}: reader thread died; restart the task", camera.id(), e);
                });
    }

    CameraSpec camera() {
        return camera;
    }

    CameraStatus status() {
        return status;
    }

    void start() {
        thread.start();
    }

    /** Asks the reader to stop; returns at once. */
    void close() {
        closed = true;
        status.stopped();
        thread.interrupt();
    }

    /** Waits up to {@code timeout} for the thread to exit; true if it has. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                Outcome outcome = readOnce();
                if (outcome == Outcome.FINISHED) {
                    status.finished();
                    LOG.info(
                            "Camera {}: file finished after sequence {}",
                            camera.id(),
                            nextSequence - 1);
                    return;
                }
                if (outcome == Outcome.RETRY) {
                    Duration wait = backoff.next();
                    LOG.info("Camera {}: reconnecting in {} ms", camera.id(), wait.toMillis());
                    sleepUntil(clock.millis() + wait.toMillis());
                }
            }
        } catch (InterruptedException e) {
            // Only close() interrupts this thread.
            Thread.currentThread().interrupt();
        } finally {
            if (closed) {
                LOG.info("Camera {}: reader stopped", camera.id());
            }
        }
    }

    /** One connection: open, hand over chunks until the source ends, fails or we close. */
    private Outcome readOnce() throws InterruptedException {
        status.connecting();
        LOG.info("Camera {}: opening {}", camera.id(), camera.redactedUrl());
        try (ClipChunker chunker = ClipChunker.open(camera.ffmpegSource(), options)) {
            status.connected();
            LOG.info(
                    "Camera {}: opened, {}x{} at {} fps",
                    camera.id(),
                    chunker.width(),
                    chunker.height(),
                    chunker.frameRate());
            int chunks = stream(chunker);
            if (closed) {
                return Outcome.CLOSED;
            }
            if (chunks == 0) {
                fail("the source ended before its first complete chunk");
                return Outcome.RETRY;
            }
            if (camera.isFile()) {
                filePosition = -1;
                return config.fileLoop() ? Outcome.NEXT_PASS : Outcome.FINISHED;
            }
            // JavaCV reports a read error (and an rw_timeout) like the end of the stream.
            fail("the stream ended or stalled");
            return Outcome.RETRY;
        } catch (VideoDecodeException | RuntimeException e) {
            if (closed) {
                return Outcome.CLOSED;
            }
            fail(e.getClass().getSimpleName() + ": " + camera.redactIn(e.getMessage()));
            return Outcome.RETRY;
        }
    }

    private void fail(String reason) {
        status.failed(reason);
        LOG.warn(
                "Camera {} ({}): {} (failure {} in a row)",
                camera.id(),
                camera.redactedUrl(),
                reason,
                status.snapshot().consecutiveFailures());
    }

    /** Hands over the source's chunks; returns how many it read (handed over or skipped). */
    private int stream(ClipChunker chunker) throws VideoDecodeException, InterruptedException {
        int read = 0;
        long baseMillis = Long.MIN_VALUE;
        Optional<Chunk> next;
        while (!closed && (next = chunker.next()).isPresent()) {
            Chunk chunk = next.get();
            read++;
            if (camera.isFile() && chunk.sequence() <= filePosition) {
                continue; // handed over before a failure or a restart
            }
            long startMillis;
            if (camera.isFile()) {
                if (baseMillis == Long.MIN_VALUE) {
                    baseMillis =
                            Math.max(clock.millis(), lastEndMillis) - chunk.startPtsMicros() / 1000;
                }
                startMillis = baseMillis + chunk.startPtsMicros() / 1000;
                if (config.fileRealtime()) {
                    sleepUntil(startMillis + chunk.durationMicros() / 1000);
                }
            } else {
                // A live chunk is complete when the next keyframe arrives: its start is one
                // chunk ago. The camera's clock is not trusted (it drifts, or resets).
                startMillis = clock.millis() - chunk.durationMicros() / 1000;
            }
            if (!handOver(chunk, startMillis)) {
                break;
            }
        }
        return read;
    }

    /** Queues the chunk for poll(); false if the reader was closed while the queue was full. */
    private boolean handOver(Chunk chunk, long startMillis) throws InterruptedException {
        long sequence = nextSequence;
        VideoChunk event =
                VideoChunks.toEvent(camera.id(), chunk, sequence, nextFrameIndex, startMillis);
        Map<String, Object> offset =
                CameraOffsets.offset(
                        camera, sequence, nextFrameIndex, chunk.frameCount(), chunk.sequence());
        CapturedChunk captured =
                new CapturedChunk(
                        camera.id(),
                        sequence,
                        startMillis,
                        serde.serialize(config.topic(), event),
                        offset);
        while (!queue.offer(captured, CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
            if (closed) {
                return false;
            }
        }
        nextSequence++;
        nextFrameIndex += chunk.frameCount();
        filePosition = chunk.sequence();
        lastEndMillis = startMillis + chunk.durationMicros() / 1000;
        if (status.snapshot().consecutiveFailures() > 0) {
            LOG.info("Camera {}: recovered at sequence {}", camera.id(), sequence);
        }
        status.chunkDelivered(clock.instant());
        backoff.reset();
        return true;
    }

    private void sleepUntil(long wallMillis) throws InterruptedException {
        long remaining;
        while (!closed && (remaining = wallMillis - clock.millis()) > 0) {
            Thread.sleep(Math.min(remaining, CHECK_MILLIS));
        }
    }
}
