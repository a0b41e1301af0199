package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a hard stop ({@link HardKillRun}: 100,000 raw records, the enricher's JVM killed with SIGKILL
 * in the middle, restarted on the same state directory). events.canonical, read with read_committed, then holds every
 * valid event exactly once (re-sent duplicates included), and events.dlq every poison record exactly once.
 */
@KafkaCluster
@Timeout(420) // above HardKillRun's own deadlines (120 s to the kill, 90 s restart, 150 s to the last event)
class HardKillExactlyOnceIT {
    @TempDir
    Path dir;

    @Test
    void canonicalHoldsEachValidEventExactlyOnceAfterTheAppIsKilledMidStreamAndRestarted(RunningKafka kafka)
            throws Exception {
        try (HardKillRun.Outcome run = HardKillRun.run(kafka, dir, "kill", Map.of())) {
            assertEachValidEventOnceAndEachPoisonRecordDeadLetteredOnce(kafka, run);
        }
    }

    static void assertEachValidEventOnceAndEachPoisonRecordDeadLetteredOnce(
            RunningKafka kafka, HardKillRun.Outcome run) {
        assertThat(run.copies()).hasSize(run.valid());
        assertThat(run.copies().values())
                .as("copies per event id on events.canonical")
                .allMatch(n -> n == 1);
        List<ConsumerRecord<String, byte[]>> dlq = KafkaIo.readSettled(
                kafka, run.topics().name(TopicCatalogue.EVENTS_DLQ), run.poison(), Duration.ofSeconds(30));
        assertThat(dlq).hasSize(run.poison());
        assertThat(dlq.stream().map(HardKillExactlyOnceIT::sourcePosition).distinct())
                .hasSize(run.poison());
    }

    private static String sourcePosition(ConsumerRecord<String, byte[]> r) {
        var partition = r.headers().lastHeader(DeadLetters.SOURCE_PARTITION);
        var offset = r.headers().lastHeader(DeadLetters.SOURCE_OFFSET);
        return partition == null || offset == null
                ? ""
                : new String(offset.value(), StandardCharsets.UTF_8) + "/"
                        + new String(partition.value(), StandardCharsets.UTF_8);
    }
}
