package io.kvl.connect.source;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The source partition and source offset of a camera's records. Their keys are named once here:
 * they are stored by Connect (offsets topic or file) and outlive releases.
 *
 * <p>Partition: {@code {camera: id}}. Offset of a record: its {@code sequence}, {@code
 * firstFrameIndex} and {@code frameCount}, and for file cameras the file's {@code path} and the
 * chunk's {@code position} among the chunks of one pass over the file.
 */
final class CameraOffsets {
    static final String CAMERA_KEY = "camera";
    static final String SEQUENCE_KEY = "sequence";
    static final String FIRST_FRAME_INDEX_KEY = "firstFrameIndex";
    static final String FRAME_COUNT_KEY = "frameCount";
    static final String PATH_KEY = "path";
    static final String POSITION_KEY = "position";

    private CameraOffsets() {}

    static Map<String, Object> partition(String cameraId) {
        return Map.of(CAMERA_KEY, cameraId);
    }

    /**
     * The offset of one record.
     *
     * @param position the chunk's position in the file pass, for file cameras; ignored otherwise
     */
    static Map<String, Object> offset(
            CameraSpec camera, long sequence, long firstFrameIndex, int frameCount, long position) {
        Map<String, Object> offset = new HashMap<>();
        offset.put(SEQUENCE_KEY, sequence);
        offset.put(FIRST_FRAME_INDEX_KEY, firstFrameIndex);
        offset.put(FRAME_COUNT_KEY, (long) frameCount);
        if (camera.isFile()) {
            offset.put(PATH_KEY, camera.ffmpegSource());
            offset.put(POSITION_KEY, position);
        }
        return offset;
    }

    /**
     * Where a camera's reader starts, from the offset of the last record Connect committed (null:
     * none). Numbering continues after it. A file resumes after that chunk only if the path is the
     * same: a camera pointed at another file starts that file from the beginning.
     */
    static ResumePoint resumePoint(CameraSpec camera, Map<String, Object> offset) {
        if (offset == null) {
            return ResumePoint.START;
        }
        long sequence = number(offset, SEQUENCE_KEY);
        long next = number(offset, FIRST_FRAME_INDEX_KEY) + number(offset, FRAME_COUNT_KEY);
        long position = -1;
        if (camera.isFile()
                && Objects.equals(offset.get(PATH_KEY), camera.ffmpegSource())
                && offset.get(POSITION_KEY) != null) {
            position = number(offset, POSITION_KEY);
        }
        return new ResumePoint(sequence + 1, next, position);
    }

    /** Checks the shape of an offset given to the REST API; null resets the camera. */
    static void validate(Map<String, ?> partition, Map<String, ?> offset) {
        if (partition == null || !(partition.get(CAMERA_KEY) instanceof String)) {
            throw new ConnectException(
                    "A source partition must be {\"" + CAMERA_KEY + "\": \"<camera id>\"}");
        }
        if (offset != null) {
            number(offset, SEQUENCE_KEY);
            number(offset, FIRST_FRAME_INDEX_KEY);
            number(offset, FRAME_COUNT_KEY);
        }
    }

    private static long number(Map<String, ?> offset, String key) {
        // Offsets come back through JSON: an Integer or a Long, whatever was written.
        if (offset.get(key) instanceof Number n) {
            return n.longValue();
        }
        throw new ConnectException("Camera offset " + offset + " has no number '" + key + "'");
    }

    /**
     * Where a reader starts.
     *
     * @param nextSequence sequence of the next chunk
     * @param nextFrameIndex index of the next chunk's first frame
     * @param filePosition position of the last chunk already sent in the current pass over a file,
     *     or -1
     */
    record ResumePoint(long nextSequence, long nextFrameIndex, long filePosition) {
        static final ResumePoint START = new ResumePoint(0, 0, -1);
    }
}
