package io.kvl.streams.inference;

import io.kvl.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the images of concurrent {@link #classify} calls (one per stream thread, so one per
 * camera partition being processed) into inference batches of up to {@code maxBatch} images,
 * waiting at most {@code maxDelay} after the first image arrives: djl-serving's rule (take the
 * first job, drain what is queued, then poll until the delay expires). One inference thread owns
 * the model call, since a predictor is not thread-safe. Each image has its own future, completed or
 * failed individually. With several inference threads (one predictor each), a batch forms while the
 * previous one runs.
 */
public final class MicroBatcher implements FrameClassifier {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    private final List<Function<List<RgbImage>, float[][]>> models;
    private final int resolution;
    private final ModelIdentity identity;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final BatchListener listener;
    private final BlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    private record Job(RgbImage image, CompletableFuture<Prediction> result, long enqueuedNanos) {}

    /**
     * @param model runs one batch; called only from the inference thread
     * @param maxBatch most images per model call
     * @param maxDelayMillis longest wait for a batch to fill after its first image
     */
    public MicroBatcher(
            Function<List<RgbImage>, float[][]> model,
            int resolution,
            ModelIdentity identity,
            int maxBatch,
            long maxDelayMillis,
            BatchListener listener) {
        this(List.of(model), resolution, identity, maxBatch, maxDelayMillis, listener);
    }

    /**
     * One inference thread per entry of {@code models} (each its own predictor), all forming
     * batches from the same queue: while one runs a batch, the next forms and runs on another.
     *
     * @param models runs one batch; each called only from its own inference thread
     */
    public MicroBatcher(
            List<Function<List<RgbImage>, float[][]>> models,
            int resolution,
            ModelIdentity identity,
            int maxBatch,
            long maxDelayMillis,
            BatchListener listener) {
        if (maxBatch < 1 || maxDelayMillis < 0 || models.isEmpty()) {
            throw new IllegalArgumentException("maxBatch >= 1 and maxDelayMillis >= 0 required");
        }
        this.models = List.copyOf(models);
        this.resolution = resolution;
        this.identity = identity;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        this.listener = listener;
        // Bounded: stream threads block in put() when inference falls behind (back-pressure).
        this.queue = new ArrayBlockingQueue<>(Math.max(64, maxBatch * 16));
        for (int i = 0; i < this.models.size(); i++) {
            Function<List<RgbImage>, float[][]> model = this.models.get(i);
            Thread worker =
                    new Thread(
                            () -> loop(model),
                            this.models.size() == 1 ? "kvl-inference" : "kvl-inference-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    public int resolution() {
        return resolution;
    }

    @Override
    public ModelIdentity model() {
        return identity;
    }

    @Override
    public List<Prediction> classify(List<RgbImage> images) throws InterruptedException {
        List<CompletableFuture<Prediction>> futures = new ArrayList<>(images.size());
        for (RgbImage image : images) {
            futures.add(enqueue(image));
        }
        return results(futures);
    }

    /** Each image joins the queue as it is added, so batches form while the caller goes on. */
    @Override
    public Submission submission() {
        return new QueuedSubmission();
    }

    private CompletableFuture<Prediction> enqueue(RgbImage image) throws InterruptedException {
        if (!running) {
            throw new IllegalStateException("classifier is closed");
        }
        CompletableFuture<Prediction> f = new CompletableFuture<>();
        queue.put(new Job(image, f, System.nanoTime()));
        return f;
    }

    private static List<Prediction> results(List<CompletableFuture<Prediction>> futures)
            throws InterruptedException {
        List<Prediction> out = new ArrayList<>(futures.size());
        for (CompletableFuture<Prediction> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                throw new InferenceException("inference failed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    private final class QueuedSubmission implements Submission {
        private final List<CompletableFuture<Prediction>> futures = new ArrayList<>();

        @Override
        public void add(RgbImage image) throws InterruptedException {
            futures.add(enqueue(image));
        }

        @Override
        public List<Prediction> await() throws InterruptedException {
            return results(futures);
        }

        @Override
        public void cancel() {
            // A cancelled job still in the queue is dropped when its batch forms (see loop()).
            futures.forEach(f -> f.cancel(false));
        }
    }

    private void loop(Function<List<RgbImage>, float[][]> model) {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                batch.clear();
                Job first = queue.take();
                batch.add(first);
                long deadline = first.enqueuedNanos() + maxDelayNanos;
                queue.drainTo(batch, maxBatch - batch.size());
                while (batch.size() < maxBatch) {
                    long wait = deadline - System.nanoTime();
                    Job next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    queue.drainTo(batch, maxBatch - batch.size());
                }
                batch.removeIf(job -> job.result().isCancelled());
                if (!batch.isEmpty()) {
                    run(model, batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failPending(new IllegalStateException("classifier closed"));
    }

    private void run(Function<List<RgbImage>, float[][]> model, List<Job> batch) {
        List<RgbImage> images = new ArrayList<>(batch.size());
        for (Job j : batch) {
            images.add(j.image());
        }
        long start = System.nanoTime();
        try {
            float[][] probs = model.apply(images);
            long nanos = System.nanoTime() - start;
            listener.onBatch(batch.size(), nanos, start - batch.get(0).enqueuedNanos());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(new Prediction(probs[i], batch.size(), nanos / 1e6));
            }
        } catch (RuntimeException e) {
            LOG.error("Inference of a batch of {} failed", batch.size(), e);
            for (Job j : batch) {
                j.result().completeExceptionally(e);
            }
        }
    }

    private void failPending(Exception e) {
        List<Job> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Job j : rest) {
            j.result().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failPending(new IllegalStateException("classifier closed"));
    }
}
