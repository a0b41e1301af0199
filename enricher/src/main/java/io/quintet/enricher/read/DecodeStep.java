package io.quintet.enricher.read;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.quintet.enricher.pipeline.Checked;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The first processor: decodes the raw record ({@link EventDecoder}) and forwards the outcome. It also opens the
 * record's span: Kafka Streams runs the downstream processors synchronously inside {@code forward}, so the span
 * covers the record's whole way to events.canonical or events.dlq, and every later step can annotate
 * {@link Span#current()}.
 */
public final class DecodeStep implements FixedKeyProcessor<String, byte[], Checked> {
    private final EventDecoder decoder;
    private final EnricherTelemetry telemetry;
    private FixedKeyProcessorContext<String, Checked> context;

    public DecodeStep(EventDecoder decoder, EnricherTelemetry telemetry) {
        this.decoder = decoder;
        this.telemetry = telemetry;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Checked> ctx) {
        this.context = ctx;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        RecordMetadata md = context.recordMetadata().orElse(null);
        Span span = telemetry.startRecordSpan(
                md == null ? "unknown" : md.topic(),
                md == null ? -1 : md.partition(),
                md == null ? -1 : md.offset(),
                record.headers());
        try (Scope ignored = span.makeCurrent()) {
            Checked checked = decoder.decode(record.headers(), record.value(), record.timestamp());
            if (checked.event() != null) {
                telemetry.linkEvent(
                        span,
                        checked.event(),
                        EnricherTelemetry.incomingTraceParent(record.headers()).isPresent());
            }
            context.forward(record.withValue(checked));
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }
}
