package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.enricher.privacy.EraseSubjectStep;
import io.quintet.enricher.privacy.SubjectDirectory;
import io.quintet.enricher.privacy.Vault;
import io.quintet.enricher.privacy.VaultLookupServer;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pseudonyms across partitions, the lookup API, erasure down to the compacted vault changelog, on a real broker. */
@KafkaCluster
@Timeout(180)
class PrivacyIT {
    static final int PARTITIONS = 3;

    @TempDir
    Path state;

    static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    static String userOnAnotherPartitionThan(String other) {
        for (int i = 0; ; i++) {
            if (partition("user-p" + i) != partition(other)) {
                return "user-p" + i;
            }
        }
    }

    static List<CanonicalEvent> events(List<ConsumerRecord<String, byte[]>> records) {
        CloudEventSerde serde = new CloudEventSerde();
        return records.stream()
                .map(r -> serde.deserializer().deserialize("c", r.headers(), r.value()))
                .toList();
    }

    static Predicate<List<ConsumerRecord<String, byte[]>>> contains(String action) {
        return rs -> events(rs).stream().anyMatch(e -> e.action().name().equals(action));
    }

    @Test
    void samePersonSamePseudonymAcrossPartitionsLookupThenErasureUntilTheCompactedChangelogHoldsNoCopy(
            RunningKafka kafka) throws Exception {
        TopicCatalogue topics = KafkaIo.freshTopics(kafka, "privacy", PARTITIONS);
        String appId = RunningKafka.unique("enricher-privacy");
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        String alice = EventFixtures.ALICE;
        String bob = userOnAnotherPartitionThan(alice);
        EnricherConfig config = EnricherConfig.of(new HashMap<>(Map.of(
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
                EnricherConfig.LOOKUP_PORT,
                "0",
                EnricherConfig.LOOKUP_TOKENS,
                "feed-aggregator:s3cret-token",
                "kafka.client.session.timeout.ms",
                "6000")));

        try (KafkaStreams streams = KafkaIo.startEnricher(config, Duration.ofSeconds(60));
                VaultLookupServer lookup = EnricherApp.startLookup(
                        config, streams, config.settings(), io.quintet.enricher.privacy.VaultTelemetry.noop());
                KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            producer.send(KafkaIo.eventRecord(raw, EventFixtures.login())).get();
            producer.send(KafkaIo.eventRecord(raw, PrivacyStepTest.follow(bob, alice)))
                    .get();
            List<CanonicalEvent> first =
                    events(KafkaIo.readUntil(kafka, canonical, Duration.ofSeconds(60), r -> r.size() >= 2));
            String alicePseudonym = first.stream()
                    .filter(e -> e.action().name().startsWith("auth."))
                    .findFirst()
                    .orElseThrow()
                    .actor()
                    .id();
            CanonicalEvent follow = first.stream()
                    .filter(e -> e.action().name().startsWith("social."))
                    .findFirst()
                    .orElseThrow();
            assertThat(follow.entity().id())
                    .as("Alice as followed entity, resolved on her own partition")
                    .isEqualTo(alicePseudonym);
            assertThat(follow.actor().id()).startsWith("ps_").isNotEqualTo(alicePseudonym);

            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + lookup.port() + VaultLookupServer.PATH + alicePseudonym);
            assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            HttpResponse<String> found = http.send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer s3cret-token")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).isEqualTo(200);
            JsonNode body = CanonicalJson.newMapper().readTree(found.body());
            assertThat(body.get("subject_id").asText()).isEqualTo(alice);
            assertThat(body.at("/fields/~1actor~1details~1email").asText()).isEqualTo(EventFixtures.ALICE_EMAIL);
            assertThat(KafkaIo.readUntil(kafka, canonical, Duration.ofSeconds(60), contains(VaultLookupServer.ACTION)))
                    .as("the lookup itself is audited")
                    .isNotEmpty();

            // the other direction (a user id to its pseudonym, for the feed-aggregator's tokens): same tokens, audited
            URI aliceSubject = URI.create(
                    "http://127.0.0.1:" + lookup.port() + VaultLookupServer.SUBJECTS_PATH + alice + "/pseudonym");
            assertThat(http.send(HttpRequest.newBuilder(aliceSubject).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            HttpResponse<String> subject = http.send(
                    HttpRequest.newBuilder(aliceSubject)
                            .header("Authorization", "Bearer s3cret-token")
                            .header(VaultLookupServer.ON_BEHALF_OF, "key:app-backend")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(subject.statusCode()).as(subject.body()).isEqualTo(200);
            assertThat(CanonicalJson.newMapper()
                            .readTree(subject.body())
                            .get("pseudonym")
                            .asText())
                    .isEqualTo(alicePseudonym);
            assertThat(KafkaIo.readUntil(
                            kafka,
                            canonical,
                            Duration.ofSeconds(60),
                            r -> events(r).stream()
                                    .anyMatch(e -> e.action().name().equals(VaultLookupServer.ACTION)
                                            && "subject_pseudonym"
                                                    .equals(e.context()
                                                            .attributes()
                                                            .get("quintet.lookup.kind"))
                                            && "key:app-backend"
                                                    .equals(e.context()
                                                            .attributes()
                                                            .get("quintet.lookup.on_behalf_of"))
                                            && alicePseudonym.equals(e.entity().id()))))
                    .as("the subject lookup is audited with who asked, naming the pseudonym, not the id")
                    .isNotEmpty();
            URI bobSubject = URI.create(
                    "http://127.0.0.1:" + lookup.port() + VaultLookupServer.SUBJECTS_PATH + bob + "/pseudonym");
            HttpResponse<String> bobAnswer = http.send(
                    HttpRequest.newBuilder(bobSubject)
                            .header("Authorization", "Bearer s3cret-token")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bobAnswer.statusCode()).as(bobAnswer.body()).isEqualTo(200);
            assertThat(CanonicalJson.newMapper()
                            .readTree(bobAnswer.body())
                            .get("pseudonym")
                            .asText())
                    .isEqualTo(follow.actor().id());
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lookup.port()
                                                    + VaultLookupServer.SUBJECTS_PATH + "nobody-ever/pseudonym"))
                                            .header("Authorization", "Bearer s3cret-token")
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(404);
            List<ConsumerRecord<String, byte[]>> beforeErasure =
                    KafkaIo.readSettled(kafka, canonical, 3, Duration.ofSeconds(20));

            assertThat(noValueFor(kafka, SubjectDirectory.topic(topics), alice))
                    .as("the subject directory lists Alice")
                    .isFalse();
            String requestId = "erase-" + UUID.randomUUID();
            producer.send(new ProducerRecord<>(
                            topics.name(TopicCatalogue.ERASURE_REQUESTS),
                            alice,
                            ("{\"request_id\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8)))
                    .get();
            List<CanonicalEvent> after = events(
                    KafkaIo.readUntil(kafka, canonical, Duration.ofSeconds(60), contains(EraseSubjectStep.ACTION)));
            CanonicalEvent erased = after.stream()
                    .filter(e -> e.action().name().equals(EraseSubjectStep.ACTION))
                    .findFirst()
                    .orElseThrow();
            assertThat(erased.entity().id()).isEqualTo(alicePseudonym);
            assertThat(erased.correlationId()).isEqualTo(requestId);
            assertThat(http.send(
                                    HttpRequest.newBuilder(uri)
                                            .header("Authorization", "Bearer s3cret-token")
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(404);
            // the subject directory (a global store) drops the subject within a commit interval
            await("an erased subject has no pseudonym")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(aliceSubject)
                                                    .header("Authorization", "Bearer s3cret-token")
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 404);

            // the immutable log is untouched: what was there before the erasure is still there, byte for byte
            List<ConsumerRecord<String, byte[]>> log =
                    KafkaIo.readSettled(kafka, canonical, beforeErasure.size() + 1, Duration.ofSeconds(20));
            for (ConsumerRecord<String, byte[]> r : beforeErasure) {
                assertThat(log).anySatisfy(l -> {
                    assertThat(l.offset()).isEqualTo(r.offset());
                    assertThat(l.partition()).isEqualTo(r.partition());
                    assertThat(l.value()).isEqualTo(r.value());
                });
            }

            // force compaction of the vault changelogs; more traffic rolls their segments
            String vaultLog = appId + "-" + Vault.VAULT + "-changelog";
            String subjectsLog = appId + "-" + Vault.SUBJECTS + "-changelog";
            String directory = SubjectDirectory.topic(topics);
            try (Admin admin = kafka.admin()) {
                compactNow(admin, vaultLog);
                compactNow(admin, subjectsLog);
                compactNow(admin, directory);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            boolean compacted = false;
            int n = 0;
            while (!compacted && System.nanoTime() < deadline) {
                for (int i = 0; i < 20; i++, n++) {
                    producer.send(KafkaIo.eventRecord(
                            raw, PrivacyStepTest.login("user-traffic-" + n, new UUID(0xc0ffee, n).toString())));
                }
                producer.flush();
                compacted = noValueFor(kafka, vaultLog, alicePseudonym)
                        && noValueFor(kafka, subjectsLog, alice)
                        && noValueFor(kafka, directory, alice);
            }
            assertThat(compacted)
                    .as("no readable copy of Alice's vault entries left in the compacted changelogs"
                            + " and the subject directory")
                    .isTrue();
        }
    }

    @Test
    void masterKeyRotationRewrapsEveryDataKeyWithoutTouchingTheLog(RunningKafka kafka) throws Exception {
        TopicCatalogue topics = KafkaIo.freshTopics(kafka, "rotation", PARTITIONS);
        String appId = RunningKafka.unique("enricher-rotation");
        String raw = topics.name(TopicCatalogue.EVENTS_RAW);
        String canonical = topics.name(TopicCatalogue.EVENTS_CANONICAL);
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
                EnricherConfig.ROTATION_INTERVAL,
                "200",
                "kafka.client.session.timeout.ms",
                "6000"));
        String pseudonym;
        try (KafkaStreams ignored = KafkaIo.startEnricher(EnricherConfig.of(settings), Duration.ofSeconds(60));
                KafkaProducer<String, byte[]> producer = KafkaIo.producer(kafka)) {
            producer.send(KafkaIo.eventRecord(raw, EventFixtures.login())).get();
            producer.send(KafkaIo.eventRecord(raw, PrivacyStepTest.follow("user-bob-2002", "user-carol-3003")))
                    .get();
            pseudonym = events(KafkaIo.readUntil(kafka, canonical, Duration.ofSeconds(60), r -> r.size() >= 2)).stream()
                    .filter(e -> e.action().name().startsWith("auth."))
                    .findFirst()
                    .orElseThrow()
                    .actor()
                    .id();
        }
        List<ConsumerRecord<String, byte[]>> logBefore =
                KafkaIo.readSettled(kafka, canonical, 2, Duration.ofSeconds(10));
        String vaultLog = appId + "-" + Vault.VAULT + "-changelog";
        String subjectsLog = appId + "-" + Vault.SUBJECTS + "-changelog";
        assertThat(latestKids(kafka, vaultLog)).containsOnly("k1");

        settings.put(EnricherConfig.MASTER_KEYS, TestKeys.K1 + "," + TestKeys.K2);
        settings.put(EnricherConfig.MASTER_KEY_ACTIVE, "k2");
        try (KafkaStreams ignored = KafkaIo.startEnricher(EnricherConfig.of(settings), Duration.ofSeconds(60))) {
            await("every vault and subject entry under k2")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> {
                        assertThat(latestKids(kafka, vaultLog)).containsOnly("k2");
                        assertThat(latestKids(kafka, subjectsLog)).containsOnly("k2");
                    });
        }

        settings.put(EnricherConfig.MASTER_KEYS, TestKeys.K2); // the old key is gone
        EnricherConfig onlyNewKey = EnricherConfig.of(settings);
        try (KafkaStreams streams = KafkaIo.startEnricher(onlyNewKey, Duration.ofSeconds(60))) {
            var pii = new io.quintet.enricher.privacy.VaultQueries(
                            streams, onlyNewKey.privacy().orElseThrow().keyring())
                    .apply(pseudonym);
            assertThat(pii).hasValueSatisfying(p -> assertThat(p.subjectId()).isEqualTo(EventFixtures.ALICE));
        }
        List<ConsumerRecord<String, byte[]>> logAfter =
                KafkaIo.readSettled(kafka, canonical, 2, Duration.ofSeconds(10));
        assertThat(logAfter).hasSameSizeAs(logBefore);
        for (int i = 0; i < logBefore.size(); i++) {
            assertThat(logAfter.get(i).value()).isEqualTo(logBefore.get(i).value());
        }
    }

    /** The master key ids of the latest value per key in a vault changelog. */
    private static java.util.Set<String> latestKids(RunningKafka kafka, String topic) {
        Map<String, byte[]> latest = new HashMap<>();
        try (var c = KafkaIo.committedReader(kafka, topic)) {
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < quiet) {
                c.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
            }
        }
        java.util.Set<String> kids = new java.util.TreeSet<>();
        boolean subjects = topic.contains(io.quintet.enricher.privacy.Vault.SUBJECTS);
        latest.values().stream()
                .filter(java.util.Objects::nonNull)
                .forEach(v -> kids.add(
                        subjects
                                ? io.quintet.enricher.privacy.VaultEntries.subjectSerde()
                                        .deserializer()
                                        .deserialize(topic, v)
                                        .kid()
                                : io.quintet.enricher.privacy.VaultEntries.vaultSerde()
                                        .deserializer()
                                        .deserialize(topic, v)
                                        .kid()));
        return kids;
    }

    private static void compactNow(Admin admin, String topic) throws Exception {
        ConfigResource t = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(
                        t,
                        List.of(
                                new AlterConfigOp(new ConfigEntry("segment.ms", "200"), AlterConfigOp.OpType.SET),
                                new AlterConfigOp(
                                        new ConfigEntry("min.cleanable.dirty.ratio", "0.0001"),
                                        AlterConfigOp.OpType.SET),
                                new AlterConfigOp(
                                        new ConfigEntry("min.compaction.lag.ms", "0"), AlterConfigOp.OpType.SET),
                                new AlterConfigOp(
                                        new ConfigEntry("delete.retention.ms", "100"), AlterConfigOp.OpType.SET),
                                new AlterConfigOp(
                                        new ConfigEntry("max.compaction.lag.ms", "200"), AlterConfigOp.OpType.SET))))
                .all()
                .get();
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "");
        admin.incrementalAlterConfigs(Map.of(
                        broker,
                        List.of(new AlterConfigOp(
                                new ConfigEntry("log.cleaner.backoff.ms", "500"), AlterConfigOp.OpType.SET))))
                .all()
                .get();
    }

    /** Whether the topic holds no record with this key and a value (tombstones aside). */
    private static boolean noValueFor(RunningKafka kafka, String topic, String key) {
        List<ConsumerRecord<String, byte[]>> all = new java.util.ArrayList<>();
        try (var c = KafkaIo.committedReader(kafka, topic)) {
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < quiet) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all.stream().noneMatch(r -> key.equals(r.key()) && r.value() != null);
    }
}
