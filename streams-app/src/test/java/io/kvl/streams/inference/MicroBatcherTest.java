package io.kvl.streams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    private static RgbImage image(int cls) {
        byte[] px = new byte[4 * 4 * 3];
        px[0] = (byte) cls;
        return new RgbImage(4, 4, px);
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void shouldSplitOneLargeCallIntoFullBatchesAndARemainder() throws Exception {
        FakeModel model = new FakeModel();
        try (MicroBatcher batcher = model.batcher(4, 4, 5)) {
            List<RgbImage> images = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                images.add(image(i));
            }
            List<Prediction> out = batcher.classify(images);
            assertThat(out).hasSize(10);
            for (int i = 0; i < 10; i++) {
                assertThat(argmax(out.get(i).probabilities())).isEqualTo(i);
            }
            assertThat(model.batchSizes).containsExactly(4, 4, 2);
            assertThat(out.get(9).batchSize()).isEqualTo(2);
        }
    }

    /**
     * Two inference threads (model.workers=2): while one runs a slow batch, the other takes the
     * next; every caller still gets its own results.
     */
    @Test
    void shouldRunBatchesOnSeveralWorkersAtOnce() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Function<List<RgbImage>, float[][]> slow =
                images -> {
                    threads.add(Thread.currentThread().getName());
                    bothRunning.countDown();
                    try {
                        // Returns only once the other worker is inside a batch too.
                        assertThat(bothRunning.await(10, java.util.concurrent.TimeUnit.SECONDS))
                                .isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return new FakeModel().apply(images);
                };
        try (MicroBatcher batcher =
                new MicroBatcher(
                        List.of(slow, slow),
                        4,
                        new FrameClassifier.ModelIdentity("fake", "fake-variant", "0"),
                        2,
                        0,
                        BatchListener.NONE)) {
            List<RgbImage> images = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                images.add(image(i));
            }
            List<Prediction> out = batcher.classify(images);
            for (int i = 0; i < 4; i++) {
                assertThat(argmax(out.get(i).probabilities())).isEqualTo(i);
            }
            assertThat(threads).contains("kvl-inference-0", "kvl-inference-1");
        }
    }

    /**
     * A submission's images join the queue as they are added: a full batch runs before the caller
     * has added the rest or asked for results (decoding overlaps inference).
     */
    @Test
    void shouldStartInferringASubmissionBeforeItsLastImageIsAdded() throws Exception {
        FakeModel model = new FakeModel();
        try (MicroBatcher batcher = model.batcher(4, 2, 10_000)) {
            Submission submission = batcher.submission();
            submission.add(image(7));
            submission.add(image(8));
            long deadline = System.currentTimeMillis() + 10_000;
            while (model.batchSizes.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(model.batchSizes).containsExactly(2);
            submission.add(image(9));
            submission.add(image(10));
            List<Prediction> out = submission.await();
            assertThat(out).extracting(p -> argmax(p.probabilities())).containsExactly(7, 8, 9, 10);
            assertThat(model.batchSizes).containsExactly(2, 2);
        }
    }

    /**
     * A cancelled submission (its chunk failed to decode) costs no inference for what is queued.
     */
    @Test
    void shouldSkipTheQueuedImagesOfACancelledSubmission() throws Exception {
        FakeModel model = new FakeModel();
        try (MicroBatcher batcher = model.batcher(4, 4, 200)) {
            Submission cancelled = batcher.submission();
            cancelled.add(image(1));
            cancelled.add(image(2));
            cancelled.cancel();
            // Another caller's images fill the batch the cancelled ones were waiting in.
            List<Prediction> out = batcher.classify(List.of(image(3), image(4)));
            assertThat(out).extracting(p -> argmax(p.probabilities())).containsExactly(3, 4);
            assertThat(model.batchSizes).containsExactly(2);
        }
    }

    /** The default submission of a classifier that cannot start early classifies on await(). */
    @Test
    void shouldClassifyADeferredSubmissionOnAwait() throws Exception {
        FakeModel model = new FakeModel();
        try (MicroBatcher batcher = model.batcher(4, 4, 0)) {
            Submission deferred = Submission.deferred(batcher);
            deferred.add(image(5));
            deferred.add(image(6));
            Thread.sleep(50);
            assertThat(model.batchSizes).isEmpty();
            assertThat(deferred.await())
                    .extracting(p -> argmax(p.probabilities()))
                    .containsExactly(5, 6);
        }
    }

    /** Concurrent callers (stream threads of different cameras) share batches. */
    @Test
    void shouldCoalesceConcurrentCallersAndReturnEachItsOwnResults() throws Exception {
        FakeModel model = new FakeModel();
        int callers = 4;
        try (MicroBatcher batcher = model.batcher(4, callers, 2_000)) {
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int cls = 100 + c;
                futures.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    return batcher.classify(List.of(image(cls)));
                                }));
            }
            go.countDown();
            for (int c = 0; c < callers; c++) {
                Prediction p = futures.get(c).get().get(0);
                assertThat(argmax(p.probabilities())).isEqualTo(100 + c);
            }
            pool.shutdown();
            // With a 2 s delay and 4 concurrent single-image calls, one full batch forms.
            assertThat(model.batchSizes).containsExactly(4);
        }
    }

    @Test
    void shouldNotWaitLongerThanTheMaximumDelayForAPartialBatch() throws Exception {
        FakeModel model = new FakeModel();
        try (MicroBatcher batcher = model.batcher(4, 8, 50)) {
            long start = System.nanoTime();
            batcher.classify(List.of(image(1)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isGreaterThanOrEqualTo(45).isLessThan(1_000);
            assertThat(model.batchSizes).containsExactly(1);
        }
    }

    @Test
    void shouldFailTheCallersOfAFailedBatch() {
        MicroBatcher batcher =
                new MicroBatcher(
                        images -> {
                            throw new IllegalStateException("device lost");
                        },
                        4,
                        new FrameClassifier.ModelIdentity("m", "v", "1"),
                        4,
                        0,
                        BatchListener.NONE);
        try (batcher) {
            assertThatThrownBy(() -> batcher.classify(List.of(image(1))))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("device lost");
        }
    }
}
