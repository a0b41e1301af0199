package io.quintet.sink.commit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.kafka.common.TopicPartition;

/**
 * What the table says about one consumer group's progress: per Kafka partition, the offset of the next record to
 * write (every record before it is in the table, exactly once) and the writer epoch of the instance that owns the
 * partition. Stored in the summary of every snapshot the sink commits, next to the data files it covers, like the
 * Iceberg Kafka Connect sink stores its offsets:
 * <pre>
 *   quintet.kafka.offsets.&lt;group&gt; = {"events.canonical":{"0":1200,"1":980}}
 *   quintet.kafka.epochs.&lt;group&gt;  = {"events.canonical":{"0":3,"1":3}}
 * </pre>
 * Each summary holds the full state of the group, so the newest snapshot that has the keys is enough; snapshots
 * committed by others (maintenance, other writers) are skipped when walking back.
 *
 * @param parentSnapshotId the table's current snapshot when this state was read: a commit based on this state must
 *                         apply to exactly that snapshot
 */
public record SinkState(Long parentSnapshotId, Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> epochs) {

    static final String OFFSETS_PREFIX = "quintet.kafka.offsets.";
    static final String EPOCHS_PREFIX = "quintet.kafka.epochs.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Long>>> NESTED = new TypeReference<>() {};
    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public SinkState {
        offsets = sorted(offsets);
        epochs = sorted(epochs);
    }

    static String offsetsKey(String group) {
        return OFFSETS_PREFIX + group;
    }

    static String epochsKey(String group) {
        return EPOCHS_PREFIX + group;
    }

    /** The state of {@code group} as of the table's current snapshot (refresh the table first). */
    public static SinkState read(Table table, String group) {
        Snapshot current = table.currentSnapshot();
        Long parent = current == null ? null : current.snapshotId();
        if (current != null) {
            for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
                Map<String, String> summary = s.summary();
                String offsets = summary.get(offsetsKey(group));
                if (offsets != null) {
                    return new SinkState(parent, parse(offsets), parse(summary.getOrDefault(epochsKey(group), "{}")));
                }
            }
        }
        return new SinkState(parent, Map.of(), Map.of());
    }

    /**
     * The sink state of every group, as summary properties to copy into a snapshot that is not the sink's own
     * (maintenance): the table's current snapshot then always holds the state, so expiring old snapshots cannot lose
     * it. For each key, the value of the newest snapshot that has it.
     */
    public static Map<String, String> carriedSummary(Table table) {
        Map<String, String> carried = new LinkedHashMap<>();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return carried;
        }
        for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            s.summary().forEach((k, v) -> {
                if (k.startsWith(OFFSETS_PREFIX) || k.startsWith(EPOCHS_PREFIX)) {
                    carried.putIfAbsent(k, v);
                }
            });
        }
        return carried;
    }

    public Long offset(TopicPartition tp) {
        return offsets.get(tp);
    }

    long epoch(TopicPartition tp) {
        return epochs.getOrDefault(tp, 0L);
    }

    SinkState withOffsets(Map<TopicPartition, Long> newOffsets) {
        Map<TopicPartition, Long> o = new LinkedHashMap<>(offsets);
        o.putAll(newOffsets);
        return new SinkState(parentSnapshotId, o, epochs);
    }

    SinkState withEpochs(Map<TopicPartition, Long> newEpochs) {
        Map<TopicPartition, Long> e = new LinkedHashMap<>(epochs);
        e.putAll(newEpochs);
        return new SinkState(parentSnapshotId, offsets, e);
    }

    /** Writes the state as snapshot summary properties. */
    void writeTo(String group, BiConsumer<String, String> summary) {
        summary.accept(offsetsKey(group), format(offsets));
        summary.accept(epochsKey(group), format(epochs));
    }

    static Map<TopicPartition, Long> parse(String json) {
        try {
            Map<TopicPartition, Long> out = new LinkedHashMap<>();
            JSON.readValue(json, NESTED)
                    .forEach((topic, parts) ->
                            parts.forEach((p, v) -> out.put(new TopicPartition(topic, Integer.parseInt(p)), v)));
            return out;
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new IllegalStateException("snapshot summary holds an unreadable sink state: " + e.getMessage(), e);
        }
    }

    static String format(Map<TopicPartition, Long> values) {
        Map<String, Map<String, Long>> nested = new TreeMap<>();
        sorted(values)
                .forEach((tp, v) -> nested.computeIfAbsent(tp.topic(), t -> new LinkedHashMap<>())
                        .put(String.valueOf(tp.partition()), v));
        try {
            return JSON.writeValueAsString(nested);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<TopicPartition, Long> sorted(Map<TopicPartition, Long> m) {
        Map<TopicPartition, Long> t = new TreeMap<>(ORDER);
        t.putAll(m);
        return java.util.Collections.unmodifiableMap(t);
    }
}
