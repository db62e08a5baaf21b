package io.kvl.streams.inference;

import io.kvl.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The images of one classification, handed over one at a time as they become available (for example
 * while the rest of a video chunk still decodes), with their predictions, in order, from {@link
 * #await}. Used by one thread; obtained from {@link FrameClassifier#submission()}.
 */
public interface Submission {
    /**
     * Hands over the next image; a classifier may start on it at once.
     *
     * @throws InterruptedException when interrupted while the classifier's queue is full
     */
    void add(RgbImage image) throws InterruptedException;

    /**
     * Blocks until every image added has its prediction.
     *
     * @return one prediction per image, in the order added
     * @throws InterruptedException when interrupted while waiting
     * @throws InferenceException when the model call fails
     */
    List<Prediction> await() throws InterruptedException;

    /** Drops the images added: the ones not yet inferred are skipped. Safe to call repeatedly. */
    void cancel();

    /**
     * A submission that only collects the images and classifies them all in {@link #await}, for
     * classifiers that cannot start early.
     */
    static Submission deferred(FrameClassifier classifier) {
        return new Submission() {
            private final List<RgbImage> images = new ArrayList<>();

            @Override
            public void add(RgbImage image) {
                images.add(image);
            }

            @Override
            public List<Prediction> await() throws InterruptedException {
                return images.isEmpty() ? List.of() : classifier.classify(images);
            }

            @Override
            public void cancel() {
                images.clear();
            }
        };
    }
}
