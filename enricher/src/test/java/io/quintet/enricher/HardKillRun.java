package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.RunningKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A hard stop of the enricher in the middle of a stream, on a real broker: {@value #RECORDS} raw records (valid
 * events, poison records every {@value #POISON_EVERY}th, re-sent copies of earlier events every
 * {@value #DUPLICATE_EVERY}th) are produced; the enricher runs as its own JVM ({@link EnricherApp}, the service's
 * main), is killed with SIGKILL once a third of the valid events are committed on events.canonical (no close, no
 * commit, an open transaction left behind), and restarted in this JVM on the same state directory until every valid
 * event is visible. Shared by the hard-kill tests, which add their settings (e.g. audit.enabled) and assertions.
 */
final class HardKillRun {
    static final int RECORDS = 100_000;
    static final int POISON_EVERY = 200; // 500 poison records
    static final int DUPLICATE_EVERY = 250; // 400 re-sent copies of earlier events

    /**
     * What the run left behind.
     *
     * @param copies   copies of each event id on events.canonical (read_committed), read until a quiet period after
     *                 every valid event was seen
     * @param restarted the restarted enricher, still running (the caller closes it)
     */
    record Outcome(
            TopicCatalogue topics,
            EnricherConfig config,
            int valid,
            int poison,
            Map<String, Integer> copies,
            KafkaStreams restarted)
            implements AutoCloseable {
        @Override
        public void close() {
            restarted.close(Duration.ofSeconds(30));
        }
    }

    private HardKillRun() {}

    /**
     * @param settings extra enricher settings on top of the run's own (bootstrap, application id, topic prefix, state
     *                 directory, privacy master key)
     */
    static Outcome run(RunningKafka kafka, Path dir, String base, Map<String, String> settings) throws Exception {
        TopicCatalogue topics = KafkaIo.freshTopics(kafka, base, 3);
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        int poison = 0;
        int valid = 0;
        try (KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            for (int i = 0; i < RECORDS; i++) {
                if (i % POISON_EVERY == POISON_EVERY - 1) {
                    producer.send(new ProducerRecord<>(
                            raw, "user-" + (i % 97), "{\"poison\":true}".getBytes(StandardCharsets.UTF_8)));
                    poison++;
                } else if (i % DUPLICATE_EVERY == DUPLICATE_EVERY - 1) {
                    producer.send(KafkaIo.eventRecord(raw, EnricherIT.event(valid / 2))); // same (source, id) again
                } else {
                    producer.send(KafkaIo.eventRecord(raw, EnricherIT.event(valid++)));
                }
            }
            producer.flush();
        }

        Path configFile = dir.resolve("enricher.properties");
        Properties p = new Properties();
        p.setProperty(EnricherConfig.BOOTSTRAP, kafka.bootstrapServers());
        p.setProperty(EnricherConfig.APPLICATION_ID, RunningKafka.unique("enricher-" + base));
        p.setProperty(EnricherConfig.TOPIC_PREFIX, topics.prefix());
        p.setProperty(EnricherConfig.STATE_DIR, dir.resolve("state").toString());
        p.setProperty("kafka.client.session.timeout.ms", "6000");
        p.setProperty(EnricherConfig.MASTER_KEYS, TestKeys.K1);
        settings.forEach(p::setProperty);
        try (var w = Files.newBufferedWriter(configFile)) {
            p.store(w, "hard-kill test");
        }
        EnricherConfig config = EnricherConfig.load(configFile, Map.of());
        Path log =
                Path.of("target", "hard-kill-" + base + "-enricher-child.log").toAbsolutePath();
        System.out.printf("%s: produced %d records (%d valid, %d poison)%n", base, RECORDS, valid, poison);
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EnricherApp.class.getName(),
                        configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();

        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        Map<String, Integer> seen = new HashMap<>();
        CloudEventSerde serde = new CloudEventSerde();
        KafkaStreams restarted = null;
        try (KafkaConsumer<String, byte[]> reader = KafkaIo.committedReader(kafka, canonical)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (seen.size() < valid / 3 && System.nanoTime() < deadline && child.isAlive()) {
                count(reader, serde, seen);
            }
            assertThat(child.isAlive()).as("child enricher alive, log " + log).isTrue();
            assertThat(seen.size()).as("events committed before the kill").isBetween(1, valid - 1);
            child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, open transaction left behind
            System.out.printf("%s: killed the enricher after %d committed events%n", base, seen.size());

            restarted = KafkaIo.startEnricher(config, Duration.ofSeconds(90));
            deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (seen.size() < valid && System.nanoTime() < deadline) {
                count(reader, serde, seen);
            }
            System.out.printf("%s: after restart: %d distinct events%n", base, seen.size());
            long quiet = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < quiet) {
                count(reader, serde, seen);
            }
        } catch (Exception | AssertionError e) {
            if (restarted != null) {
                restarted.close(Duration.ofSeconds(30));
            }
            throw e;
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly().waitFor();
            }
        }
        return new Outcome(topics, config, valid, poison, seen, restarted);
    }

    private static void count(KafkaConsumer<String, byte[]> reader, CloudEventSerde serde, Map<String, Integer> seen) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
            seen.merge(
                    serde.deserializer()
                            .deserialize("c", r.headers(), r.value())
                            .id(),
                    1,
                    Integer::sum);
        }
    }
}
