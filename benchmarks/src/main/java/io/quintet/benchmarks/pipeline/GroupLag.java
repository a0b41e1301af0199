package io.quintet.benchmarks.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag per input topic: over every partition of each topic it has committed offsets on, the last
 * stable offset (read_committed end) minus the committed offset (or the earliest offset where it has none yet). For
 * a Kafka Streams application this covers its repartition topics too (their offsets are committed in the same group). A transaction marker after the last committed record
 * can leave one record of lag per partition.
 */
final class GroupLag {
    private GroupLag() {}

    /**
     * One reading of a group, per input topic: its lag, and the sum of its committed offsets (their growth between
     * two readings is what the group worked through, transaction markers included).
     */
    record Reading(Map<String, Long> lag, Map<String, Long> committed) {
        static final Reading EMPTY = new Reading(Map.of(), Map.of());
    }

    /**
     * Lag and committed offsets per topic of {@code group}: {@code mainInput} and every topic it committed on. A
     * partition without a committed offset yet counts from its earliest offset: a service that has not committed on
     * a partition has all of it still to do.
     */
    static Reading read(Admin admin, String group, String mainInput) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Set<String> topics = new TreeSet<>(Set.of(mainInput));
        committed.forEach((tp, o) -> {
            if (o != null) {
                topics.add(tp.topic());
            }
        });
        Map<String, Long> lag = new TreeMap<>();
        Map<String, Long> done = new TreeMap<>();
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
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(10, TimeUnit.SECONDS);
        var starts = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
        for (TopicPartition tp : latest.keySet()) {
            OffsetAndMetadata o = committed.get(tp);
            long position = o != null ? o.offset() : starts.get(tp).offset();
            lag.merge(tp.topic(), Math.max(0, ends.get(tp).offset() - position), Long::sum);
            done.merge(tp.topic(), position, Long::sum);
        }
        return new Reading(lag, done);
    }

    static long total(Map<String, Long> byTopic) {
        return byTopic.values().stream().mapToLong(Long::longValue).sum();
    }
}
