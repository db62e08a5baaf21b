package io.kvl.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native leaks do not show in the Java heap, so this watches the process's resident memory while
 * decoding, failing and chunking in a loop. The surefire JVM has a fixed, pre-touched heap (see the
 * pom), so heap growth does not count.
 */
class NativeMemoryTest {
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemoryTest.class);
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final long ALLOWED_GROWTH_KB = 50 * 1024;

    private final ChunkDecoder decoder = new ChunkDecoder();

    @Test
    void shouldNotGrowResidentMemoryWhenDecodingTheSameChunkRepeatedly() throws Exception {
        assumeThat(Files.isReadable(STATUS)).as("/proc/self/status readable").isTrue();
        Chunk chunk = SampleClip.CAR.chunks().get(6);
        byte[] truncated = Arrays.copyOf(chunk.data(), chunk.data().length / 2);
        byte[] noise = new byte[50_000];
        new Random(7).nextBytes(noise);

        for (int i = 0; i < 20; i++) {
            round(chunk, truncated, noise);
        }
        long before = settledRssKb();
        for (int i = 0; i < 200; i++) {
            round(chunk, truncated, noise);
        }
        long after = settledRssKb();

        LOG.info("VmRSS {} kB -> {} kB over 200 rounds", before, after);
        assertThat(after - before).isLessThan(ALLOWED_GROWTH_KB);
    }

    @Test
    void shouldNotGrowResidentMemoryWhenChunkingRepeatedly() throws Exception {
        assumeThat(Files.isReadable(STATUS)).as("/proc/self/status readable").isTrue();
        Path clip = SampleClip.CAR.path();

        for (int i = 0; i < 5; i++) {
            ClipChunker.chunkAll(clip, ClipChunker.Options.defaults());
        }
        long before = settledRssKb();
        for (int i = 0; i < 40; i++) {
            ClipChunker.chunkAll(clip, ClipChunker.Options.defaults());
        }
        long after = settledRssKb();

        LOG.info("VmRSS {} kB -> {} kB over 40 chunkings", before, after);
        assertThat(after - before).isLessThan(ALLOWED_GROWTH_KB);
    }

    /** One successful decode (every frame converted) and two failing ones. */
    private void round(Chunk chunk, byte[] truncated, byte[] noise) throws Exception {
        assertThat(
                        decoder.decode(
                                chunk.data(),
                                chunk.container(),
                                chunk.frameCount(),
                                FrameSelector.all(),
                                224))
                .hasSize(chunk.frameCount());
        expectFailure(truncated, chunk.frameCount());
        expectFailure(noise, chunk.frameCount());
    }

    private void expectFailure(byte[] data, int frames) {
        try {
            decoder.decode(data, "mpegts", frames, FrameSelector.all(), 224);
            throw new AssertionError("decoding should have failed");
        } catch (VideoDecodeException expected) {
            // The point is that the failure path frees its native memory too.
        }
    }

    private static long settledRssKb() throws IOException, InterruptedException {
        // JavaCPP frees some native memory from its deallocator thread once Java objects die.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in " + STATUS);
    }
}
