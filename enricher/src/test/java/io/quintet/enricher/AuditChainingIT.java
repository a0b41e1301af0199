package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.audit.AuditSettings;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.KafkaEventSource;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.enricher.audit.AuditTestKeys;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The enricher with audit.enabled=true on a real broker: events.canonical and audit.checkpoints verify clean. */
@KafkaCluster
@Timeout(120)
class AuditChainingIT {
    @TempDir
    Path dir;

    @Test
    void chainedCanonicalTopicAndCheckpointsVerifyCleanWithTheAuditKafkaVerifier(RunningKafka kafka) throws Exception {
        TopicCatalogue topics = KafkaIo.freshTopics(kafka, "audit", 3);
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        String checkpoints = topics.name(TopicCatalogue.AUDIT_CHECKPOINTS);
        AuditTestKeys keys = AuditTestKeys.writeTo(dir);
        Map<String, String> settings = new HashMap<>(Map.of(
                EnricherConfig.BOOTSTRAP,
                kafka.bootstrapServers(),
                EnricherConfig.APPLICATION_ID,
                RunningKafka.unique("enricher-audit"),
                EnricherConfig.TOPIC_PREFIX,
                topics.prefix(),
                EnricherConfig.STATE_DIR,
                dir.resolve("state").toString(),
                EnricherConfig.MASTER_KEYS,
                TestKeys.K1,
                "kafka.client.session.timeout.ms",
                "6000"));
        settings.put(EnricherConfig.AUDIT_ENABLED, "true");
        settings.put(AuditSettings.HMAC_KEYS_FILE, keys.hmacFile.toString());
        settings.put(AuditSettings.SIGNING_KEYS_FILE, keys.signingFile.toString());
        settings.put(AuditSettings.CHECKPOINT_EVERY_EVENTS, "20");
        settings.put(AuditSettings.CHECKPOINT_EVERY_MS, "1000");

        int n = 150;
        try (KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            for (int i = 0; i < n; i++) {
                producer.send(KafkaIo.eventRecord(raw, EnricherIT.event(i)));
            }
            producer.send(KafkaIo.eventRecord(raw, EnricherIT.event(7))); // a duplicate: neither written nor chained
            producer.flush();
        }

        try (KafkaStreams ignored = KafkaIo.startEnricher(EnricherConfig.of(settings), Duration.ofSeconds(60))) {
            List<ConsumerRecord<String, byte[]>> events =
                    KafkaIo.readSettled(kafka, canonical, n, Duration.ofSeconds(60));
            assertThat(events).hasSize(n).allSatisfy(r -> assertThat(r.key()).startsWith("ps_"));
            Map<Integer, Long> perPartition =
                    events.stream().collect(Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting()));
            // wait until the checkpoints (count- and time-sealed) cover every event of every partition
            KafkaIo.readUntil(
                    kafka,
                    checkpoints,
                    Duration.ofSeconds(30),
                    cps -> perPartition.equals(AuditCheckpoints.sealed(cps)));

            Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
            List<CheckpointRecord> cps = KafkaEventSource.readCheckpoints(client, checkpoints, Duration.ofSeconds(10));
            VerificationReport report = new ChainVerifier(canonical, keys.publicKeys, keys.hmacKeys, true)
                    .verify(
                            new KafkaEventSource(client, canonical, null, Map.of(), Map.of(), Duration.ofSeconds(10)),
                            cps);

            assertThat(report.findings()).isEmpty();
            assertThat(report.events()).isEqualTo(n);
            assertThat(report.partitions()).hasSize(perPartition.size());
            report.partitions().forEach((p, s) -> {
                assertThat(s.lastSeq()).isEqualTo(perPartition.get(p)); // chain p = partition p, no gap from 1
                assertThat(s.checkpointsMatched()).isPositive();
            });
            assertThat(report.partitions().values().stream()
                            .mapToLong(VerificationReport.PartitionSummary::checkpointsMatched)
                            .sum())
                    .isEqualTo(cps.size());
        }
    }
}
