package io.quintet.feeds.metrics;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions the metrics-by-series repartition topic: a partial by its series key, exactly as the producer's default
 * partitioner would (murmur2 of the key's UTF-8 bytes, so records written before this class existed went to the same
 * partitions), and a watermark to every partition, after the partials its task sent before it.
 */
public final class SeriesPartitioner implements StreamPartitioner<String, SeriesInput> {
    /** The key of watermark records (never a series key: those start with a dimension id). */
    public static final String WATERMARK_KEY = "~watermark";

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, SeriesInput value, int numPartitions) {
        if (value != null && value.watermark() != null) {
            Set<Integer> all = new HashSet<>(numPartitions * 2);
            for (int p = 0; p < numPartitions; p++) {
                all.add(p);
            }
            return Optional.of(all);
        }
        return Optional.of(
                Set.of(Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions));
    }
}
