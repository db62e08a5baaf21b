package io.kvl.efficientnet.weights;

import io.kvl.efficientnet.tensorflow.TensorFlowNatives;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Reads and writes TensorFlow V2 checkpoints ({@code prefix.index} + {@code
 * prefix.data-00000-of-00001}) with the {@code RestoreV2} and {@code SaveV2} kernels. DJL's TF Java
 * build has no generated wrappers for them, so the ops are built by type name.
 */
public final class TfCheckpoint {
    private TfCheckpoint() {}

    /**
     * Restores float32 tensors by name.
     *
     * @throws org.tensorflow.exceptions.TensorFlowException when a name is not in the checkpoint
     */
    public static Map<String, FloatTensor> read(Path prefix, List<String> names) {
        TensorFlowNatives.ensureLoaded();
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            DataType[] dtypes = new DataType[names.size()];
            Arrays.fill(dtypes, DataType.DT_FLOAT);
            String[] slices = new String[names.size()];
            Arrays.fill(slices, "");
            GraphOperation restore =
                    g.opBuilder("RestoreV2", "restore", tf.scope())
                            .addInput(tf.constant(prefix.toString()).asOutput())
                            .addInput(
                                    tf.constant(
                                                    NdArrays.vectorOfObjects(
                                                            names.toArray(new String[0])))
                                            .asOutput())
                            .addInput(tf.constant(NdArrays.vectorOfObjects(slices)).asOutput())
                            .setAttr("dtypes", dtypes)
                            .build();
            Session.Runner runner = s.runner();
            for (int i = 0; i < names.size(); i++) {
                runner.fetch(restore.<TFloat32>output(i));
            }
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            try (Result result = runner.run()) {
                for (int i = 0; i < names.size(); i++) {
                    TFloat32 t = (TFloat32) result.get(i);
                    float[] data = new float[Math.toIntExact(t.shape().size())];
                    t.copyTo(DataBuffers.of(data, false, false));
                    out.put(names.get(i), new FloatTensor(t.shape().asArray(), data));
                }
            }
            return out;
        }
    }

    /** Writes float32 tensors under the given names. */
    public static void write(Path prefix, Map<String, FloatTensor> tensors) {
        TensorFlowNatives.ensureLoaded();
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<String> names = new ArrayList<>(tensors.keySet());
            List<Output<?>> values = new ArrayList<>();
            DataType[] dtypes = new DataType[names.size()];
            for (int i = 0; i < names.size(); i++) {
                FloatTensor t = tensors.get(names.get(i));
                Operand<TFloat32> c =
                        tf.constant(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
                values.add(c.asOutput());
                dtypes[i] = DataType.DT_FLOAT;
            }
            String[] slices = new String[names.size()];
            Arrays.fill(slices, "");
            GraphOperation save =
                    g.opBuilder("SaveV2", "save", tf.scope())
                            .addInput(tf.constant(prefix.toString()).asOutput())
                            .addInput(
                                    tf.constant(
                                                    NdArrays.vectorOfObjects(
                                                            names.toArray(new String[0])))
                                            .asOutput())
                            .addInput(tf.constant(NdArrays.vectorOfObjects(slices)).asOutput())
                            .addInputList(values.toArray(new Output<?>[0]))
                            .setAttr("dtypes", dtypes)
                            .build();
            s.runner().addTarget(save).run();
        }
    }
}
