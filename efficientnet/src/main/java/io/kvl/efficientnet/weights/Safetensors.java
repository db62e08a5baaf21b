package io.kvl.efficientnet.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header,
 * raw little-endian data), float32 tensors only. It is the project's weight exchange format:
 * simple, safe to parse, and written by the offline converter in {@code tools/}.
 */
public final class Safetensors {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    public static ModelWeights read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLength = len.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength + 8 > ch.size()) {
                throw new IOException(
                        file + " is not a safetensors file (header " + headerLength + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(ch, header, 8);
            JsonNode root = MAPPER.readTree(new String(header.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            Map<String, FloatTensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                if (METADATA.equals(e.getKey())) {
                    for (Map.Entry<String, JsonNode> m : e.getValue().properties()) {
                        metadata.put(m.getKey(), m.getValue().asText());
                    }
                    continue;
                }
                tensors.put(e.getKey(), readTensor(ch, file, e.getKey(), e.getValue(), dataStart));
            }
            return new ModelWeights(tensors, metadata);
        }
    }

    private static FloatTensor readTensor(
            FileChannel ch, Path file, String name, JsonNode node, long dataStart)
            throws IOException {
        if (!"F32".equals(node.path("dtype").asText())) {
            throw new IOException(
                    file
                            + ": "
                            + name
                            + " has dtype "
                            + node.path("dtype")
                            + ", only F32 is supported");
        }
        JsonNode shapeNode = node.path("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = node.path("data_offsets").get(0).asLong();
        long end = node.path("data_offsets").get(1).asLong();
        long bytes = end - begin;
        if (begin < 0
                || bytes < 0
                || bytes % 4 != 0
                || dataStart + end > ch.size()
                || bytes > Integer.MAX_VALUE) {
            throw new IOException(file + ": bad data offsets for " + name);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + begin);
        float[] data = new float[(int) (bytes / 4)];
        buf.flip().asFloatBuffer().get(data);
        return new FloatTensor(shape, data);
    }

    /** Writes tensors sorted by name, so equal weights give byte-identical files. */
    public static void write(ModelWeights weights, Path file) throws IOException {
        ObjectNode header = MAPPER.createObjectNode();
        ObjectNode meta = header.putObject(METADATA);
        weights.metadata().forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, FloatTensor> e : weights.tensors().entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long size = 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = MAPPER.writeValueAsBytes(header);
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
            out.write(len.array());
            out.write(json);
            for (FloatTensor t : weights.tensors().values()) {
                ByteBuffer buf =
                        ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data());
                out.write(buf.array());
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position)
            throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }
}
