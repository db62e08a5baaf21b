package io.kvl.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.connect.testing.CarClip;
import io.kvl.connect.testing.StallingHttpServer;
import io.kvl.connect.testing.StubSourceTaskContext;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.video.Chunk;
import io.kvl.video.ClipChunker;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * A camera that accepts the connection and then sends nothing must not hang the task: poll() keeps
 * returning, the reader times out and retries, stop() returns at once.
 */
class CameraSourceTaskStallTest {
    private static final String CAMERA = "stalled";

    /** poll() waits up to 1 s; the rest is slack for a busy machine. */
    private static final Duration POLL_BOUND = Duration.ofMillis(2000);

    /** stop() waits up to 2 s for the readers. */
    private static final Duration STOP_BOUND = Duration.ofMillis(3000);

    private static CameraSourceTask start(String url, long rwTimeoutMs) {
        CameraSourceTask task = new CameraSourceTask();
        task.initialize(new StubSourceTaskContext());
        task.start(
                Map.of(
                        CameraSourceConfig.CAMERAS_CONFIG,
                        CAMERA + "=" + url,
                        CameraSourceConfig.RW_TIMEOUT_MS_CONFIG,
                        Long.toString(rwTimeoutMs),
                        CameraSourceConfig.RECONNECT_BACKOFF_INITIAL_MS_CONFIG,
                        "200",
                        CameraSourceConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                        "800"));
        return task;
    }

    /** Polls for {@code duration}, asserting that no poll() takes longer than {@code bound}. */
    private static List<SourceRecord> pollFor(
            CameraSourceTask task, Duration duration, Duration bound) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            List<SourceRecord> polled = task.poll();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
            if (polled != null) {
                records.addAll(polled);
            }
        }
        return records;
    }

    private static Duration timeToStop(CameraSourceTask task) {
        long start = System.nanoTime();
        task.stop();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static boolean readerThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("kvl-camera-" + CAMERA) && t.isAlive());
    }

    @Test
    void shouldTimeOutAndRetryASilentCameraWithoutBlockingPollOrStop() throws Exception {
        try (StallingHttpServer camera = new StallingHttpServer()) {
            CameraSourceTask task = start(camera.url(), 1000);

            List<SourceRecord> records = pollFor(task, Duration.ofSeconds(5), POLL_BOUND);

            assertThat(records).isEmpty();
            CameraStatus.Snapshot status = task.cameraStatus(CAMERA).orElseThrow();
            assertThat(status.consecutiveFailures()).isGreaterThanOrEqualTo(2);
            assertThat(status.lastError()).isNotNull();
            assertThat(status.state())
                    .isIn(CameraStatus.State.CONNECTING, CameraStatus.State.BACKING_OFF);
            assertThat(camera.connections()).isGreaterThanOrEqualTo(2);

            assertThat(timeToStop(task)).isLessThan(STOP_BOUND);
            assertThat(task.cameraStatus(CAMERA).orElseThrow().state())
                    .isEqualTo(CameraStatus.State.STOPPED);
        }
    }

    @Test
    void shouldStopPromptlyWhileAReadIsBlockedAndLetTheReaderExitAfterTheTimeout()
            throws Exception {
        try (StallingHttpServer camera = new StallingHttpServer()) {
            CameraSourceTask task = start(camera.url(), 3000);
            assertThat(task.poll()).isNull(); // the reader is now blocked in FFmpeg's open

            assertThat(timeToStop(task)).isLessThan(STOP_BOUND);

            // The blocked open gives up after rw.timeout.ms (twice: JavaCV tries to open twice);
            // the thread then frees FFmpeg and ends.
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (readerThreadAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(readerThreadAlive()).isFalse();
        }
    }

    @Test
    void shouldRecoverOnceTheCameraSendsVideoAndKeepNumberingAcrossReconnects() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Chunk chunk : ClipChunker.chunkAll(CarClip.path(), ClipChunker.Options.defaults())) {
            stream.write(chunk.data());
        }
        try (StallingHttpServer camera = new StallingHttpServer()) {
            CameraSourceTask task = start(camera.url(), 1000);
            pollFor(task, Duration.ofMillis(2500), POLL_BOUND);
            assertThat(task.cameraStatus(CAMERA).orElseThrow().consecutiveFailures()).isPositive();

            camera.serve(stream.toByteArray());
            List<SourceRecord> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // Each connection now streams the clip and ends, like a camera that drops: the
            // reader reconnects, and the sequence goes on.
            while (records.size() < CarClip.CHUNKS + 2 && System.nanoTime() < deadline) {
                records.addAll(pollFor(task, Duration.ofMillis(500), POLL_BOUND));
            }
            task.stop();

            assertThat(records.size()).isGreaterThanOrEqualTo(CarClip.CHUNKS + 2);
            List<VideoChunk> chunks =
                    records.stream()
                            .map(r -> KvlSerdes.videoChunk().deserialize("t", (byte[]) r.value()))
                            .toList();
            long firstFrame = 0;
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(chunks.get(i).getSequence()).isEqualTo(i);
                assertThat(chunks.get(i).getFirstFrameIndex()).isEqualTo(firstFrame);
                firstFrame += chunks.get(i).getFrameCount();
            }
            CameraStatus.Snapshot status = task.cameraStatus(CAMERA).orElseThrow();
            assertThat(status.chunks()).isEqualTo(records.size());
        }
    }
}
