package io.kvl.streams.inference;

/** Observes every inference batch (for metrics). */
@FunctionalInterface
public interface BatchListener {
    /**
     * @param size images in the batch
     * @param inferenceNanos wall time of the model call
     * @param oldestWaitNanos how long the batch's first image waited before the call
     */
    void onBatch(int size, long inferenceNanos, long oldestWaitNanos);

    BatchListener NONE = (size, inferenceNanos, oldestWaitNanos) -> {};
}
