package io.quintet.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the committed records of some topics, incrementally: one read_committed consumer, assigned every partition
 * from the beginning, and each {@link #update} reads what was added since the last. End offsets are no count of
 * records: every transaction of an exactly-once writer (the enricher, the feed-aggregator) leaves a commit marker
 * that takes an offset, and aborted records take offsets too; neither is a record a reader sees.
 */
final class RecordCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<TopicPartition> partitions = new ArrayList<>();

    RecordCounter(String bootstrap, List<String> topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (String topic : topics) {
            counts.put(topic, 0L);
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Reads up to the committed end of every partition as of this call (at most {@code maxWait}) and returns the
     * records counted per topic so far.
     */
    Map<String, Long> update(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
        while (!caughtUp(end) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                counts.merge(r.topic(), 1L, Long::sum);
            }
        }
        return Map.copyOf(counts);
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
