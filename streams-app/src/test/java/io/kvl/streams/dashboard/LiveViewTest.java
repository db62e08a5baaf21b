package io.kvl.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.image.RgbImage;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.ModelRef;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class LiveViewTest {
    private final AtomicLong wall = new AtomicLong(1_000_000);
    private final LiveView view = new LiveView(wall::get);

    private static LabeledFrame frame(String camera, long captureMillis, long index) {
        return LabeledFrame.newBuilder()
                .setCameraId(camera)
                .setCaptureTimestamp(Instant.ofEpochMilli(captureMillis))
                .setFrameIndex(index)
                .setSourceChunkSequence(0)
                .setLabels(
                        List.of(
                                label("water bottle", 0.6f),
                                label("beaker", 0.2f),
                                label("nipple", 0.1f),
                                label("pop bottle", 0.05f)))
                .setModel(
                        ModelRef.newBuilder().setName("m").setVariant("v").setVersion("1").build())
                .setBatchSize(1)
                .setInferenceLatencyMs(1)
                .setEndToEndLatencyMs(1)
                .setKeyframe(false)
                .build();
    }

    private static Label label(String name, float score) {
        return Label.newBuilder().setClassIndex(0).setName(name).setScore(score).build();
    }

    private static RgbImage red() {
        byte[] px = new byte[16 * 16 * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) 255;
        }
        return new RgbImage(16, 16, px);
    }

    @Test
    void shouldShowTheLatestFramesTopThreeLabelsAndItsRateByCaptureTime() {
        // 2 frames per second of video for 10 s, arriving as one burst.
        for (int i = 0; i < 20; i++) {
            view.labeled(frame("cam", 100_000 + i * 500L, i * 15L), red());
        }
        Map<String, Object> tile = view.tiles().get(0);
        assertThat(tile.get("camera")).isEqualTo("cam");
        assertThat(tile.get("frame_index")).isEqualTo(19 * 15L);
        assertThat((List<?>) tile.get("labels")).hasSize(3);
        assertThat(tile.get("frames")).isEqualTo(20L);
        assertThat((double) tile.get("fps")).isEqualTo(2.0);
        wall.addAndGet(2500);
        assertThat((double) view.tiles().get(0).get("seconds_since_frame")).isEqualTo(2.5);
    }

    @Test
    void shouldEncodeAtMostTwoThumbnailsPerSecondAsDecodableJpegs() throws Exception {
        for (int i = 0; i < 10; i++) {
            view.labeled(frame("cam", 100_000 + i * 100L, i), red());
            wall.addAndGet(100); // ten frames over one second
        }
        assertThat(view.tiles().get(0).get("thumbnail_seq")).isEqualTo(2L);
        byte[] jpeg = view.thumbnail("cam").orElseThrow();
        var img = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(img.getWidth()).isEqualTo(16);
        assertThat(img.getRGB(8, 8) >> 16 & 0xFF).isGreaterThan(200); // still red
        assertThat(view.thumbnail("other")).isEmpty();
    }
}
