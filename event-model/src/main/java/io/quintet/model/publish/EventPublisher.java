package io.quintet.model.publish;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A small library for producers that publish straight to Kafka: builds the CloudEvent (binary mode), sends it to
 * {@code events.raw} keyed by actor id with an idempotent producer ({@code acks=all}), and returns a future that
 * completes only when Kafka has durably acknowledged the record (or fails with Kafka's error).
 * <p>
 * An event without an {@code id} gets a random UUID; without an {@code observed_timestamp} gets "now".
 * Thread-safe; share one per process and close it on shutdown (close flushes what is in flight).
 */
public final class EventPublisher implements AutoCloseable {
    private final Producer<String, CanonicalEvent> producer;
    private final String topic;
    private final Clock clock;

    private EventPublisher(Producer<String, CanonicalEvent> producer, String topic, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Publishes one event; the future completes with the record's metadata once Kafka acknowledged it. */
    public CompletableFuture<RecordMetadata> publish(CanonicalEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.actor() == null || event.actor().id() == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("event has no actor.id to key it by"));
        }
        CanonicalEvent complete = complete(event);
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, complete.actor().id(), complete), (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private CanonicalEvent complete(CanonicalEvent event) {
        if (event.id() != null && event.observedTimestamp() != null) {
            return event;
        }
        CanonicalEvent.Builder b = event.toBuilder();
        if (event.id() == null) {
            b.id(UUID.randomUUID().toString());
        }
        if (event.observedTimestamp() == null) {
            b.observedTimestamp(clock.instant());
        }
        return b.build();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    public String topic() {
        return topic;
    }

    public static final class Builder {
        private final Map<String, Object> config = new HashMap<>();
        private String topic = TopicCatalogue.defaults().name(TopicCatalogue.EVENTS_RAW);
        private Clock clock = Clock.systemUTC();

        private Builder(String bootstrapServers) {
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers));
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            config.put(
                    ProducerConfig.CLIENT_ID_CONFIG,
                    "quintet-publisher-" + UUID.randomUUID().toString().substring(0, 8));
        }

        /** The target topic (default {@code events.raw}). */
        public Builder topic(String t) {
            topic = Objects.requireNonNull(t);
            return this;
        }

        /** Any producer setting, except that idempotence and acks=all cannot be weakened. */
        public Builder producerConfig(String key, Object value) {
            if (ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG.equals(key) || ProducerConfig.ACKS_CONFIG.equals(key)) {
                throw new IllegalArgumentException(key + " is fixed by EventPublisher (idempotent, acks=all)");
            }
            config.put(key, value);
            return this;
        }

        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        public EventPublisher build() {
            CloudEventSerde serde = new CloudEventSerde();
            return new EventPublisher(
                    new KafkaProducer<>(config, new StringSerializer(), serde.serializer()), topic, clock);
        }
    }
}
