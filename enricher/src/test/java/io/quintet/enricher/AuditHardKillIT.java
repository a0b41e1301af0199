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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tamper-evident log across a hard stop: the enricher with audit.enabled=true (exactly_once_v2) is killed with
 * SIGKILL in the middle of 100,000 raw records and restarted ({@link HardKillRun}); the aborted transaction's chain
 * links and checkpoints are not part of the committed log, so the audit verifier over events.canonical
 * (read_committed) and audit.checkpoints reports no gap, fork or altered event, with every HMAC and every checkpoint
 * checked, and every valid event is there exactly once.
 */
@KafkaCluster
@Timeout(420) // above HardKillRun's own deadlines (120 s to the kill, 90 s restart, 150 s to the last event)
class AuditHardKillIT {
    @TempDir
    Path dir;

    @Test
    void chainedCanonicalTopicVerifiesCleanAndHoldsEachEventOnceAfterAHardKillOfTheEnricher(RunningKafka kafka)
            throws Exception {
        AuditTestKeys keys = AuditTestKeys.writeTo(dir);
        Map<String, String> audit = Map.of(
                EnricherConfig.AUDIT_ENABLED, "true",
                AuditSettings.HMAC_KEYS_FILE, keys.hmacFile.toString(),
                AuditSettings.SIGNING_KEYS_FILE, keys.signingFile.toString(),
                AuditSettings.CHECKPOINT_EVERY_EVENTS, "2000",
                AuditSettings.CHECKPOINT_EVERY_MS, "1000");
        try (HardKillRun.Outcome run = HardKillRun.run(kafka, dir, "audit-kill", audit)) {
            HardKillExactlyOnceIT.assertEachValidEventOnceAndEachPoisonRecordDeadLetteredOnce(kafka, run);

            String canonical = run.topics().name(TopicCatalogue.EVENTS_CANONICAL);
            String checkpoints = run.topics().name(TopicCatalogue.AUDIT_CHECKPOINTS);
            // the time-sealed checkpoints of the tail: wait until they cover every chained event
            KafkaIo.readUntil(
                    kafka,
                    checkpoints,
                    Duration.ofSeconds(30),
                    cps -> AuditCheckpoints.sealed(cps).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            == run.valid());

            Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
            List<CheckpointRecord> cps = KafkaEventSource.readCheckpoints(client, checkpoints, Duration.ofSeconds(10));
            VerificationReport report = new ChainVerifier(canonical, keys.publicKeys, keys.hmacKeys, true)
                    .verify(
                            new KafkaEventSource(client, canonical, null, Map.of(), Map.of(), Duration.ofSeconds(10)),
                            cps);

            assertThat(report.findings()).as("verifier findings").isEmpty();
            assertThat(report.events()).isEqualTo(run.valid());
            assertThat(report.partitions()).hasSize(3);
            long lastSeqs = report.partitions().values().stream()
                    .mapToLong(VerificationReport.PartitionSummary::lastSeq)
                    .sum();
            assertThat(lastSeqs)
                    .as("chains from seq 1 without gaps or repeats hold every event")
                    .isEqualTo(run.valid());
            assertThat(report.partitions().values().stream()
                            .mapToLong(VerificationReport.PartitionSummary::hmacChecked)
                            .sum())
                    .as("every event's HMAC recomputed")
                    .isEqualTo(run.valid());
            assertThat(report.partitions().values().stream()
                            .mapToLong(VerificationReport.PartitionSummary::checkpointsMatched)
                            .sum())
                    .as("every committed checkpoint matched")
                    .isEqualTo(cps.size());
            assertThat(cps.size())
                    .as("checkpoints (every 2,000 events or 1 s)")
                    .isGreaterThanOrEqualTo(run.valid() / 2000);
        }
    }
}
