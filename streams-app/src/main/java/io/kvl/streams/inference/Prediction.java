package io.kvl.streams.inference;

/**
 * Class probabilities of one image and the batch it ran in.
 *
 * @param probabilities one value per class
 * @param batchSize images in the inference batch this image was part of
 * @param inferenceMillis wall time of that batch's model call
 */
public record Prediction(float[] probabilities, int batchSize, double inferenceMillis) {}
