package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.dlq.DlqReplay;
import io.quintet.enricher.dlq.DlqSelection;
import io.quintet.model.Action;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** After a fix, the replay tool re-publishes the selected dead letters and they reach events.canonical. */
@KafkaCluster
@Timeout(150)
class DlqReplayIT {
    @TempDir
    Path state;

    @Test
    void selectedDeadLettersAreRepublishedAndAcceptedOnceTheConfigurationIsFixed(RunningKafka kafka) throws Exception {
        TopicCatalogue topics = KafkaIo.freshTopics(kafka, "replay", 2);
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        String dlq = topics.name(TopicCatalogue.EVENTS_DLQ);
        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        CanonicalEvent approval = EventFixtures.invoiceCreated().toBuilder()
                .action(new Action("billing.invoice.approved", "approve"))
                .build();
        try (KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            producer.send(KafkaIo.eventRecord(raw, approval)).get();
            producer.send(new ProducerRecord<>(raw, "k", "garbage".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        String appId = RunningKafka.unique("enricher-replay");
        Map<String, String> settings = new HashMap<>(Map.of(
                EnricherConfig.BOOTSTRAP,
                kafka.bootstrapServers(),
                EnricherConfig.APPLICATION_ID,
                appId,
                EnricherConfig.TOPIC_PREFIX,
                topics.prefix(),
                EnricherConfig.STATE_DIR,
                state.toString(),
                EnricherConfig.MASTER_KEYS,
                TestKeys.K1,
                "kafka.client.session.timeout.ms",
                "6000"));
        try (KafkaStreams ignored = KafkaIo.startEnricher(EnricherConfig.of(settings), Duration.ofSeconds(60))) {
            assertThat(KafkaIo.readUntil(kafka, dlq, Duration.ofSeconds(60), r -> r.size() >= 2))
                    .hasSize(2);
        }

        settings.put(EnricherConfig.EXTRA_ACTION_TYPES, "approve"); // the fix
        try (KafkaStreams ignored = KafkaIo.startEnricher(EnricherConfig.of(settings), Duration.ofSeconds(60));
                var consumer = new KafkaConsumer<>(
                        Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                var producer = new KafkaProducer<>(
                        Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            DlqReplay.Report dry = DlqReplay.run(
                    consumer,
                    producer,
                    dlq,
                    raw,
                    DlqSelection.all().withReasons(Set.of(DlqReason.SCHEMA_VIOLATION)),
                    true);
            assertThat(dry).isEqualTo(new DlqReplay.Report(2, 1, 0, 0));

            DlqReplay.Report report = DlqReplay.run(
                    consumer,
                    producer,
                    dlq,
                    raw,
                    DlqSelection.all().withReasons(Set.of(DlqReason.SCHEMA_VIOLATION)),
                    false);
            assertThat(report.published()).isEqualTo(1);

            List<ConsumerRecord<String, byte[]>> out = KafkaIo.readSettled(kafka, canonical, 1, Duration.ofSeconds(60));
            assertThat(out)
                    .singleElement()
                    .satisfies(r -> assertThat(new CloudEventSerde()
                                    .deserializer()
                                    .deserialize("c", r.headers(), r.value())
                                    .id())
                            .isEqualTo(approval.id()));
            assertThat(KafkaIo.readSettled(kafka, dlq, 2, Duration.ofSeconds(10)))
                    .hasSize(2); // the garbage was not replayed
            assertThat(KafkaIo.readSettled(kafka, raw, 3, Duration.ofSeconds(10)))
                    .filteredOn(r -> r.headers().lastHeader(DlqReplay.REPLAYED_FROM) != null)
                    .singleElement()
                    .satisfies(r -> assertThat(DeadLetters.header(r.headers(), "ce_type"))
                            .isEqualTo("billing.invoice.approved"));
        }
    }
}
