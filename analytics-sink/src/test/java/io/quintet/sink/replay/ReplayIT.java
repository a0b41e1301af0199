package io.quintet.sink.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.TableFixtures;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The replay command against a real broker: rows of the warm store back on a topic, exactly the range asked for. */
@KafkaCluster
@Timeout(180)
class ReplayIT {
    static final Instant START = Instant.parse("2026-09-01T00:00:00Z");
    static final String[] ACTIONS = {
        "billing.invoice.created",
        "billing.invoice.paid",
        "auth.user.login_failed",
        "auth.user.login_succeeded",
        "workflow.execution.failed",
        "billing.payment.late"
    };

    @TempDir
    Path dir;

    static List<CanonicalEvent> history(int n) {
        Random random = new Random(22);
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String actor = "psn-" + random.nextInt(40);
            Instant at = START.plusSeconds(random.nextInt(5 * 86_400)).plusMillis(random.nextInt(1000));
            String action = ACTIONS[random.nextInt(ACTIONS.length)];
            events.add(CanonicalEvent.builder()
                    .id("evt-" + i)
                    .eventTimestamp(at)
                    .observedTimestamp(at.plusMillis(30))
                    .source("history")
                    .action(action, "other")
                    .actor(new Actor(actor, Actor.USER, actor, null))
                    .entity(Entity.of("ent-" + random.nextInt(100), "invoice"))
                    .context(Context.EMPTY.withStatus(Context.Status.SUCCESS).withAttributes(Map.of("n", i)))
                    .build());
        }
        return events;
    }

    static List<ConsumerRecord<String, CanonicalEvent>> consumeAll(RunningKafka kafka, String topic, int partitions) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, CanonicalEvent>> out = new ArrayList<>();
        try (KafkaConsumer<String, CanonicalEvent> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new CloudEventSerde().deserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("consumed to the end in time").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void aReplayedRangeAndPatternArriveOnTheTopicExactlyOnceInEventTimeOrderPerKey(RunningKafka kafka)
            throws Exception {
        SinkConfig config = TableFixtures.config(dir, Map.of(SinkConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers()));
        List<CanonicalEvent> events = history(3_000);
        Catalog catalog = CatalogFactory.create(config);
        try {
            Table table = TableFixtures.append(TableFixtures.table(catalog, config), 0, 0, events.subList(0, 1_500));
            TableFixtures.append(table, 1, 0, events.subList(1_500, events.size()));
        } finally {
            if (catalog instanceof Closeable c) {
                c.close();
            }
        }
        Path file = dir.resolve("sink.properties");
        StringBuilder props = new StringBuilder();
        config.toRaw()
                .forEach((k, v) -> props.append(k)
                        .append('=')
                        .append(v.replace("\\", "\\\\"))
                        .append('\n'));
        Files.writeString(file, props);

        String topic = RunningKafka.unique("replay.billing");
        kafka.createTopics(3, topic);
        Instant from = START.plusSeconds(86_400 + 3_600); // day 2, 01:00
        Instant to = START.plusSeconds(3 * 86_400 + 7_200); // day 4, 02:00
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ReplayMain.run(
                new String[] {
                    "--config",
                    file.toString(),
                    "--from",
                    from.toString(),
                    "--to",
                    to.toString(),
                    "--action",
                    "billing.*",
                    "--topic",
                    topic
                },
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();

        List<CanonicalEvent> expected = events.stream()
                .filter(e ->
                        !e.eventTimestamp().isBefore(from) && e.eventTimestamp().isBefore(to))
                .filter(e -> e.action().name().startsWith("billing."))
                .sorted(Comparator.comparing(CanonicalEvent::eventTimestamp))
                .toList();
        assertThat(expected).hasSizeGreaterThan(500);
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(line)
                .matches("replayed " + String.format("%,d", expected.size())
                        + " events \\[.*\\) action billing\\.\\* from " + ".* into " + topic.replace(".", "\\.")
                        + ": [0-9,]+ rows read, [0-9.]+ s, [0-9,]+ events/s");

        List<ConsumerRecord<String, CanonicalEvent>> records = consumeAll(kafka, topic, 3);
        assertThat(records.stream().map(r -> r.value().id()).toList())
                .containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(CanonicalEvent::id).toList());
        Map<String, CanonicalEvent> byId = new HashMap<>();
        expected.forEach(e -> byId.put(e.id(), e));
        Map<String, List<Instant>> timesPerKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, CanonicalEvent> r : records) {
            CanonicalEvent original = byId.get(r.value().id());
            assertThat(r.value()).isEqualTo(original);
            assertThat(r.key()).isEqualTo(original.actor().pseudonym());
            assertThat(new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                    .isEqualTo(original.action().name());
            timesPerKey
                    .computeIfAbsent(r.key() + "@" + r.partition(), k -> new ArrayList<>())
                    .add(r.value().eventTimestamp());
        }
        timesPerKey.forEach((key, times) -> assertThat(times).as(key).isSorted());
    }
}
