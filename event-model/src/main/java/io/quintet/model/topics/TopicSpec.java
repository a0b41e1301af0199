package io.quintet.model.topics;

import java.util.Map;
import java.util.TreeMap;

/**
 * How one topic is created: its (prefixed) name, partition count and topic-level configs
 * (cleanup policy, retention, compaction). The replication factor is a deployment setting of the catalogue.
 */
public record TopicSpec(
        String name, int partitions, short replicationFactor, Map<String, String> configs, String purpose) {
    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": replication factor must be >= 1, was " + replicationFactor);
        }
        configs = java.util.Collections.unmodifiableMap(new TreeMap<>(configs)); // sorted: stable output
    }
}
