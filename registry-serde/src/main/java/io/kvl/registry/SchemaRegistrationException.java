package io.kvl.registry;

/** A schema could not be registered (or found) under its subject; the message names both. */
public final class SchemaRegistrationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistrationException(String message) {
        super(message);
    }

    public SchemaRegistrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
