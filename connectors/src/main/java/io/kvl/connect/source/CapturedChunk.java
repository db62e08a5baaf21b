package io.kvl.connect.source;

import java.util.Map;

/**
 * A chunk read by a camera reader, serialized and waiting for {@link CameraSourceTask#poll()}.
 *
 * @param cameraId the record key
 * @param sequence the VideoChunk sequence
 * @param timestampMillis the record timestamp: the chunk's startTimestamp
 * @param value the VideoChunk in Avro single-object encoding
 * @param offset the source offset
 */
record CapturedChunk(
        String cameraId,
        long sequence,
        long timestampMillis,
        byte[] value,
        Map<String, Object> offset) {}
