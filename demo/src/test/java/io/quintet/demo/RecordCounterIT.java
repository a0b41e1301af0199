package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's progress figures are records, not offsets: a transactional writer (as the enricher is) leaves commit
 * markers and aborted records that take offsets; the counter sees only the committed records, and counts each once
 * across successive updates.
 */
@KafkaCluster
@Timeout(120)
class RecordCounterIT {

    @Test
    void countsCommittedRecordsNotTheOffsetsTransactionMarkersAndAbortsTake(RunningKafka kafka) throws Exception {
        String topic = RunningKafka.unique("counted");
        String other = RunningKafka.unique("other");
        kafka.createTopics(2, topic, other);
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                RunningKafka.unique("tx"));
        try (RecordCounter counter = new RecordCounter(kafka.bootstrapServers(), List.of(topic, other));
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (int tx = 0; tx < 6; tx++) {
                producer.beginTransaction();
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v"));
                }
                producer.commitTransaction();
            }
            // commit markers reach the partitions just after commitTransaction returns: update until stable
            assertThat(settle(counter)).containsEntry(topic, 30L).containsEntry(other, 0L);

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "aborted", "v"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 1, "k", "v"));
            producer.send(new ProducerRecord<>(other, 0, "k", "v"));
            producer.commitTransaction();
            assertThat(settle(counter)).containsEntry(topic, 31L).containsEntry(other, 1L);
        }
        try (Admin admin = kafka.admin()) {
            long endOffsets = admin
                    .listOffsets(Map.of(
                            new TopicPartition(topic, 0),
                            OffsetSpec.latest(),
                            new TopicPartition(topic, 1),
                            OffsetSpec.latest()))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .values()
                    .stream()
                    .mapToLong(i -> i.offset())
                    .sum();
            assertThat(endOffsets).as("what the progress line used to show").isGreaterThan(31L);
        }
    }

    /** Updates until the counts stay the same for two seconds (repeated updates must not count anything twice). */
    private static Map<String, Long> settle(RecordCounter counter) throws InterruptedException {
        Map<String, Long> last = counter.update(Duration.ofSeconds(5));
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - stableSince < TimeUnit.SECONDS.toNanos(2) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            Map<String, Long> now = counter.update(Duration.ofSeconds(5));
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }
}
