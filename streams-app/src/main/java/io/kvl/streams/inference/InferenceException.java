package io.kvl.streams.inference;

/** The model call failed (not the input's fault); the stream thread restarts and retries. */
public final class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
