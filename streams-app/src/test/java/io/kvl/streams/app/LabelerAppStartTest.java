package io.kvl.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.image.RgbImage;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.inference.FakeModel;
import io.kvl.streams.inference.FrameClassifier;
import io.kvl.streams.inference.MicroBatcher;
import io.kvl.streams.inference.Prediction;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails part-way closes everything it had opened. */
class LabelerAppStartTest {
    @TempDir Path state;

    @Test
    void shouldCloseClassifierAndKafkaStreamsWhenTheHttpPortIsTaken() throws Exception {
        TrackingClassifier classifier = new TrackingClassifier();
        try (ServerSocket taken = new ServerSocket(0)) {
            LabelerConfig config =
                    new LabelerConfig(
                            Map.of(
                                    "bootstrap.servers",
                                    "127.0.0.1:9",
                                    "application.id",
                                    "kvl-start-failure-test",
                                    "state.dir",
                                    state.toString(),
                                    LabelerConfig.HTTP_PORT_CONFIG,
                                    taken.getLocalPort()));
            assertThatThrownBy(() -> LabelerApp.start(config, (c, m) -> classifier))
                    .isInstanceOf(BindException.class);
        }
        assertThat(classifier.closed).as("classifier closed").isTrue();
        // KafkaStreams' constructor starts an admin client and creates its stream threads:
        // both must be gone, or a failed start would leak them for the life of the JVM.
        // (KafkaStreams' own close thread may take a moment to finish after close() returned.)
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!liveThreads("kvl-start-failure-test").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(liveThreads("kvl-start-failure-test"))
                .as("threads of the failed application")
                .isEmpty();
    }

    private static List<String> liveThreads(String fragment) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.contains(fragment))
                .toList();
    }

    /** The fake model's batcher, remembering whether it was closed. */
    private static final class TrackingClassifier implements FrameClassifier {
        private final MicroBatcher delegate = new FakeModel().batcher(224, 1, 0);
        private final AtomicBoolean closedFlag = new AtomicBoolean();
        volatile boolean closed;

        @Override
        public int resolution() {
            return delegate.resolution();
        }

        @Override
        public ModelIdentity model() {
            return delegate.model();
        }

        @Override
        public List<Prediction> classify(List<RgbImage> images) throws InterruptedException {
            return delegate.classify(images);
        }

        @Override
        public void close() {
            if (closedFlag.compareAndSet(false, true)) {
                delegate.close();
                closed = true;
            }
        }
    }
}
