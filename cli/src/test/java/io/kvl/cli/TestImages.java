package io.kvl.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Images made by the tests, for checks that need no ImageNet semantics. */
final class TestImages {
    private TestImages() {}

    /** A PNG with a colour gradient that differs with {@code seed}. */
    static Path png(Path file, int seed) throws IOException {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int r = (x * 255 / img.getWidth() + 40 * seed) & 0xFF;
                int g = (y * 255 / img.getHeight() + 90 * seed) & 0xFF;
                int b = (128 + 70 * seed) & 0xFF;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }

    /** A file with an image's name whose bytes are no image. */
    static Path notAnImage(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "this is text, not a JPEG\n");
    }
}
