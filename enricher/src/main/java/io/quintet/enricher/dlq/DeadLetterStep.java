package io.quintet.enricher.dlq;

import io.quintet.model.topics.DeadLetterHeaders;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3, dead-letter: turns a rejected record into its {@code events.dlq} record ({@link DeadLetters} format).
 * Runs inside the same exactly-once transaction as everything else the record causes. Logs topic, partition,
 * offset and reason only, never content.
 */
public final class DeadLetterStep<V extends Rejectable> implements FixedKeyProcessor<String, V, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStep.class);

    private final DeadLetterCounter telemetry;
    private FixedKeyProcessorContext<String, byte[]> context;

    public DeadLetterStep(DeadLetterCounter telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> ctx) {
        this.context = ctx;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        V c = record.value();
        RecordMetadata md = context.recordMetadata().orElse(null);
        SourceCoordinates source = md == null
                ? new SourceCoordinates("unknown", -1, -1, Instant.ofEpochMilli(record.timestamp()))
                : new SourceCoordinates(
                        md.topic(), md.partition(), md.offset(), Instant.ofEpochMilli(record.timestamp()));
        List<Header> originalHeaders = List.of(record.headers().toArray());
        DeadLetter dl = DeadLetter.of(
                c.rejection(),
                source,
                Instant.ofEpochMilli(context.currentSystemTimeMs()),
                c.eventRef(),
                null,
                originalHeaders,
                c.rawValue());
        LOG.warn("dead-lettered {}: {} ({})", source, dl.reason().code(), dl.cause());
        Headers headers = DeadLetters.headers(dl);
        telemetry.deadLettered(dl.reason(), DeadLetterHeaders.text(headers, DeadLetterHeaders.EVENT_SOURCE));
        context.forward(record.withValue(DeadLetters.body(dl)).withHeaders(headers));
    }
}
