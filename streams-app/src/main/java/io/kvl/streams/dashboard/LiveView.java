package io.kvl.streams.dashboard;

import io.kvl.image.RgbImage;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.labeling.LabeledFrameObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows of each camera this instance labels, kept in memory only (never written
 * to Kafka): its latest labels, labeling rate, when its last frame came, and its latest few
 * thumbnails as small JPEGs. Thumbnails are encoded at most {@link #THUMBNAILS_PER_SECOND} times a
 * second per camera, so the stream threads' cost stays a millisecond or two per camera and second.
 */
public final class LiveView implements LabeledFrameObserver {
    static final int THUMBNAILS_PER_SECOND = 2;
    static final int THUMBNAILS_KEPT = 3;
    private static final long RATE_WINDOW_MS = 10_000;
    private static final int TOP_LABELS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);

    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
    // Wall clock of the instance, for "time since the last frame" and the thumbnails' rate.
    private final LongSupplier clock;

    public LiveView() {
        this(System::currentTimeMillis);
    }

    LiveView(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void labeled(LabeledFrame frame, RgbImage image) {
        try {
            cameras.computeIfAbsent(frame.getCameraId(), Camera::new)
                    .add(frame, image, clock.getAsLong());
        } catch (RuntimeException e) {
            // The view is best effort: it must never fail the record being labeled.
            LOG.warn(
                    "Live view could not take a frame of {}: {}",
                    frame.getCameraId(),
                    e.toString());
        }
    }

    /** One map per camera, by camera id, for the dashboard's JSON. */
    public List<Map<String, Object>> tiles() {
        long now = clock.getAsLong();
        List<Map<String, Object>> out = new ArrayList<>();
        new TreeMap<>(cameras).values().forEach(c -> out.add(c.tile(now)));
        return out;
    }

    /** The latest thumbnail of a camera, if it has one. */
    public Optional<byte[]> thumbnail(String camera) {
        Camera c = cameras.get(camera);
        return c == null ? Optional.empty() : c.latestThumbnail();
    }

    /** Capture time of every camera's latest frame. */
    public Map<String, Long> latestCaptures() {
        Map<String, Long> out = new LinkedHashMap<>();
        cameras.forEach((id, c) -> out.put(id, c.latestCapture()));
        return out;
    }

    private static final class Camera {
        private final String id;
        private final Deque<Long> recent = new ArrayDeque<>();
        private final Deque<byte[]> thumbnails = new ArrayDeque<>();
        private LabeledFrame latest;
        private long lastFrameAt;
        private long lastThumbnailAt;
        private long thumbnailSeq;
        private long frames;

        Camera(String id) {
            this.id = id;
        }

        synchronized void add(LabeledFrame frame, RgbImage image, long now) {
            frames++;
            if (latest == null
                    || frame.getCaptureTimestamp().isAfter(latest.getCaptureTimestamp())) {
                latest = frame;
            }
            lastFrameAt = now;
            // The rate is by capture time (frames labeled per second of video), so chunks that
            // arrive in bursts of several seconds of frames do not make it jump.
            recent.addLast(frame.getCaptureTimestamp().toEpochMilli());
            long newest = latest.getCaptureTimestamp().toEpochMilli();
            while (!recent.isEmpty() && recent.peekFirst() <= newest - RATE_WINDOW_MS) {
                recent.removeFirst();
            }
            if (thumbnails.isEmpty() || now - lastThumbnailAt >= 1000 / THUMBNAILS_PER_SECOND) {
                lastThumbnailAt = now;
                thumbnails.addLast(Jpeg.encode(image, 0.7f));
                thumbnailSeq++;
                while (thumbnails.size() > THUMBNAILS_KEPT) {
                    thumbnails.removeFirst();
                }
            }
        }

        synchronized Optional<byte[]> latestThumbnail() {
            return Optional.ofNullable(thumbnails.peekLast());
        }

        synchronized long latestCapture() {
            return latest == null ? 0 : latest.getCaptureTimestamp().toEpochMilli();
        }

        synchronized Map<String, Object> tile(long now) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("camera", id);
            List<Map<String, Object>> labels = new ArrayList<>();
            if (latest != null) {
                for (Label l :
                        latest.getLabels()
                                .subList(0, Math.min(TOP_LABELS, latest.getLabels().size()))) {
                    Map<String, Object> label = new LinkedHashMap<>();
                    label.put("name", l.getName());
                    label.put("score", l.getScore());
                    labels.add(label);
                }
                t.put("frame_index", latest.getFrameIndex());
                t.put("captured_at", latest.getCaptureTimestamp().toEpochMilli());
            }
            t.put("labels", labels);
            t.put("frames", frames);
            t.put("fps", recent.size() * 1000.0 / RATE_WINDOW_MS);
            t.put("seconds_since_frame", (now - lastFrameAt) / 1000.0);
            t.put("last_frame_at", lastFrameAt);
            t.put("thumbnail_seq", thumbnailSeq);
            return t;
        }
    }
}
