package io.kvl.streams.app;

import io.kvl.registry.RegistryUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Deserialization errors of the DSL sources (the labels topic read by the aggregation): a record
 * that cannot be read goes to the dead letters and processing continues, as with Kafka's {@link
 * LogAndContinueExceptionHandler}, except when the schema registry could not be asked: that is not
 * the record's fault, so the thread fails (and is replaced), and the record is read again instead
 * of being skipped.
 */
public final class RegistryAwareDeserializationHandler extends LogAndContinueExceptionHandler {

    @Override
    public Response handleError(
            ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (registryUnavailable(exception)) {
            return Response.fail();
        }
        return super.handleError(context, record, exception);
    }

    static boolean registryUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
