package io.kvl.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.connect.testing.CarClip;
import io.kvl.connect.testing.Chunks;
import io.kvl.connect.testing.StubSourceTaskContext;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The source task on files and missing files, without a worker. */
class CameraSourceTaskTest {
    private static final String TOPIC = "kvl.video-chunks";

    private final List<CameraSourceTask> tasks = new ArrayList<>();

    @AfterEach
    void stopTasks() {
        tasks.forEach(CameraSourceTask::stop);
    }

    private CameraSourceTask start(
            String cameras, Map<String, String> overrides, StubSourceTaskContext context) {
        Map<String, String> props = new HashMap<>();
        props.put(CameraSourceConfig.CAMERAS_CONFIG, cameras);
        props.put(CameraSourceConfig.FILE_REALTIME_CONFIG, "false");
        props.putAll(overrides);
        CameraSourceTask task = new CameraSourceTask();
        task.initialize(context);
        task.start(props);
        tasks.add(task);
        return task;
    }

    private static List<SourceRecord> pollUntil(CameraSourceTask task, int count)
            throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            List<SourceRecord> polled = task.poll();
            if (polled != null) {
                records.addAll(polled);
            }
        }
        return records;
    }

    private static VideoChunk event(SourceRecord record) {
        return KvlSerdes.videoChunk().deserialize(TOPIC, (byte[]) record.value());
    }

    @Test
    void shouldEmitEveryChunkOfAFileOnceAndTheyDecodeToTheClipsFrames() throws Exception {
        Path clip = CarClip.path();
        long before = System.currentTimeMillis();
        CameraSourceTask task = start("car=" + clip.toUri(), Map.of(), new StubSourceTaskContext());

        List<SourceRecord> records = pollUntil(task, CarClip.CHUNKS);
        assertThat(task.poll()).isNull(); // the file has ended

        assertThat(records).hasSize(CarClip.CHUNKS);
        int frames = 0;
        long expectedFirstFrame = 0;
        for (int i = 0; i < records.size(); i++) {
            SourceRecord record = records.get(i);
            VideoChunk chunk = event(record);
            assertThat(record.topic()).isEqualTo(TOPIC);
            assertThat(record.key()).isEqualTo("car");
            assertThat(record.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
            assertThat(record.valueSchema()).isEqualTo(Schema.BYTES_SCHEMA);
            assertThat(record.sourcePartition()).isEqualTo(Map.of("camera", "car"));
            assertThat(new HashMap<String, Object>(record.sourceOffset()))
                    .containsEntry("sequence", (long) i)
                    .containsEntry("position", (long) i)
                    .containsEntry("path", clip.toString());
            assertThat(chunk.getCameraId()).isEqualTo("car");
            assertThat(chunk.getSequence()).isEqualTo(i);
            assertThat(chunk.getFirstFrameIndex()).isEqualTo(expectedFirstFrame);
            assertThat(chunk.getKeyframeAligned()).isTrue();
            assertThat(record.timestamp()).isEqualTo(chunk.getStartTimestamp().toEpochMilli());
            // Timestamps: playback start + position in the file (a GOP is 4.8 s).
            assertThat(chunk.getStartTimestamp().toEpochMilli())
                    .isBetween(before + 4800L * i, System.currentTimeMillis() + 4800L * i);
            frames += Chunks.decodedFrames(chunk);
            expectedFirstFrame += chunk.getFrameCount();
        }
        assertThat(frames).isEqualTo(CarClip.FRAMES);
        assertThat(task.cameraStatus("car").orElseThrow().state())
                .isEqualTo(CameraStatus.State.FINISHED);
    }

    @Test
    void shouldResumeAFileAfterTheLastCommittedChunk() throws Exception {
        Path clip = CarClip.path();
        Map<String, Object> offset =
                Map.of(
                        "sequence", 3L,
                        "firstFrameIndex", 180L,
                        "frameCount", 60L,
                        "path", clip.toString(),
                        "position", 3);
        StubSourceTaskContext context =
                new StubSourceTaskContext(Map.of(Map.of("camera", "car"), offset));

        List<SourceRecord> records = pollUntil(start("car=" + clip.toUri(), Map.of(), context), 3);

        assertThat(records).extracting(r -> event(r).getSequence()).containsExactly(4L, 5L, 6L);
        assertThat(records)
                .extracting(r -> event(r).getFirstFrameIndex())
                .containsExactly(240L, 300L, 360L);
        assertThat(records)
                .extracting(r -> (Object) r.sourceOffset().get("position"))
                .containsExactly(4L, 5L, 6L);
    }

    @Test
    void shouldStartAnotherFileFromItsBeginningButKeepNumbering() throws Exception {
        Path clip = CarClip.path();
        Map<String, Object> offset =
                Map.of(
                        "sequence", 3L,
                        "firstFrameIndex", 180L,
                        "frameCount", 60L,
                        "path", "/videos/another-file.mp4",
                        "position", 3L);
        StubSourceTaskContext context =
                new StubSourceTaskContext(Map.of(Map.of("camera", "car"), offset));

        List<SourceRecord> records = pollUntil(start("car=" + clip.toUri(), Map.of(), context), 1);

        assertThat(event(records.get(0)).getSequence()).isEqualTo(4L);
        assertThat(event(records.get(0)).getFirstFrameIndex()).isEqualTo(240L);
        assertThat(records.get(0).sourceOffset().get("position")).isEqualTo(0L);
    }

    @Test
    void shouldLoopAFileWithIncreasingNumbersAndTimestamps() throws Exception {
        Path clip = CarClip.path();
        CameraSourceTask task =
                start(
                        "car=" + clip.toUri(),
                        Map.of(CameraSourceConfig.FILE_LOOP_CONFIG, "true"),
                        new StubSourceTaskContext());

        List<SourceRecord> records = pollUntil(task, CarClip.CHUNKS + 3);

        VideoChunk secondPass = event(records.get(CarClip.CHUNKS));
        assertThat(secondPass.getSequence()).isEqualTo(CarClip.CHUNKS);
        assertThat(secondPass.getFirstFrameIndex()).isEqualTo(CarClip.FRAMES);
        assertThat(records.get(CarClip.CHUNKS).sourceOffset().get("position")).isEqualTo(0L);
        assertThat(records)
                .extracting(r -> event(r).getStartTimestamp())
                .isSortedAccordingTo(Comparable::compareTo)
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldPlayAFileInRealTimeByDefault() throws Exception {
        Path clip = CarClip.path();
        CameraSourceTask task =
                start(
                        "car=" + clip.toUri(),
                        Map.of(CameraSourceConfig.FILE_REALTIME_CONFIG, "true"),
                        new StubSourceTaskContext());

        // The first chunk is a 4.8 s GOP: a live camera would have it complete 4.8 s from now.
        assertThat(task.poll()).isNull();
        assertThat(task.poll()).isNull();
        CameraStatus.Snapshot status = task.cameraStatus("car").orElseThrow();
        assertThat(status.state())
                .isIn(CameraStatus.State.CONNECTING, CameraStatus.State.STREAMING);
        assertThat(status.chunks()).isZero();
    }

    @Test
    void shouldRetryAMissingFileWithBackoffAndSayWhy() throws Exception {
        CameraSourceTask task =
                start(
                        "gone=file:///nonexistent/clip.mp4",
                        Map.of(
                                CameraSourceConfig.RECONNECT_BACKOFF_INITIAL_MS_CONFIG, "100",
                                CameraSourceConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "400"),
                        new StubSourceTaskContext());

        assertThat(task.poll()).isNull();
        assertThat(task.poll()).isNull();

        CameraStatus.Snapshot status = task.cameraStatus("gone").orElseThrow();
        assertThat(status.consecutiveFailures()).isGreaterThanOrEqualTo(2);
        assertThat(status.connectAttempts()).isGreaterThanOrEqualTo(2);
        assertThat(status.lastError())
                .contains("/nonexistent/clip.mp4")
                .contains("cannot be opened");
        assertThat(status.chunks()).isZero();
    }
}
