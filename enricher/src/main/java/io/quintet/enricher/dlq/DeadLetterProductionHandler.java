package io.quintet.enricher.dlq;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * An output record that cannot be serialized dead-letters its source record as {@code enrichment_failure}. A send
 * that the broker refuses fails the task (under exactly-once the transaction is aborted and the records are
 * processed again), because skipping it would silently lose a valid event.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private final DeadLetterHandlers handlers = new DeadLetterHandlers();

    @Override
    public void configure(Map<String, ?> configs) {
        handlers.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> record, Exception e) {
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
            ErrorHandlerContext ctx, ProducerRecord record, Exception e, SerializationExceptionOrigin origin) {
        Rejection why = Rejection.of(
                DlqReason.ENRICHMENT_FAILURE,
                DeadLetterHandlers.describe(e),
                "output record could not be serialized (" + origin.name().toLowerCase(java.util.Locale.ROOT) + ") in "
                        + ctx.processorNodeId() + " with " + DeadLetterHandlers.describe(e));
        return Response.resume(handlers.deadLetter(ctx, why, ctx.sourceRawKey(), ctx.headers(), ctx.sourceRawValue()));
    }
}
