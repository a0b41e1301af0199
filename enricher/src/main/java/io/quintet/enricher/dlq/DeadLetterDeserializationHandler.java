package io.quintet.enricher.dlq;

import io.quintet.model.EventDecodingException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * A record of any source topic that cannot be deserialized (in practice: a malformed {@code profiles} value, since
 * raw events are read as bytes and decoded by the topology) is dead-lettered as {@code unparseable} and skipped.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private final DeadLetterHandlers handlers = new DeadLetterHandlers();

    @Override
    public void configure(Map<String, ?> configs) {
        handlers.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
        String cause = e instanceof EventDecodingException ede ? ede.reason().code() : "deserialization_error";
        String message = e instanceof EventDecodingException
                ? e.getMessage()
                : "record could not be deserialized (" + DeadLetterHandlers.describe(e) + ")";
        return Response.resume(handlers.deadLetter(
                ctx,
                Rejection.of(DlqReason.UNPARSEABLE, cause, message),
                record.key(),
                record.headers(),
                record.value()));
    }
}
