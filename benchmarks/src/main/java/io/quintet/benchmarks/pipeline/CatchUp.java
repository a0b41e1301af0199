package io.quintet.benchmarks.pipeline;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits until consumer groups have caught up: lag 0 on every partition of the group's main input topic and of every
 * topic it has committed offsets on (a partition without a committed offset counts from its earliest offset: a group
 * that has committed nothing yet has everything still to do). Lag is the last stable offset (read_committed end) minus the committed offset; where that leaves a few offsets,
 * they are read (read_committed, from the committed offset): offsets that hold no record a consumer would get are
 * transaction markers and aborted records, which no consumer ever commits past, so they are not lag. Readings, not a
 * fixed sleep: it returns as soon as every group is at 0, and fails after the timeout naming what is still behind.
 */
public final class CatchUp {
    private final Admin admin;
    private final String bootstrap;

    public CatchUp(Admin admin, String bootstrap) {
        this.admin = admin;
        this.bootstrap = bootstrap;
    }

    /**
     * Records still to be consumed by {@code group}, per partition with any (markers and aborted records aside), over
     * {@code mainInput} and every topic the group committed offsets on.
     */
    public Map<TopicPartition, Long> lag(String group, String mainInput) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Set<String> topics = new TreeSet<>(Set.of(mainInput));
        committed.forEach((tp, o) -> {
            if (o != null) {
                topics.add(tp.topic());
            }
        });
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .forEach((topic, d) -> d.partitions().forEach(p -> {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    latest.put(tp, OffsetSpec.latest());
                    earliest.put(tp, OffsetSpec.earliest());
                }));
        Map<TopicPartition, Long> behind = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(10, TimeUnit.SECONDS);
        var starts = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, long[]> toRead = new HashMap<>();
        for (TopicPartition tp : latest.keySet()) {
            OffsetAndMetadata o = committed.get(tp);
            long from = o != null ? o.offset() : starts.get(tp).offset();
            long end = ends.get(tp).offset();
            if (end > from) {
                toRead.put(tp, new long[] {from, end});
            }
        }
        if (!toRead.isEmpty()) {
            behind.putAll(recordsBetween(toRead));
        }
        return behind;
    }

    /** Reads each partition from its first to its end offset; counts the records a read_committed consumer gets. */
    private Map<TopicPartition, Long> recordsBetween(Map<TopicPartition, long[]> ranges) {
        Map<TopicPartition, Long> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(ranges.keySet());
            ranges.forEach((tp, r) -> consumer.seek(tp, r[0]));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline
                    && !ranges.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()[1])) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < ranges.get(tp)[1]) {
                        counts.merge(tp, 1L, Long::sum);
                    }
                }
            }
            // a partition not read to its end within the deadline counts as fully behind
            ranges.forEach((tp, r) -> {
                if (consumer.position(tp) < r[1]) {
                    counts.put(tp, r[1] - r[0]);
                }
            });
        }
        counts.values().removeIf(n -> n == 0);
        return counts;
    }

    /**
     * Waits until every group's lag is 0, printing progress every 10 s; throws naming the lagging partitions.
     *
     * @param groups each group with its main input topic
     */
    public void await(Map<String, String> groups, Duration timeout, PrintStream out) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long lastPrint = start;
        Map<String, Map<TopicPartition, Long>> behind = new TreeMap<>();
        while (true) {
            behind.clear();
            for (var g : groups.entrySet()) {
                Map<TopicPartition, Long> lag = lag(g.getKey(), g.getValue());
                if (!lag.isEmpty()) {
                    behind.put(g.getKey(), lag);
                }
            }
            if (behind.isEmpty()) {
                out.printf(
                        "  every consumer group is at lag 0 (%s) after %.1f s%n",
                        String.join(", ", groups.keySet()), (System.nanoTime() - start) / 1e9);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "consumer groups not caught up within " + timeout.toSeconds() + " s: " + behind);
            }
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(10)) {
                lastPrint = System.nanoTime();
                Map<String, Long> totals = new TreeMap<>();
                behind.forEach((g, lag) -> totals.put(
                        g, lag.values().stream().mapToLong(Long::longValue).sum()));
                out.println("  still behind: " + totals);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }
}
