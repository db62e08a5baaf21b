package io.kvl.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.kvl.image.RgbImage;
import io.kvl.video.VideoDecodeException.Reason;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Scales decoded frames with FFmpeg's swscale so the shorter side equals the resolution (keeping
 * the aspect ratio), converting to RGB24 on the way, then copies the centred square. Owns native
 * memory: one instance per decode call, closed when done.
 */
final class RgbScaler implements AutoCloseable {
    /** Row alignment swscale's SIMD paths like; rows are padded, so copies honour the stride. */
    private static final int ROW_ALIGN = 64;

    private final int resolution;
    private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
    private final IntPointer dstLinesize = new IntPointer(4);
    private SwsContext context;
    private BytePointer buffer;
    private ByteBuffer bufferView;
    private long capacity;

    RgbScaler(int resolution) {
        this.resolution = resolution;
    }

    /** The centred {@code resolution x resolution} square of {@code frame}, as RGB. */
    RgbImage square(AVFrame frame) throws VideoDecodeException {
        int width = frame.width();
        int height = frame.height();
        int scaledWidth = scaledLength(width, height);
        int scaledHeight = scaledLength(height, width);
        context =
                sws_getCachedContext(
                        context,
                        width,
                        height,
                        frame.format(),
                        scaledWidth,
                        scaledHeight,
                        AV_PIX_FMT_RGB24,
                        SWS_BILINEAR,
                        null,
                        null,
                        (DoublePointer) null);
        if (context == null || context.isNull()) {
            BytePointer name = av_get_pix_fmt_name(frame.format());
            throw new VideoDecodeException(
                    Reason.UNSUPPORTED_CODEC,
                    "swscale cannot convert "
                            + (name == null ? "pixel format " + frame.format() : name.getString())
                            + " "
                            + width
                            + "x"
                            + height
                            + " to RGB24");
        }
        int stride = (scaledWidth * 3 + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        ensureCapacity((long) stride * scaledHeight);
        dstData.put(0, buffer);
        dstLinesize.put(0, stride);
        sws_scale(context, frame.data(), frame.linesize(), 0, height, dstData, dstLinesize);

        int x0 = (scaledWidth - resolution) / 2;
        int y0 = (scaledHeight - resolution) / 2;
        int rowBytes = resolution * 3;
        byte[] pixels = new byte[rowBytes * resolution];
        for (int y = 0; y < resolution; y++) {
            bufferView.get((y0 + y) * stride + x0 * 3, pixels, y * rowBytes, rowBytes);
        }
        return new RgbImage(resolution, resolution, pixels);
    }

    /** The side {@code length} becomes when the shorter of {@code length, other} is scaled. */
    private int scaledLength(int length, int other) {
        if (length <= other) {
            return resolution;
        }
        return Math.max(resolution, (int) Math.round((double) length * resolution / other));
    }

    private void ensureCapacity(long bytes) {
        if (bytes <= capacity) {
            return;
        }
        freeBuffer();
        buffer = new BytePointer(av_malloc(bytes)).capacity(bytes);
        if (buffer.isNull()) {
            throw new OutOfMemoryError("av_malloc(" + bytes + ") failed");
        }
        bufferView = buffer.asByteBuffer();
        capacity = bytes;
    }

    private void freeBuffer() {
        if (buffer != null) {
            av_free(buffer);
            buffer = null;
            bufferView = null;
            capacity = 0;
        }
    }

    @Override
    public void close() {
        if (context != null) {
            sws_freeContext(context);
            context = null;
        }
        freeBuffer();
        dstData.close();
        dstLinesize.close();
    }
}
