package io.quintet.enricher;

import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once across a hard stop: the enricher runs as its own JVM ({@link EnricherApp}, the service's main) over a
 * stream of 100,000 raw records, is killed with SIGKILL in the middle (no close, no commit, an open transaction),
 * and restarted on the same state directory. events.canonical, read with read_committed, then holds every valid
 * event exactly once (re-sent duplicates included), and events.dlq every poison record exactly once.
 */
@KafkaCluster
@Timeout(240)
class HardKillExactlyOnceIT {
    static final int RECORDS = 100_000;
    static final int POISON_EVERY = 200;      // 500 poison records
    static final int DUPLICATE_EVERY = 250;   // 400 re-sent copies of earlier events

    @TempDir
    Path dir;

    @Test
    void canonicalHoldsEachValidEventExactlyOnceAfterTheAppIsKilledMidStreamAndRestarted(RunningKafka kafka) throws Exception {
        TopicCatalogue topics = KafkaIo.freshTopics(kafka, "kill", 3);
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        int poison = 0;
        int valid = 0;
        try (KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            for (int i = 0; i < RECORDS; i++) {
                if (i % POISON_EVERY == POISON_EVERY - 1) {
                    producer.send(new ProducerRecord<>(raw, "user-" + (i % 97), "{\"poison\":true}".getBytes(StandardCharsets.UTF_8)));
                    poison++;
                } else if (i % DUPLICATE_EVERY == DUPLICATE_EVERY - 1) {
                    producer.send(KafkaIo.eventRecord(raw, EnricherIT.event(valid / 2))); // same (source, id) again
                } else {
                    producer.send(KafkaIo.eventRecord(raw, EnricherIT.event(valid++)));
                }
            }
            producer.flush();
        }

        Path config = dir.resolve("enricher.properties");
        Properties p = new Properties();
        p.setProperty(EnricherConfig.BOOTSTRAP, kafka.bootstrapServers());
        p.setProperty(EnricherConfig.APPLICATION_ID, RunningKafka.unique("enricher-kill"));
        p.setProperty(EnricherConfig.TOPIC_PREFIX, topics.prefix());
        p.setProperty(EnricherConfig.STATE_DIR, dir.resolve("state").toString());
        p.setProperty("kafka.client.session.timeout.ms", "6000");
        p.setProperty(EnricherConfig.MASTER_KEYS, TestKeys.K1);
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, "hard-kill test");
        }
        Path log = Path.of("target", "hard-kill-enricher-child.log").toAbsolutePath();
        System.out.printf("produced %d records (%d valid, %d poison)%n", RECORDS, valid, poison);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), EnricherApp.class.getName(), config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        Map<String, Integer> seen = new HashMap<>();
        CloudEventSerde serde = new CloudEventSerde();
        try (KafkaConsumer<String, byte[]> reader = KafkaIo.committedReader(kafka, canonical)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (seen.size() < valid / 3 && System.nanoTime() < deadline && child.isAlive()) {
                count(reader, serde, seen);
            }
            assertThat(child.isAlive()).as("child enricher alive, log " + log).isTrue();
            assertThat(seen.size()).as("events committed before the kill").isBetween(1, valid - 1);
            child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, open transaction left behind
            System.out.printf("killed the enricher after %d committed events%n", seen.size());

            try (KafkaStreams restarted = KafkaIo.startEnricher(EnricherConfig.load(config, Map.of()), Duration.ofSeconds(90))) {
                deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                while (seen.size() < valid && System.nanoTime() < deadline) {
                    count(reader, serde, seen);
                }
                System.out.printf("after restart: %d distinct events%n", seen.size());
                long quiet = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < quiet) {
                    count(reader, serde, seen);
                }
            }
        }
        assertThat(seen).hasSize(valid);
        assertThat(seen.values()).as("copies per event id on events.canonical").allMatch(n -> n == 1);
        List<ConsumerRecord<String, byte[]>> dlq = KafkaIo.readSettled(kafka, topics.name(TopicCatalogue.EVENTS_DLQ), poison,
                Duration.ofSeconds(30));
        assertThat(dlq).hasSize(poison);
        assertThat(dlq.stream().map(r -> r.headers().lastHeader(io.quintet.enricher.dlq.DeadLetters.SOURCE_PARTITION + "")
                == null ? "" : new String(r.headers().lastHeader(io.quintet.enricher.dlq.DeadLetters.SOURCE_OFFSET).value(),
                StandardCharsets.UTF_8) + "/" + new String(r.headers().lastHeader(io.quintet.enricher.dlq.DeadLetters.SOURCE_PARTITION).value(),
                StandardCharsets.UTF_8)).distinct()).hasSize(poison);
    }

    private static void count(KafkaConsumer<String, byte[]> reader, CloudEventSerde serde, Map<String, Integer> seen) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
            seen.merge(serde.deserializer().deserialize("c", r.headers(), r.value()).id(), 1, Integer::sum);
        }
    }
}
