package io.quintet.feeds.entities;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions the entity-history repartition topic by the entity part of the event key, exactly as the default
 * partitioner partitions the entity key itself (murmur2 of its UTF-8 bytes): every event of an entity lands in one
 * partition, and interactive queries find it with {@code queryMetadataForKey(store, entityKey, StringSerializer)}.
 */
public final class EntityPartitioner implements StreamPartitioner<String, byte[]> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, byte[] value, int numPartitions) {
        return Optional.of(Set.of(partition(EntityKeys.entityOf(key), numPartitions)));
    }

    static int partition(String entity, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(entity.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
