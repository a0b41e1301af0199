package io.quintet.gateway.rejections;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code events.dlq} with a small consumer of its own (no consumer group: every gateway replica reads every
 * partition, committed records only) and keeps each source's recent rejections in a {@link RejectionLog}. At start
 * it reads back {@code lookback}; it never reads the records' values. The topic may appear after the gateway
 * starts: until it has partitions the follower looks again every few seconds.
 */
public final class DeadLetterFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final RejectionLog log;
    private final Duration lookback;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;

    public DeadLetterFollower(
            Map<String, Object> clientConfig, String topic, RejectionLog log, Duration lookback, Clock clock) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "quintet-gateway-rejections-" + UUID.randomUUID().toString().substring(0, 8));
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.log = log;
        this.lookback = lookback;
        this.clock = clock;
        this.thread = new Thread(this::run, "gateway-rejections");
        this.thread.setDaemon(true);
    }

    public DeadLetterFollower start() {
        thread.start();
        return this;
    }

    /** Whether the follower has found the topic and reads it. */
    public boolean following() {
        return assigned;
    }

    private void run() {
        try {
            while (running && !assign()) {
                Thread.sleep(TOPIC_RETRY.toMillis());
            }
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    RecentRejection.fromHeaders(r.headers(), r.timestamp()).ifPresent(log::add);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // WakeupException, InterruptException on close; anything else is a failure
            if (running) {
                LOG.error("the dead-letter follower of {} failed; the rejection feed keeps what it read", topic, e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition of the topic, each from {@code lookback} ago; false while the topic has none. */
    private boolean assign() {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return false;
        }
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> tps = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(tps);
        long since = clock.millis() - lookback.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        tps.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(10));
        for (TopicPartition tp : tps) {
            OffsetAndTimestamp o = offsets.get(tp);
            consumer.seek(tp, o != null ? o.offset() : ends.get(tp));
        }
        assigned = true;
        LOG.info("following {} ({} partitions) for the rejection feed, from {} back", topic, tps.size(), lookback);
        return true;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
