package io.quintet.enricher.dlq;

import io.quintet.model.topics.DeadLetterHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the three Kafka Streams exception handlers share: the dead-letter topic (Kafka's own
 * {@code errors.dead.letter.queue.topic.name}, KIP-1034), the telemetry, and building one typed
 * {@link DeadLetters} record from the handler's view of the failing record. The records are handed back to Kafka
 * Streams in the handler's response, which sends them through the task's producer, inside the same exactly-once
 * transaction as the input offsets.
 */
final class DeadLetterHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

    private String topic;
    private DeadLetterCounter telemetry = DeadLetterCounter.NONE;

    void configure(Map<String, ?> configs) {
        Object t = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (t == null || t.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " must name the dead-letter topic for the enricher's exception handlers");
        }
        topic = t.toString();
        if (configs.get(DeadLetterCounter.CONFIG_KEY) instanceof DeadLetterCounter tel) {
            telemetry = tel;
        }
    }

    List<ProducerRecord<byte[], byte[]>> deadLetter(
            ErrorHandlerContext ctx, Rejection why, byte[] key, Headers headers, byte[] value) {
        SourceCoordinates source = new SourceCoordinates(
                ctx.topic(), ctx.partition(), ctx.offset(), Instant.ofEpochMilli(ctx.timestamp()));
        List<Header> original = headers == null ? List.of() : List.of(headers.toArray());
        DeadLetter dl = DeadLetter.of(why, source, Instant.now(), null, key, original, value);
        LOG.warn(
                "dead-lettered {} in {}: {} ({})",
                source,
                ctx.processorNodeId(),
                why.reason().code(),
                why.cause());
        ProducerRecord<byte[], byte[]> letter = DeadLetters.toProducerRecord(topic, dl);
        telemetry.deadLettered(why.reason(), DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.EVENT_SOURCE));
        return List.of(letter);
    }

    static String describe(Exception e) {
        return e.getClass().getSimpleName();
    }
}
