package io.kvl.efficientnet.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** ONNX Runtime session options for {@link RuntimeOptions}. */
final class OnnxRuntimeSessions {
    private OnnxRuntimeSessions() {}

    /** Full graph optimization (fusions, layout), thread counts as asked; caller closes. */
    static OrtSession.SessionOptions options(RuntimeOptions options) {
        OrtSession.SessionOptions session = new OrtSession.SessionOptions();
        try {
            session.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (options.intraOpThreads() > 0) {
                session.setIntraOpNumThreads(options.intraOpThreads());
            }
            if (options.interOpThreads() > 0) {
                session.setInterOpNumThreads(options.interOpThreads());
            }
            return session;
        } catch (OrtException e) {
            session.close();
            throw new IllegalStateException("invalid ONNX Runtime options: " + e.getMessage(), e);
        }
    }
}
