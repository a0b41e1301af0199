package io.quintet.feeds.stream;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.cloudevents.DecodeResult;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes CloudEvents (binary or structured mode) into canonical events at the topic edge and re-stamps each record
 * with its {@code event_timestamp}, so every window downstream is in event time. A record that is not a canonical
 * CloudEvent is passed on as a failure with dead-letter headers (reason, source topic, partition, offset); it is
 * logged by position and reason only, never by content, and counted in the {@code dead-lettered} sensor.
 */
final class DecodeCanonical implements FixedKeyProcessor<String, byte[], Decoding> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeCanonical.class);

    private FixedKeyProcessorContext<String, Decoding> context;
    private Sensor deadLettered;

    @Override
    public void init(FixedKeyProcessorContext<String, Decoding> context) {
        this.context = context;
        this.deadLettered = context.metrics()
                .addRateTotalSensor(
                        "quintet-feed-aggregator",
                        context.taskId().toString(),
                        "dead-lettered",
                        org.apache.kafka.common.metrics.Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        DecodeResult result = record.value() == null && record.headers().lastHeader("ce_specversion") == null
                ? new DecodeResult.Failed(EventDecodingException.Reason.NOT_A_CLOUDEVENT, "tombstone")
                : CloudEventSerde.decode(record.headers(), record.value());
        if (result instanceof DecodeResult.Decoded decoded
                && decoded.event().action() != null
                && decoded.event().action().name() != null) {
            CanonicalEvent event = decoded.event();
            long ts = event.eventTimestamp() != null ? event.eventTimestamp().toEpochMilli() : record.timestamp();
            context.forward(record.withValue(Decoding.ok(event)).withTimestamp(ts));
            return;
        }
        String reason = result instanceof DecodeResult.Failed f ? f.reason().code() : "not_canonical";
        String where = context.recordMetadata().map(DecodeCanonical::position).orElse("unknown position");
        LOG.warn("dead-lettering record at {}: {}", where, reason);
        deadLettered.record();
        var headers = record.headers();
        for (String h : java.util.List.of(
                DeadLetter.REASON,
                DeadLetter.SERVICE,
                DeadLetter.TOPIC,
                DeadLetter.PARTITION,
                DeadLetter.OFFSET,
                DeadLetter.TIME)) {
            headers.remove(h);
        }
        headers.add(DeadLetter.REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(
                DeadLetter.TIME,
                java.time.Instant.ofEpochMilli(context.currentSystemTimeMs())
                        .toString()
                        .getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetter.SERVICE, "feed-aggregator".getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(m -> {
            headers.add(DeadLetter.TOPIC, m.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetter.PARTITION, String.valueOf(m.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetter.OFFSET, String.valueOf(m.offset()).getBytes(StandardCharsets.UTF_8));
        });
        context.forward(record.withValue(Decoding.failed(record.value(), reason)));
    }

    private static String position(RecordMetadata m) {
        return m.topic() + "-" + m.partition() + "@" + m.offset();
    }
}
