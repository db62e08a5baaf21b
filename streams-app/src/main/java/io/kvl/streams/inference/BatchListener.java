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

    /**
     * The model is loaded and warmed up.
     *
     * @param engine the engine running it (tensorflow, onnxruntime)
     * @param precision fp32, bf16 or int8
     * @param batchLimit most images per batch, as configured or as {@code batch.size=auto} chose
     */
    default void modelReady(String engine, String precision, int batchLimit) {}

    BatchListener NONE = (size, inferenceNanos, oldestWaitNanos) -> {};
}
