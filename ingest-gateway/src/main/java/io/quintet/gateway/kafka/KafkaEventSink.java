package io.quintet.gateway.kafka;

import io.quintet.gateway.ingest.Destination;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.EventSink;
import io.quintet.gateway.ingest.GatewayException;
import io.quintet.gateway.ingest.Rejection;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.topics.TopicCatalogue;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes accepted events as binary-mode CloudEvents (ce_* headers, canonical JSON value) with one idempotent
 * producer ({@code acks=all}): every event to {@code events.raw}, Segment identify/group calls to {@code profiles},
 * erasure requests to {@code erasure.requests}.
 * <p>
 * {@code send} never blocks: {@code max.block.ms=0}, so a full producer buffer fails the event at once (503) instead
 * of stalling an HTTP event loop; missing topic metadata (a moment after a broker restart) is waited for off the
 * caller's thread, briefly; {@link KafkaHealth} keeps the metadata warm.
 * The future completes when Kafka acknowledged the record, or fails after at most {@code delivery.timeout.ms}, after
 * which the producer has dropped the record (it is not sent later behind the client's back).
 * Profile records carry the event time as their Kafka timestamp (event-time ordering for the enricher).
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSink.class);

    private final Producer<String, byte[]> producer;
    private final Map<Destination, String> topics;
    private final Serializer<CanonicalEvent> cloudEvents = new CloudEventSerde().serializer();
    private final int deliveryTimeoutMs;
    private final EventLimits limits;
    private final long metadataWaitMs;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-send-retry");
        t.setDaemon(true);
        return t;
    });

    public KafkaEventSink(
            Producer<String, byte[]> producer, TopicCatalogue catalogue, int deliveryTimeoutMs, EventLimits limits) {
        this.producer = producer;
        this.limits = limits;
        this.topics = topicsOf(catalogue);
        this.deliveryTimeoutMs = deliveryTimeoutMs;
        this.metadataWaitMs = Math.min(5_000, deliveryTimeoutMs / 2);
    }

    /** Producer settings: the caller's overrides first, then what the guarantee depends on (not overridable). */
    public static Map<String, Object> producerConfig(
            String bootstrap, int deliveryTimeoutMs, int lingerMs, int maxEventBytes, Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put(
                ProducerConfig.CLIENT_ID_CONFIG,
                "quintet-gateway-" + UUID.randomUUID().toString().substring(0, 8));
        // snappy: it shrinks what crosses the network and sits on disk about as much as lz4 (docs/benchmarks.md), but
        // Kafka's lz4 stream allocates two fresh 64 KiB buffers for every producer batch, and with many small
        // concurrent single-event requests a batch holds a few records: lz4 doubled the gateway's allocation per
        // request (55 KiB against 30 with snappy or none); snappy's stream reuses its buffers
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy");
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        // room for the largest accepted event plus its CloudEvents headers
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, maxEventBytes + (64 << 10)));
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, Math.max(1_000, deliveryTimeoutMs / 3)));
        c.putAll(overrides);
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        int linger = Integer.parseInt(c.get(ProducerConfig.LINGER_MS_CONFIG).toString());
        int requestTimeout =
                Integer.parseInt(c.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG).toString());
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(deliveryTimeoutMs, linger + requestTimeout));
        return c;
    }

    public static Producer<String, byte[]> newProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    public static Map<Destination, String> topicsOf(TopicCatalogue catalogue) {
        Map<Destination, String> t = new EnumMap<>(Destination.class);
        t.put(Destination.EVENTS, catalogue.name(TopicCatalogue.EVENTS_RAW));
        t.put(Destination.PROFILES, catalogue.name(TopicCatalogue.PROFILES));
        t.put(Destination.ERASURE, catalogue.name(TopicCatalogue.ERASURE_REQUESTS));
        return t;
    }

    public List<String> topicNames() {
        return List.copyOf(topics.values());
    }

    public String topic(Destination d) {
        return topics.get(d);
    }

    @Override
    public CompletableFuture<Void> send(Destination destination, String key, CanonicalEvent event) {
        String topic = topics.get(destination);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        RecordHeaders headers = new RecordHeaders();
        byte[] value;
        try {
            value = cloudEvents.serialize(topic, headers, event);
        } catch (RuntimeException e) {
            acked.completeExceptionally(classify(topic, e));
            return acked;
        }
        // the limit the enricher applies to this very record: a record refused here would be dead-lettered there
        EventLimits.Violation tooLarge = limits.checkRecord(headers, value);
        if (tooLarge != null) {
            acked.completeExceptionally(new GatewayException(Rejection.of(tooLarge), 0, null));
            return acked;
        }
        Long timestamp = destination == Destination.PROFILES && event.eventTimestamp() != null
                ? event.eventTimestamp().toEpochMilli()
                : null;
        attempt(
                new ProducerRecord<>(topic, null, timestamp, key, value, headers),
                acked,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(metadataWaitMs));
        return acked;
    }

    /**
     * One send. When the producer refuses the record before taking it because the topic's metadata is missing
     * (it happens for a moment after a broker restart; with {@code max.block.ms=0} the producer does not wait), the
     * send is tried again a little later, up to a deadline: the record was never appended, so this cannot duplicate.
     * A full buffer is not retried: it is the backpressure signal (503).
     */
    private void attempt(ProducerRecord<String, byte[]> record, CompletableFuture<Void> acked, long deadline) {
        boolean[] inSend = {true};
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else if (inSend[0]
                        && isMissingMetadata(error)
                        && System.nanoTime() < deadline
                        && !retries.isShutdown()) {
                    retries.schedule(() -> attempt(record, acked, deadline), 50, TimeUnit.MILLISECONDS);
                } else {
                    acked.completeExceptionally(classify(record.topic(), error));
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(classify(record.topic(), e));
        } finally {
            inSend[0] = false;
        }
    }

    private static boolean isMissingMetadata(Throwable error) {
        return error instanceof TimeoutException && !(error instanceof BufferExhaustedException);
    }

    /** Maps Kafka's exception types to the gateway's error codes. */
    GatewayException classify(String topic, Throwable error) {
        if (error instanceof BufferExhaustedException) {
            return GatewayException.retryLater(
                    ErrorCode.UNAVAILABLE, "the gateway's Kafka buffer is full; retry later", 1, error);
        }
        if (error instanceof TimeoutException) {
            return GatewayException.retryLater(
                    ErrorCode.UNAVAILABLE,
                    "Kafka did not acknowledge the event within "
                            + Duration.ofMillis(deliveryTimeoutMs).toSeconds() + " s; it was not stored",
                    5,
                    error);
        }
        if (error instanceof RecordTooLargeException) {
            return new GatewayException(
                    Rejection.of(ErrorCode.EVENT_TOO_LARGE, "the event is larger than Kafka accepts for " + topic),
                    0,
                    error);
        }
        if (error instanceof RetriableException) {
            return GatewayException.retryLater(ErrorCode.UNAVAILABLE, "Kafka is unavailable; retry later", 5, error);
        }
        LOG.error("publishing to {} failed with {}", topic, error.getClass().getName(), error);
        return new GatewayException(Rejection.of(ErrorCode.INTERNAL, "the event could not be published"), 0, error);
    }

    /** Warms and checks the producer's metadata for every topic without blocking; false while any is missing. */
    boolean hasMetadata() {
        boolean all = true;
        for (String topic : topics.values()) {
            try {
                if (producer.partitionsFor(topic).isEmpty()) {
                    all = false;
                }
            } catch (TimeoutException e) { // requested; it arrives in the background
                all = false;
            }
        }
        return all;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) {
        retries.shutdown();
        producer.close(timeout);
    }
}
