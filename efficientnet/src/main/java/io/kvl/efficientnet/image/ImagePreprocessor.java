package io.kvl.efficientnet.image;

import io.kvl.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Turns decoded pictures into model input: the official EfficientNet evaluation crop (a centred
 * square of {@code res / (res + 32)} of the shorter side) resized to {@code res x res} RGB.
 * Normalization happens inside the exported graph, so this is all callers do.
 */
public final class ImagePreprocessor {
    /** The official {@code crop_padding}. */
    public static final int CROP_PADDING = 32;

    private final int resolution;

    public ImagePreprocessor(int resolution) {
        this.resolution = resolution;
    }

    public int resolution() {
        return resolution;
    }

    /** Decodes a JPEG or PNG file. */
    public RgbImage load(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * Decodes JPEG or PNG bytes.
     *
     * @throws IOException when the bytes are not an image ImageIO can read
     */
    public RgbImage decode(byte[] bytes, String what) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        if (img == null) {
            throw new IOException("not a decodable image: " + what);
        }
        return prepare(toRgb(img));
    }

    /** Centre crop and resize of an already decoded RGB image. */
    public RgbImage prepare(RgbImage img) {
        double side =
                Math.min(img.width(), img.height())
                        * resolution
                        / (double) (resolution + CROP_PADDING);
        double x0 = (img.width() - side) / 2;
        double y0 = (img.height() - side) / 2;
        return Resampler.resize(img, x0, y0, side, side, resolution, resolution);
    }

    /** Copies any BufferedImage into packed RGB bytes. */
    public static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new RgbImage(w, h, rgb);
    }
}
