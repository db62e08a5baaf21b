package io.kvl.image;

/**
 * An 8-bit RGB image in row-major HWC order: the model's input format.
 *
 * @param width pixels per row
 * @param height rows
 * @param pixels {@code width * height * 3} bytes, R G B interleaved
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0 || pixels.length != width * height * 3) {
            throw new IllegalArgumentException(
                    "RGB image "
                            + width
                            + "x"
                            + height
                            + " needs "
                            + (width * height * 3)
                            + " bytes");
        }
    }
}
