package io.quintet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.audit.AuditChainer;
import io.quintet.audit.AuditSettings;
import io.quintet.audit.AuditState;
import io.quintet.audit.KeysMain;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.checkpoint.CheckpointJson;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.topics.TopicsTool;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline page's audit verdict: the audit module's verifier, run by the console over a chained events.canonical
 * and its signed checkpoints on the module's real broker, first intact, then after an event is appended twice.
 */
@KafkaCluster
@Timeout(120)
class ConsoleAuditVerdictIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PARTITIONS = 2;
    private static final int PER_PARTITION = 12;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path keys;

    @Test
    void theVerifiersVerdictIsIntactForAChainedLogAndBrokenWithWhereOnceAnEventIsDuplicatedEvenWithTheKeyFilesGone(
            RunningKafka kafka) throws Exception {
        String prefix =
                "console-audit-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicCatalogue topics = TopicCatalogue.of(prefix, PARTITIONS, (short) 1);
        try (Admin admin = kafka.admin()) {
            TopicsTool.ensure(admin, topics, false);
        }
        String log = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        KeysMain.init(keys, "chain-it", "ck-it");
        Map<String, Object> settings = Map.of(
                AuditSettings.HMAC_KEYS_FILE,
                keys.resolve(KeysMain.HMAC_FILE).toString(),
                AuditSettings.SIGNING_KEYS_FILE,
                keys.resolve(KeysMain.SIGNING_FILE).toString(),
                AuditSettings.CHECKPOINT_EVERY_EVENTS,
                5L,
                AuditSettings.CHECKPOINT_EVERY_MS,
                3_600_000L);
        AuditChainer chainer = AuditSettings.chainer(settings, log);
        Map<Integer, AuditState> states = new HashMap<>();
        List<SignedCheckpoint> checkpoints = new ArrayList<>();
        List<Map.Entry<CanonicalEvent, ChainLink>> records = new ArrayList<>();
        for (int i = 0; i < PER_PARTITION; i++) {
            for (int p = 0; p < PARTITIONS; p++) {
                CanonicalEvent e = ConsoleViewsTest.event("auth.user.login_failed", "it-audit", "ps_audit_" + p);
                AuditChainer.Appended a = chainer.append(states.get(p), p, e, System.currentTimeMillis());
                states.put(p, a.state());
                a.checkpoint().ifPresent(checkpoints::add);
                records.add(Map.entry(e, a.link()));
            }
        }
        try (var producer = producer(kafka, new CloudEventSerde().serializer());
                var cp = producer(kafka, new StringSerializer())) {
            for (var r : records) {
                producer.send(chained(log, r.getKey(), r.getValue())).get();
            }
            for (SignedCheckpoint c : checkpoints) {
                cp.send(new ProducerRecord<>(
                                topics.name(TopicCatalogue.AUDIT_CHECKPOINTS),
                                CheckpointJson.recordKey(c.checkpoint()),
                                c.toJson()))
                        .get();
            }
        }

        try (Console console = Console.start(ConsoleConfig.of(Map.of(
                ConsoleConfig.KAFKA_BOOTSTRAP,
                kafka.bootstrapServers(),
                ConsoleConfig.TOPICS_PREFIX,
                prefix,
                ConsoleConfig.HTTP_PORT,
                "0",
                ConsoleConfig.AUTH_API_KEYS,
                ConsoleIT.KEYS,
                ConsoleConfig.FEEDS_URL,
                "",
                ConsoleConfig.HEALTH_ENDPOINTS,
                "",
                ConsoleConfig.AUDIT_PUBLIC_KEYS,
                keys.resolve(KeysMain.PUBLIC_FILE).toString(),
                ConsoleConfig.AUDIT_HMAC_KEYS,
                keys.resolve(KeysMain.HMAC_FILE).toString(),
                ConsoleConfig.AUDIT_VERIFY_INTERVAL_S,
                "0")))) {
            String base = "http://127.0.0.1:" + console.port();
            // verified once at start
            JsonNode intact = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> get(base, "/api/audit"),
                            a -> !a.path("verdict").asText().equals("PENDING"));
            assertThat(intact.path("verdict").asText()).as(intact.toString()).isEqualTo("INTACT");
            assertThat(intact.path("events").asLong()).isEqualTo(PARTITIONS * PER_PARTITION);
            assertThat(intact.path("partitions").asInt()).isEqualTo(PARTITIONS);
            assertThat(intact.path("hmac_checked_events").asLong()).isEqualTo(PARTITIONS * PER_PARTITION);
            assertThat(intact.path("checkpoints_matched").asLong()).isPositive();
            assertThat(intact.path("verified_at").asText()).isNotBlank();
            assertThat(get(base, "/api/pipeline").path("audit").path("verdict").asText())
                    .isEqualTo("INTACT");

            // partition 1's last event written again (a replayed write): the verifier reports where. The published
            // keys are gone meanwhile: the run says so and verifies with the keys it read before
            java.nio.file.Files.delete(keys.resolve(KeysMain.PUBLIC_FILE));
            try (var producer = producer(kafka, new CloudEventSerde().serializer())) {
                var last = records.get(records.size() - 1);
                producer.send(chained(log, last.getKey(), last.getValue())).get();
            }
            HttpResponse<String> asked = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/audit/verify"))
                            .header("Authorization", "Bearer " + ConsoleIT.VIEWER_KEY)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
            String before = intact.path("verified_at").asText();
            JsonNode broken = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> get(base, "/api/audit"),
                            a -> !a.path("running").asBoolean()
                                    && !a.path("verified_at").asText().equals(before));
            assertThat(broken.path("verdict").asText()).as(broken.toString()).isEqualTo("BROKEN");
            assertThat(broken.path("events").asLong()).isEqualTo(PARTITIONS * PER_PARTITION + 1);
            JsonNode finding = broken.path("findings").get(0);
            assertThat(finding.path("partition").asInt()).isEqualTo(1);
            assertThat(finding.path("kind").asText()).isEqualTo("DUPLICATE");
            assertThat(finding.path("where").asText()).isEqualTo("offset " + PER_PARTITION);
            assertThat(broken.path("notes").toString()).contains("could not re-read the key files");
        }
    }

    private static ProducerRecord<String, CanonicalEvent> chained(String log, CanonicalEvent e, ChainLink link) {
        var rec = new ProducerRecord<>(log, link.partition(), e.actor().pseudonym(), e);
        ChainExtensions.writeHeaders(rec.headers(), link);
        return rec;
    }

    private static <V> KafkaProducer<String, V> producer(
            RunningKafka kafka, org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                values);
    }

    private JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + ConsoleIT.OPS_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }
}
