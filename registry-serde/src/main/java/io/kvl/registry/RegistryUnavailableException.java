package io.kvl.registry;

/**
 * The schema registry could not be asked (connection refused, timeout, 5xx, authentication): a
 * transient failure, deliberately not a {@code SerializationException}, so the record is retried
 * (Kafka Streams replaces the thread and reprocesses it) instead of being dead-lettered.
 */
public final class RegistryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
