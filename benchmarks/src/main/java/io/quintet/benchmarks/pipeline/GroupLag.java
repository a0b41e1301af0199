package io.quintet.benchmarks.pipeline;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A consumer group's lag per input topic: over the partitions it has committed offsets for, the last stable offset
 * (read_committed end) minus the committed offset. For a Kafka Streams application this covers its repartition
 * topics too (their offsets are committed in the same group). A transaction marker after the last committed record
 * can leave one record of lag per partition.
 */
final class GroupLag {
    private GroupLag() {
    }

    /**
     * One reading of a group, per input topic: its lag, and the sum of its committed offsets (their growth between
     * two readings is what the group worked through, transaction markers included).
     */
    record Reading(Map<String, Long> lag, Map<String, Long> committed) {
        static final Reading EMPTY = new Reading(Map.of(), Map.of());
    }

    /** Lag and committed offsets per topic of {@code group} (empty before the group's first commit). */
    static Reading read(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        committed.forEach((tp, o) -> {
            if (o != null) {
                request.put(tp, OffsetSpec.latest());
            }
        });
        Map<String, Long> lag = new TreeMap<>();
        Map<String, Long> done = new TreeMap<>();
        if (request.isEmpty()) {
            return new Reading(lag, done);
        }
        var ends = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
        committed.forEach((tp, o) -> {
            if (o != null && ends.containsKey(tp)) {
                lag.merge(tp.topic(), Math.max(0, ends.get(tp).offset() - o.offset()), Long::sum);
                done.merge(tp.topic(), o.offset(), Long::sum);
            }
        });
        return new Reading(lag, done);
    }

    static long total(Map<String, Long> byTopic) {
        return byTopic.values().stream().mapToLong(Long::longValue).sum();
    }
}
