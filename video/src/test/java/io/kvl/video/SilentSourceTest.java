package io.kvl.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A source that accepts the connection and never sends a byte (a hung camera) blocks its own open
 * for the socket timeout, and nothing else: another source opens and is chunked meanwhile. JavaCV's
 * {@code FFmpegFrameGrabber.start()} holds a JVM-wide lock for the whole open, which made every
 * other camera of a Connect worker wait behind the hung one.
 */
class SilentSourceTest {
    private static final long TIMEOUT_MICROS = 4_000_000;

    @Test
    void shouldChunkAnotherSourceWhileASilentOneBlocksItsOpen() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor =
                    new Thread(
                            () -> {
                                try {
                                    while (true) {
                                        held.add(silent.accept());
                                    }
                                } catch (java.io.IOException e) {
                                    // closed
                                }
                            });
            acceptor.setDaemon(true);
            acceptor.start();
            ClipChunker.Options hung =
                    ClipChunker.Options.defaults()
                            .withFormatOptions(
                                    Map.of(
                                            "rw_timeout", Long.toString(TIMEOUT_MICROS),
                                            "timeout", Long.toString(TIMEOUT_MICROS)));
            long t0 = System.nanoTime();
            CompletableFuture<Long> opening =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try (ClipChunker c =
                                        ClipChunker.open(
                                                "tcp://127.0.0.1:" + silent.getLocalPort(), hung)) {
                                    return -1L;
                                } catch (VideoDecodeException e) {
                                    return System.nanoTime() - t0;
                                }
                            });
            Thread.sleep(500); // the silent open is under way
            long start = System.nanoTime();
            List<Chunk> chunks =
                    ClipChunker.chunkAll(SampleClip.CAR.path(), ClipChunker.Options.defaults());
            long chunking = System.nanoTime() - start;
            long openFailedAfter = opening.get(30, TimeUnit.SECONDS);

            assertThat(chunks).hasSize(SampleClip.CAR.defaultChunkFrameCounts.size());
            assertThat(openFailedAfter)
                    .as("the silent source's open fails after its socket timeout")
                    .isGreaterThan(Duration.ofMillis(TIMEOUT_MICROS / 1000 - 500).toNanos());
            assertThat(Duration.ofNanos(chunking))
                    .as("the other source is opened and chunked while the silent one hangs")
                    .isLessThan(Duration.ofMillis(TIMEOUT_MICROS / 1000 - 1500));
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void shouldReportTheSilentSourceAsUnreadable() {
        assertThatThrownBy(
                        () -> {
                            try (ServerSocket silent =
                                            new ServerSocket(
                                                    0, 50, InetAddress.getLoopbackAddress());
                                    ClipChunker c =
                                            ClipChunker.open(
                                                    "tcp://127.0.0.1:" + silent.getLocalPort(),
                                                    ClipChunker.Options.defaults()
                                                            .withFormatOptions(
                                                                    Map.of(
                                                                            "rw_timeout",
                                                                            "1000000",
                                                                            "timeout",
                                                                            "1000000")))) {
                                // not reached
                            }
                        })
                .isInstanceOf(VideoDecodeException.class);
    }
}
