package io.quintet.enricher.dlq;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unexpected exception while a valid event is enriched (dedup, pseudonymize, stamp) dead-letters the record it
 * came from as {@code enrichment_failure} (the original raw key, headers and value, from the error context) and the
 * application carries on. The message names the processor and the exception class, never the exception's message,
 * which could quote content.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private final DeadLetterHandlers handlers = new DeadLetterHandlers();

    @Override
    public void configure(Map<String, ?> configs) {
        handlers.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
        if (ctx.sourceRawValue() == null && ctx.sourceRawKey() == null) {
            LOG.error(
                    "processing failed in {} outside of a source record ({}); skipped",
                    ctx.processorNodeId(),
                    DeadLetterHandlers.describe(e));
            return Response.resume();
        }
        Rejection why = Rejection.of(
                DlqReason.ENRICHMENT_FAILURE,
                DeadLetterHandlers.describe(e),
                "processing failed in " + ctx.processorNodeId() + " with " + DeadLetterHandlers.describe(e));
        return Response.resume(handlers.deadLetter(ctx, why, ctx.sourceRawKey(), ctx.headers(), ctx.sourceRawValue()));
    }
}
