package io.kvl.streams.inference;

import io.kvl.image.RgbImage;
import java.util.List;

/**
 * Classifies model-sized RGB images. Implementations are shared by all stream threads and must be
 * thread-safe; {@link #classify} blocks until every image of the call has its prediction, so a
 * processor forwards its results before {@code process()} returns (nothing is held across a commit,
 * which keeps exactly-once intact).
 */
public interface FrameClassifier extends AutoCloseable {
    /** Square input size the images must have. */
    int resolution();

    /** Name, variant and version of the model, for the labeled events. */
    ModelIdentity model();

    /**
     * @throws InterruptedException when the calling thread is interrupted while waiting
     * @throws InferenceException when the model call fails
     */
    List<Prediction> classify(List<RgbImage> images) throws InterruptedException;

    /**
     * Starts a classification whose images come one at a time. The default classifies them all in
     * {@link Submission#await}; a batching classifier starts on each image as it arrives.
     */
    default Submission submission() {
        return Submission.deferred(this);
    }

    @Override
    void close();

    /** Model coordinates recorded in every labeled frame. */
    record ModelIdentity(String name, String variant, String version) {}
}
