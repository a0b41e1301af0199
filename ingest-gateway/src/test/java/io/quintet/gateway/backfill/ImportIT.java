package io.quintet.gateway.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.fixtures.ProducerPayloads;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #20, item 6: {@code ./quintet import} backfills NDJSON canonical events, CloudEvents JSON and a Segment
 * batch file years older than the gateway's age limit to a real {@code events.raw}: marked, deduplicated, bad items
 * counted by reason, the event time kept.
 */
@KafkaCluster
@Timeout(120)
class ImportIT {
    static final ObjectMapper JSON = CanonicalJson.newMapper();
    static final String OLD = "2023-03-14T09:26:53Z";

    @TempDir
    Path dir;

    static String canonical(String id, String when) {
        return "{\"id\":\"" + id + "\",\"event_timestamp\":\"" + when + "\",\"source\":\"billing-service\","
                + "\"action\":{\"name\":\"billing.invoice.created\",\"type\":\"create\"},"
                + "\"actor\":{\"id\":\"billing-service\",\"type\":\"service\"},\"entity\":{\"id\":\"INV-1\",\"type\":\"invoice\"}}";
    }

    @Test
    void historyInEveryFormatIsPublishedOnceMarkedWithItsOwnEventTime(RunningKafka kafka) throws Exception {
        String prefix = RunningKafka.unique("import") + ".";
        String topic = TopicCatalogue.of(prefix, 2, (short) 1).name(TopicCatalogue.EVENTS_RAW);
        kafka.createTopics(2, topic);
        Path ndjson = dir.resolve("history.ndjson");
        Files.writeString(
                ndjson,
                String.join(
                                "\n",
                                canonical("6f1c8f0e-0000-4000-8000-000000000001", OLD),
                                canonical(
                                        "6f1c8f0e-0000-4000-8000-000000000001",
                                        OLD), // the same event again: a duplicate
                                canonical("6f1c8f0e-0000-4000-8000-000000000002", "2024-01-01T00:00:00Z"),
                                "{not json",
                                canonical("6f1c8f0e-0000-4000-8000-000000000003", OLD)
                                        .replace("billing.invoice.created", "Billing.Invoice"),
                                canonical("", OLD).replace("\"id\":\"\",", ""))
                        + "\n"); // no id: one derived from its content
        Path cloudEvents = dir.resolve("cloudevents.json");
        Files.writeString(
                cloudEvents,
                "[{\"specversion\":\"1.0\",\"id\":\"6f1c8f0e-0000-4000-8000-000000000004\","
                        + "\"source\":\"auth-service\",\"type\":\"auth.user.login_succeeded\",\"time\":\"" + OLD + "\","
                        + "\"datacontenttype\":\"application/json\",\"data\":{\"action\":{\"name\":\"auth.user.login_succeeded\","
                        + "\"type\":\"access\"},\"actor\":{\"id\":\"user-1\",\"type\":\"user\"}}}]");
        Path segment = dir.resolve("segment-batch.json");
        Files.writeString(segment, ProducerPayloads.segment("batch.json").replace("2015-2-02", "2015-02-02"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        ImportMain.Summary s = ImportMain.run(
                kafka.bootstrapServers(),
                topic,
                "https://shop.example.com",
                "run-1",
                List.of(ndjson, cloudEvents, segment, ndjson),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        // 6 NDJSON lines twice, 1 CloudEvent, 4 Segment messages
        assertThat(s.read()).isEqualTo(17);
        assertThat(s.published()).isEqualTo(3 + 1 + 4);
        assertThat(s.duplicates()).isEqualTo(1 + 4); // the repeated line, then the whole file's valid events again
        assertThat(s.rejected()).isEqualTo(4);
        assertThat(s.rejectedByCode()).containsEntry("malformed_json", 2L).containsEntry("invalid_action_name", 2L);
        assertThat(s.failed()).isZero();
        assertThat(s.line()).contains("8 published").contains("events/s");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("history.ndjson read");

        List<JsonNode> written = read(kafka.bootstrapServers(), topic);
        assertThat(written).hasSize(8);
        assertThat(written)
                .allSatisfy(e -> assertThat(
                                e.at("/context/attributes/quintet.backfill").asText())
                        .isEqualTo("run-1"));
        assertThat(written)
                .filteredOn(e -> e.path("id").asText().equals("6f1c8f0e-0000-4000-8000-000000000001"))
                .singleElement()
                .satisfies(e -> assertThat(e.path("event_timestamp").asText()).isEqualTo(OLD));
        assertThat(written)
                .filteredOn(e -> e.path("source").asText().equals("https://shop.example.com"))
                .hasSize(4)
                .anySatisfy(e -> assertThat(e.path("event_timestamp").asText()).startsWith("2012-12-02T00:30:12"));
    }

    @Test
    void importingTheSameFileAgainGivesEventsWithoutIdTheSameIds(RunningKafka kafka) throws Exception {
        String prefix = RunningKafka.unique("import2") + ".";
        String topic = TopicCatalogue.of(prefix, 1, (short) 1).name(TopicCatalogue.EVENTS_RAW);
        kafka.createTopics(1, topic);
        Path file = dir.resolve("no-ids.ndjson");
        Files.writeString(file, canonical("", OLD).replace("\"id\":\"\",", "") + "\n");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        ImportMain.run(kafka.bootstrapServers(), topic, null, "a", List.of(file), quiet);
        ImportMain.run(kafka.bootstrapServers(), topic, null, "b", List.of(file), quiet);

        List<JsonNode> written = read(kafka.bootstrapServers(), topic);
        assertThat(written).hasSize(2); // two runs: the enricher's deduplication removes the second copy
        assertThat(written.get(0).path("id").asText())
                .isEqualTo(written.get(1).path("id").asText());
    }

    static List<JsonNode> read(String bootstrap, String topic) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(JSON.readTree(r.value()));
                }
            }
        }
        return out;
    }
}
