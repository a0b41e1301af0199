package io.quintet.gateway.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka can take events now: checked every interval on its own thread by describing the gateway's topics
 * (broker reachable, topics exist) and by warming the producer's metadata for them. {@code /readyz} reports it,
 * and while Kafka is unavailable requests are answered 503 at once instead of filling the producer's buffer.
 */
public final class KafkaHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaHealth.class);

    /** What the last check found. */
    public enum State {
        AVAILABLE,
        UNREACHABLE,
        TOPICS_MISSING,
        WARMING_UP
    }

    /** The last check's verdict. */
    public record Status(State state, String detail, Instant checkedAt) {
        public boolean available() {
            return state == State.AVAILABLE;
        }
    }

    private final Admin admin;
    private final KafkaEventSink sink;
    private final List<String> topics;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile Status status;

    public KafkaHealth(Admin admin, KafkaEventSink sink, Duration interval, Clock clock) {
        this.admin = admin;
        this.sink = sink;
        this.topics = sink.topicNames();
        this.interval = interval;
        this.clock = clock;
        this.status = new Status(State.UNREACHABLE, "not checked yet", clock.instant());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-kafka-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks now (waiting briefly while the producer fetches its metadata, so a gateway started against a healthy
     * Kafka is ready at once), then every interval.
     */
    public void start() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (checkNow().state() == State.WARMING_UP && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        scheduler.scheduleWithFixedDelay(
                this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Status status() {
        return status;
    }

    public boolean available() {
        return status.available();
    }

    /** Runs one check and returns its verdict. */
    public Status checkNow() {
        Status next = check();
        Status previous = status;
        status = next;
        if (previous.available() != next.available()) {
            if (next.available()) {
                LOG.info("Kafka is available: {}", next.detail());
            } else {
                LOG.warn("Kafka is unavailable: {}", next.detail());
            }
        }
        return next;
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            LOG.error("Kafka health check failed unexpectedly", e);
            status = new Status(
                    State.UNREACHABLE, "health check failed: " + e.getClass().getSimpleName(), clock.instant());
        }
    }

    private Status check() {
        long timeoutMs = Math.max(500, Math.min(interval.toMillis(), 5_000));
        try {
            admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeoutMs))
                    .allTopicNames()
                    .get(timeoutMs + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return new Status(
                        State.TOPICS_MISSING,
                        "a topic is missing (need " + topics + "); create them with TopicsTool",
                        clock.instant());
            }
            return new Status(
                    State.UNREACHABLE,
                    "Kafka unreachable: " + e.getCause().getClass().getSimpleName(),
                    clock.instant());
        } catch (TimeoutException e) {
            return new Status(
                    State.UNREACHABLE, "Kafka unreachable: no answer within " + timeoutMs + " ms", clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(State.UNREACHABLE, "interrupted", clock.instant());
        }
        if (!sink.hasMetadata()) {
            return new Status(State.WARMING_UP, "waiting for the producer's topic metadata", clock.instant());
        }
        return new Status(State.AVAILABLE, "topics " + topics + " reachable", clock.instant());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
