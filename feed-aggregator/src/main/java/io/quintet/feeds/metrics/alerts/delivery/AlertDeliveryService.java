package io.quintet.feeds.metrics.alerts.delivery;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.quintet.feeds.stream.DeadLetter;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.cloudevents.CloudEventSerde;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to their rules' webhooks, off the stream threads: a plain consumer of the alerts topic in its own
 * group ({@link DeliverySettings#groupId()}, read_committed, one record per poll) on its own thread. For each alert it
 * POSTs to every destination of the alert's rule ({@link WebhookSender}, with retries); a destination that still fails
 * gets a dead letter on {@code events.dlq} (the alert record, plus {@code quintet.dlq.reason}
 * {@code alert_delivery_rejected} / {@code alert_delivery_retries_exhausted}, {@code quintet.dlq.detail} and
 * {@code quintet.dlq.destination}). The offset is committed only after every destination has been delivered to or
 * dead-lettered, so a restart resumes with the pending alert (at least once: a destination that had received it
 * before a crash receives it again, with the same {@code Idempotency-Key}).
 */
public final class AlertDeliveryService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDeliveryService.class);
    public static final String SERVICE = "feed-aggregator-alert-delivery";
    public static final String DETAIL = "quintet.dlq.detail";
    public static final String DESTINATION = "quintet.dlq.destination";
    private static final Duration RESTART_PAUSE = Duration.ofSeconds(5);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Map<String, Object> clientProps;
    private final String alertsTopic;
    private final String dlqTopic;
    private final DeliveryRoutes routes;
    private final DeliverySettings settings;
    private final WebhookSender sender;
    private final Clock clock;
    private final EventFormat format;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean closed;
    private volatile KafkaConsumer<String, byte[]> consumer;

    /**
     * @param clientProps bootstrap servers and other client settings shared by the consumer and the dead-letter producer
     */
    public AlertDeliveryService(
            Map<String, Object> clientProps,
            String alertsTopic,
            String dlqTopic,
            DeliveryRoutes routes,
            DeliverySettings settings,
            WebhookSender sender,
            Clock clock) {
        this.clientProps = Map.copyOf(clientProps);
        this.alertsTopic = alertsTopic;
        this.dlqTopic = dlqTopic;
        this.routes = routes;
        this.settings = settings;
        this.sender = sender;
        this.clock = clock;
        this.format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        Map<String, Object> producerProps = new HashMap<>(clientProps);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.deadLetters = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "alert-delivery");
    }

    /** Counts since start, per destination and alert: deliveries, HTTP requests made, dead letters. */
    public record Stats(long delivered, long attempts, long deadLettered) {}

    public Stats stats() {
        return new Stats(delivered.get(), attempts.get(), deadLettered.get());
    }

    public AlertDeliveryService start() {
        thread.start();
        return this;
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.startAt());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // one record's deliveries (every destination, every retry) must fit between two polls
        long perDestination = settings.backoff().worstCaseWait().toMillis()
                + settings.backoff().maxAttempts() * settings.requestTimeout().toMillis();
        long budget = Math.max(300_000L, perDestination * Math.max(1, routes.maxDestinationsPerRule()) + 60_000L);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, budget));
        return new KafkaConsumer<>(
                props, new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer());
    }

    private void run() {
        while (!closed) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                c.subscribe(List.of(alertsTopic));
                while (!closed) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        handle(r);
                        commit(c, r);
                    }
                }
            } catch (WakeupException | InterruptException e) {
                if (!closed) {
                    LOG.warn("alert delivery consumer woken up while running; starting it again", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // closing: the alert in progress is neither committed nor dead-lettered, so it is delivered
                // after a restart
            } catch (RuntimeException e) {
                LOG.error(
                        "alert delivery failed; restarting its consumer in {} (undelivered alerts stay pending)",
                        RESTART_PAUSE,
                        e);
                if (!pause()) {
                    return;
                }
            }
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(RESTART_PAUSE.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void commit(KafkaConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> r) {
        try {
            c.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
        } catch (CommitFailedException e) {
            // the partition moved to another member meanwhile: it resumes from the last commit (at least once)
            LOG.warn(
                    "alert at {}-{}@{} handled but its offset could not be committed (group rebalanced); it may be "
                            + "delivered again, with the same Idempotency-Key",
                    r.topic(),
                    r.partition(),
                    r.offset());
        }
    }

    void handle(ConsumerRecord<String, byte[]> r) throws InterruptedException {
        CloudEvent ce;
        CanonicalEvent alert;
        try {
            ce = CloudEventSerde.readCloudEvent(r.headers(), r.value());
            alert = CloudEventMapper.fromCloudEvent(ce);
        } catch (EventDecodingException e) {
            LOG.warn(
                    "record {}-{}@{} on the alerts topic is not an alert ({}); dead-lettered",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.reason().name().toLowerCase(java.util.Locale.ROOT));
            deadLetter(r, e.reason().name().toLowerCase(java.util.Locale.ROOT), e.getMessage(), null);
            return;
        }
        Object ruleId = alert.entity() == null || alert.entity().details() == null
                ? null
                : alert.entity().details().get("rule_id");
        List<WebhookDestination> destinations = ruleId == null ? List.of() : routes.destinations(ruleId.toString());
        if (destinations.isEmpty()) {
            return;
        }
        byte[] body = format.serialize(ce);
        for (WebhookDestination d : destinations) {
            WebhookSender.Outcome outcome = sender.deliver(d, ce.getId(), body);
            attempts.addAndGet(outcome.attempts());
            if (outcome instanceof WebhookSender.Failed f) {
                LOG.warn(
                        "alert {} of rule {} could not be delivered to {} ({} after {} attempts); dead-lettered",
                        ce.getId(),
                        ruleId,
                        d.id(),
                        f.detail(),
                        f.attempts());
                deadLetter(
                        r, "alert_delivery_" + f.reason(), f.detail() + " after " + f.attempts() + " attempts", d.id());
                deadLettered.incrementAndGet();
            } else {
                delivered.incrementAndGet();
                LOG.info(
                        "alert {} of rule {} delivered to {} (attempt {})",
                        ce.getId(),
                        ruleId,
                        d.id(),
                        outcome.attempts());
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason, String detail, String destination) {
        Headers h = new RecordHeaders(r.headers().toArray());
        h.add(DeadLetter.REASON, utf8(reason));
        h.add(DeadLetter.SERVICE, utf8(SERVICE));
        h.add(DeadLetter.TOPIC, utf8(r.topic()));
        h.add(DeadLetter.PARTITION, utf8(Integer.toString(r.partition())));
        h.add(DeadLetter.OFFSET, utf8(Long.toString(r.offset())));
        h.add(DeadLetter.TIME, utf8(clock.instant().toString()));
        h.add(DETAIL, utf8(detail == null ? "" : detail));
        if (destination != null) {
            h.add(DESTINATION, utf8(destination));
        }
        byte[] key = r.key() == null ? null : utf8(r.key());
        try {
            deadLetters
                    .send(new ProducerRecord<>(dlqTopic, null, key, r.value(), h))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not write the dead letter of alert record " + r.topic() + "-" + r.partition() + "@"
                            + r.offset() + " to " + dlqTopic,
                    e.getCause());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            // a thread in poll() leaves at once on wakeup and closes its consumer cleanly; one in the middle of a
            // delivery (a backoff wait, an HTTP request) is interrupted: that alert stays uncommitted and is delivered
            // after a restart
            thread.join(CLOSE_GRACE.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(30).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close(Duration.ofSeconds(10));
    }
}
