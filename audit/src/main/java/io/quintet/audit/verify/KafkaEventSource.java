package io.quintet.audit.verify;

import io.cloudevents.CloudEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.cloudevents.CloudEventSerde;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a range of a topic with a real consumer: assigned partitions (no group), {@code read_committed} (the
 * enricher writes transactionally; aborted records are not part of the log), from each partition's chosen or
 * earliest offset to its chosen or current end offset (taken when reading starts).
 */
public final class KafkaEventSource implements ChainedEventSource {
    private final Map<String, Object> clientConfig;
    private final String topic;
    private final Set<Integer> partitions; // null: all
    private final Map<Integer, Long> from;
    private final Map<Integer, Long> to;
    private final Duration idleTimeout;

    /**
     * @param clientConfig consumer settings (at least bootstrap.servers; security settings as needed)
     * @param partitions   the partitions to read, or null for all
     * @param from         start offsets by partition (default: earliest)
     * @param to           end offsets by partition, exclusive (default: the end when reading starts)
     * @param idleTimeout  give up when no progress is made for this long
     */
    public KafkaEventSource(
            Map<String, Object> clientConfig,
            String topic,
            Set<Integer> partitions,
            Map<Integer, Long> from,
            Map<Integer, Long> to,
            Duration idleTimeout) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topic = topic;
        this.partitions = partitions == null ? null : Set.copyOf(partitions);
        this.from = Map.copyOf(from);
        this.to = Map.copyOf(to);
        this.idleTimeout = idleTimeout;
    }

    @Override
    public String describe() {
        return "topic " + topic + (partitions == null ? "" : " partitions " + partitions)
                + (from.isEmpty() ? "" : " from " + from) + (to.isEmpty() ? "" : " to " + to);
    }

    @Override
    public Optional<Set<Integer>> partitions() {
        return Optional.ofNullable(partitions);
    }

    @Override
    public boolean readsToEnd() {
        return to.isEmpty();
    }

    static Map<String, Object> consumerConfig(Map<String, Object> base) {
        Map<String, Object> c = new HashMap<>(base);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "quintet-audit-verify");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return c;
    }

    @Override
    public void read(Consumer<ChainedRecord> sink) throws IOException {
        readTopic(consumerConfig(clientConfig), topic, partitions, from, to, idleTimeout, rec -> {
            Position pos = Position.offset(rec.offset());
            CloudEvent ce;
            try {
                ce = CloudEventSerde.readCloudEvent(rec.headers(), rec.value());
            } catch (EventDecodingException e) {
                sink.accept(ChainedRecord.broken(rec.partition(), pos, e.getMessage()));
                return;
            }
            sink.accept(ChainedRecord.ofCloudEvent(rec.partition(), pos, ce));
        });
    }

    /** Reads every partition range to its end offset; shared with the checkpoint reader and the exporter. */
    static void readTopic(
            Map<String, Object> config,
            String topic,
            Set<Integer> partitions,
            Map<Integer, Long> from,
            Map<Integer, Long> to,
            Duration idleTimeout,
            Consumer<ConsumerRecord<byte[], byte[]>> sink)
            throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, idleTimeout);
            if (infos == null || infos.isEmpty()) {
                throw new IOException("topic " + topic + " does not exist or has no partitions");
            }
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo i : infos) {
                if (partitions == null || partitions.contains(i.partition())) {
                    tps.add(new TopicPartition(topic, i.partition()));
                }
            }
            consumer.assign(tps);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, idleTimeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, idleTimeout);
            Map<TopicPartition, Long> stop = new HashMap<>();
            for (TopicPartition tp : tps) {
                long start = Math.max(from.getOrDefault(tp.partition(), begin.get(tp)), begin.get(tp));
                long last = Math.min(to.getOrDefault(tp.partition(), end.get(tp)), end.get(tp));
                if (start < last) {
                    consumer.seek(tp, start);
                    stop.put(tp, last);
                }
            }
            consumer.pause(tps.stream().filter(tp -> !stop.containsKey(tp)).toList());
            long idleSince = System.nanoTime();
            while (!stop.isEmpty()) {
                var records = consumer.poll(Duration.ofMillis(200));
                boolean progress = !records.isEmpty();
                for (ConsumerRecord<byte[], byte[]> rec : records) {
                    Long last = stop.get(new TopicPartition(rec.topic(), rec.partition()));
                    if (last != null && rec.offset() < last) {
                        sink.accept(rec);
                    }
                }
                for (TopicPartition tp : List.copyOf(stop.keySet())) {
                    if (consumer.position(tp) >= stop.get(tp)) {
                        stop.remove(tp);
                        consumer.pause(List.of(tp));
                        progress = true;
                    }
                }
                if (progress) {
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince > idleTimeout.toNanos()) {
                    throw new IOException("no progress reading " + topic + " for " + idleTimeout.toSeconds()
                            + " s; still to read: " + stop);
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IOException("Kafka did not answer in time reading " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Reads every checkpoint record of a checkpoints topic. */
    public static List<CheckpointRecord> readCheckpoints(
            Map<String, Object> clientConfig, String topic, Duration idleTimeout) throws IOException {
        List<CheckpointRecord> out = new ArrayList<>();
        readTopic(
                consumerConfig(clientConfig),
                topic,
                null,
                Map.of(),
                Map.of(),
                idleTimeout,
                rec -> out.add(CheckpointRecord.parse(
                        new Position(rec.offset(), topic + " partition " + rec.partition() + " offset " + rec.offset()),
                        rec.value())));
        return out;
    }
}
