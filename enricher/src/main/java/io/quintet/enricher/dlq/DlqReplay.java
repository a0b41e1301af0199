package io.quintet.enricher.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-publishes selected dead letters to {@code events.raw} after a fix (a corrected tracking plan, a new action
 * type, a repaired producer): reads the DLQ from the beginning up to its end at start time (read_committed),
 * rebuilds each selected original record (key, headers, value, byte for byte) and sends it with an idempotent
 * producer, adding a {@value #REPLAYED_FROM} header naming the dead letter it came from. The DLQ itself is left
 * untouched (it is an immutable log; retention ages it out). A record that is refused again is dead-lettered again.
 * Records that are not Quintet dead letters, and dead letters without an original value, are counted and skipped.
 */
public final class DlqReplay {
    public static final String REPLAYED_FROM = "quintet.replayed-from";
    private static final Logger LOG = LoggerFactory.getLogger(DlqReplay.class);

    /** What one run did. */
    public record Report(long scanned, long selected, long published, long skipped) {}

    private DlqReplay() {}

    /**
     * @param dryRun select and report, publish nothing
     */
    public static Report run(
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            String dlqTopic,
            String rawTopic,
            DlqSelection selection,
            boolean dryRun)
            throws InterruptedException, ExecutionException {
        List<TopicPartition> partitions = consumer.partitionsFor(dlqTopic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(dlqTopic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        long scanned = 0;
        long selected = 0;
        long skipped = 0;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        while (!reachedEnd(consumer, end)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                scanned++;
                DeadLetter dl;
                try {
                    dl = DeadLetters.parse(r.key(), r.headers(), r.value());
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipped {}-{}@{}: not a Quintet dead letter", r.topic(), r.partition(), r.offset());
                    skipped++;
                    continue;
                }
                if (!selection.matches(dl)) {
                    continue;
                }
                if (dl.originalValue() == null) {
                    LOG.warn(
                            "skipped {}-{}@{}: the dead letter has no original value",
                            r.topic(),
                            r.partition(),
                            r.offset());
                    skipped++;
                    continue;
                }
                selected++;
                LOG.info(
                        "{} {}-{}@{} ({}, source {}, event {})",
                        dryRun ? "would replay" : "replaying",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        dl.reason().code(),
                        dl.source(),
                        dl.event() == null ? "-" : dl.event().id());
                if (!dryRun) {
                    ProducerRecord<byte[], byte[]> original = DeadLetters.original(dl, rawTopic);
                    original.headers()
                            .add(
                                    REPLAYED_FROM,
                                    (r.topic() + "-" + r.partition() + "@" + r.offset())
                                            .getBytes(StandardCharsets.UTF_8));
                    sends.add(producer.send(original));
                }
            }
        }
        producer.flush();
        for (Future<RecordMetadata> f : sends) {
            f.get(); // surfaces any failed send
        }
        return new Report(scanned, selected, dryRun ? 0 : sends.size(), skipped);
    }

    private static boolean reachedEnd(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
