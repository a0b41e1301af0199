package io.quintet.audit.streams;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends every chained event to the partition of its chain, so partition p of {@code events.canonical} holds
 * exactly chain p, written by the one task that owns it.
 */
public final class ChainPartitioner<K> implements StreamPartitioner<K, ChainOutput.Event> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, K key, ChainOutput.Event value, int numPartitions) {
        int p = value.link().partition();
        if (p >= numPartitions) {
            throw new IllegalStateException(
                    "chain partition " + p + " does not exist in " + topic + " (" + numPartitions + " partitions): "
                            + topic + " needs at least as many partitions as the chaining step's input");
        }
        return Optional.of(Set.of(p));
    }
}
