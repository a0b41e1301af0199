package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DeadLetterDeserializationHandler;
import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.model.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** The KIP-1034 handlers answer with typed dead letters for Kafka Streams to send in the task's transaction. */
class DeadLetterHandlersTest {

    record Context(
            String topic,
            int partition,
            long offset,
            Headers headers,
            String processorNodeId,
            TaskId taskId,
            long timestamp,
            byte[] sourceRawKey,
            byte[] sourceRawValue)
            implements ErrorHandlerContext {}

    @Test
    void deserializationFailureIsAnsweredWithATypedDeadLetterAndResume() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "acme.events.dlq"));
        byte[] value = "{broken".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-origin", "gateway".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> rec = new ConsumerRecord<>(
                "acme.profiles",
                3,
                42L,
                1_700_000_000_000L,
                TimestampType.CREATE_TIME,
                5,
                value.length,
                "actor".getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
        Context ctx = new Context(
                "acme.profiles",
                3,
                42L,
                headers,
                "read-profiles",
                new TaskId(0, 3),
                1_700_000_000_000L,
                rec.key(),
                value);

        DeserializationExceptionHandler.Response r = handler.handleError(
                ctx,
                rec,
                new EventDecodingException(
                        EventDecodingException.Reason.UNPARSEABLE, "profile is not well-formed JSON"));

        assertThat(r.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> out = r.deadLetterQueueRecords().get(0);
        assertThat(out.topic()).isEqualTo("acme.events.dlq");
        DeadLetter dl = DeadLetters.parse(out.key(), out.headers(), out.value());
        assertThat(dl.reason()).isEqualTo(DlqReason.UNPARSEABLE);
        assertThat(dl.cause()).isEqualTo("unparseable");
        assertThat(dl.source().topic()).isEqualTo("acme.profiles");
        assertThat(dl.source().partition()).isEqualTo(3);
        assertThat(dl.source().offset()).isEqualTo(42L);
        assertThat(dl.originalValue()).isEqualTo(value);
        assertThat(DeadLetters.header(out.headers(), "x-origin")).isEqualTo("gateway");
    }

    @Test
    void handlerWithoutADeadLetterTopicRefusesToStart() {
        assertThatThrownBy(() -> new DeadLetterDeserializationHandler().configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    }
}
