package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The enricher as a running Kafka Streams application (exactly_once_v2) against a real broker. */
@KafkaCluster
@Timeout(150)
class EnricherIT {
    @TempDir
    Path state;

    static EnricherConfig config(RunningKafka kafka, TopicCatalogue topics, String appId, Path stateDir) {
        return EnricherConfig.of(Map.of(
                EnricherConfig.BOOTSTRAP,
                kafka.bootstrapServers(),
                EnricherConfig.APPLICATION_ID,
                appId,
                EnricherConfig.TOPIC_PREFIX,
                topics.prefix(),
                EnricherConfig.STATE_DIR,
                stateDir.toString(),
                EnricherConfig.MASTER_KEYS,
                TestKeys.K1,
                "kafka.client.session.timeout.ms",
                "6000"));
    }

    static CanonicalEvent event(int i) {
        return EventFixtures.failedLogin(new UUID(0x5eed, i).toString(), EventFixtures.T0.plusMillis(i))
                .withActor(Actor.of("user-" + (i % 97), Actor.USER));
    }

    @Test
    void validEventsReachCanonicalOnceEachPoisonRecordsReachTheDlqAndTheAppKeepsRunning(RunningKafka kafka)
            throws Exception {
        TopicCatalogue topics = KafkaIo.freshTopics(kafka, "eos", 3);
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        try (KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            for (int i = 0; i < 300; i++) {
                producer.send(KafkaIo.eventRecord(raw, event(i)));
                if (i % 100 == 50) {
                    producer.send(new ProducerRecord<>(
                            raw, "user-poison", ("not a cloud event " + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.send(KafkaIo.eventRecord(raw, event(7))); // a duplicate
            producer.flush();
        }

        try (KafkaStreams streams = KafkaIo.startEnricher(
                config(kafka, topics, RunningKafka.unique("enricher-eos"), state), Duration.ofSeconds(60))) {
            List<ConsumerRecord<String, byte[]>> dlq = KafkaIo.readUntil(
                    kafka, topics.name(TopicCatalogue.EVENTS_DLQ), Duration.ofSeconds(60), r -> r.size() >= 3);
            List<ConsumerRecord<String, byte[]>> canonical = KafkaIo.readSettled(
                    kafka, topics.name(TopicCatalogue.EVENTS_CANONICAL), 300, Duration.ofSeconds(60));

            CloudEventSerde serde = new CloudEventSerde();
            List<String> ids = canonical.stream()
                    .map(r -> serde.deserializer()
                            .deserialize("c", r.headers(), r.value())
                            .id())
                    .toList();
            assertThat(ids).hasSize(300).doesNotHaveDuplicates();
            assertThat(canonical).allSatisfy(r -> assertThat(r.key()).startsWith("ps_")); // keyed by pseudonym
            assertThat(dlq).hasSize(3).allSatisfy(r -> {
                DeadLetter dl = DeadLetters.parse(
                        r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.headers(), r.value());
                assertThat(dl.reason()).isEqualTo(DlqReason.UNPARSEABLE);
                assertThat(dl.source().topic()).isEqualTo(raw);
                assertThat(new String(dl.originalValue(), StandardCharsets.UTF_8))
                        .startsWith("not a cloud event");
            });
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);

            // still processing after the poison
            try (KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
                producer.send(KafkaIo.eventRecord(raw, event(1000))).get();
            }
            List<ConsumerRecord<String, byte[]>> after = KafkaIo.readUntil(
                    kafka, topics.name(TopicCatalogue.EVENTS_CANONICAL), Duration.ofSeconds(60), r -> r.size() >= 301);
            assertThat(after).hasSize(301);
        }
    }

    @Test
    void deduplicationSurvivesARestartThatLosesTheLocalState(RunningKafka kafka) throws Exception {
        TopicCatalogue topics = KafkaIo.freshTopics(kafka, "dedup", 2);
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        EnricherConfig config = config(kafka, topics, RunningKafka.unique("enricher-dedup"), state);
        try (KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            producer.send(KafkaIo.eventRecord(raw, event(1))).get();
        }
        try (KafkaStreams first = KafkaIo.startEnricher(config, Duration.ofSeconds(60))) {
            assertThat(KafkaIo.readUntil(kafka, canonical, Duration.ofSeconds(60), r -> !r.isEmpty()))
                    .hasSize(1);
            first.close(Duration.ofSeconds(30));
            first.cleanUp(); // wipe the local store: the restart must restore it from the changelog
        }

        try (KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            producer.send(KafkaIo.eventRecord(raw, event(1))).get(); // re-sent copy
            producer.send(KafkaIo.eventRecord(raw, event(2))).get();
        }
        try (KafkaStreams ignored = KafkaIo.startEnricher(config, Duration.ofSeconds(60))) {
            List<ConsumerRecord<String, byte[]>> out = KafkaIo.readSettled(kafka, canonical, 2, Duration.ofSeconds(60));
            CloudEventSerde serde = new CloudEventSerde();
            Set<String> ids = out.stream()
                    .map(r -> serde.deserializer()
                            .deserialize("c", r.headers(), r.value())
                            .id())
                    .collect(Collectors.toSet());
            assertThat(out).hasSize(2);
            assertThat(ids).containsExactlyInAnyOrder(event(1).id(), event(2).id());
        }
    }
}
