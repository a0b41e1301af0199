package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.audit.AuditChainer;
import io.quintet.audit.AuditSettings;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.ChainedEventSource;
import io.quintet.audit.verify.ChainedRecord;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.Finding;
import io.quintet.audit.verify.Position;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.enricher.audit.AuditTestKeys;
import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DeadLetters;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** audit.enabled: the enricher's real topology chains events.canonical and the audit verifier checks the output. */
class AuditChainingTest {
    @TempDir
    Path dir;

    private Map<String, String> baseConfig(Path state) {
        Map<String, String> raw = new HashMap<>();
        raw.put(EnricherConfig.STATE_DIR, state.toString());
        raw.put(EnricherConfig.PRIVACY_ENABLED, "false");
        return raw;
    }

    private AuditChainer chainer(AuditTestKeys keys, long everyEvents) {
        Map<String, String> raw = baseConfig(dir.resolve("state"));
        raw.put(EnricherConfig.AUDIT_ENABLED, "true");
        raw.put(AuditSettings.HMAC_KEYS_FILE, keys.hmacFile.toString());
        raw.put(AuditSettings.SIGNING_KEYS_FILE, keys.signingFile.toString());
        raw.put(AuditSettings.CHECKPOINT_EVERY_EVENTS, Long.toString(everyEvents));
        return EnricherConfig.of(raw).auditChainer().orElseThrow();
    }

    @Test
    void auditIsOffByDefaultAndNeedsNoKeyFilesThen() {
        assertThat(EnricherConfig.of(baseConfig(dir)).auditChainer()).isEmpty();
    }

    @Test
    void auditEnabledWithoutReadableKeyFilesIsAStartUpErrorNamingEachSettingAlongsideOtherProblems() {
        Map<String, String> raw = baseConfig(dir);
        raw.put(EnricherConfig.AUDIT_ENABLED, "true");
        raw.put(AuditSettings.HMAC_KEYS_FILE, dir.resolve("no-such-file").toString());
        raw.put(EnricherConfig.PRIVACY_ENABLED, "true"); // and no master key: reported too
        assertThatThrownBy(() -> EnricherConfig.of(raw))
                .isInstanceOfSatisfying(
                        ConfigLoader.InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p)
                                        .startsWith(AuditSettings.HMAC_KEYS_FILE)
                                        .contains("does not exist"))
                                .anySatisfy(p -> assertThat(p)
                                        .startsWith(AuditSettings.SIGNING_KEYS_FILE)
                                        .contains("required"))
                                .anySatisfy(p -> assertThat(p).contains(EnricherConfig.MASTER_KEYS)));
    }

    @Test
    void chainingReplacesThePlainCanonicalSinkWithNamedStepsInTheTaskThatReadTheRawEvent() {
        AuditChainer chainer = chainer(AuditTestKeys.writeTo(dir), 10);
        String plain = EnricherTopology.buildTopology(
                        EnricherSettings.defaults(), EnricherTelemetry.noop(), PrivacyStep.disabled())
                .describe()
                .toString();
        TopologyDescription chained = EnricherTopology.buildTopology(
                        EnricherSettings.defaults(),
                        EnricherTelemetry.noop(),
                        PrivacyStep.disabled(),
                        Optional.of(chainer))
                .describe();
        assertThat(plain).contains("Sink: write-events-canonical").doesNotContain("audit-chain");
        assertThat(chained.toString())
                .doesNotContain("write-events-canonical", "KSTREAM-", "KTABLE-", "audit-chain-by-pseudonym")
                .contains(
                        "Processor: audit-chain ",
                        "audit-chain-state",
                        "Sink: audit-chain-events-sink (topic: events.canonical)",
                        "Sink: audit-chain-checkpoints-sink (topic: audit.checkpoints)",
                        "Sink: write-unchainable-dlq");
        assertThat(nodesOfTheSubtopologyWith(chained, "audit-chain"))
                .as("chained in the task that read events.raw")
                .contains("read-events-raw", "key-by-actor", "audit-chain-events-sink");
    }

    @Test
    void chainingByPseudonymRepartitionsByTheOutputKeyBeforeTheChainingStep() {
        TopologyDescription chained = EnricherTopology.buildTopology(
                        EnricherSettings.defaults(),
                        EnricherTelemetry.noop(),
                        PrivacyStep.disabled(),
                        Optional.of(chainer(AuditTestKeys.writeTo(dir), 10)),
                        EnricherTopology.ChainPartitioning.BY_PSEUDONYM)
                .describe();
        assertThat(chained.toString()).contains("audit-chain-by-pseudonym").doesNotContain("KSTREAM-");
        assertThat(nodesOfTheSubtopologyWith(chained, "audit-chain"))
                .doesNotContain("read-events-raw")
                .contains("audit-chain-by-pseudonym-repartition-source", "audit-chain-events-sink");
    }

    private static java.util.Set<String> nodesOfTheSubtopologyWith(TopologyDescription d, String node) {
        return d.subtopologies().stream()
                .map(st -> st.nodes().stream()
                        .map(TopologyDescription.Node::name)
                        .collect(java.util.stream.Collectors.toSet()))
                .filter(names -> names.contains(node))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void chainedCanonicalOutputVerifiesCleanAndAChangedEventIsFoundAtItsSequenceNumber() throws Exception {
        AuditTestKeys keys = AuditTestKeys.writeTo(dir);
        List<TestRecord<String, byte[]>> records;
        List<String> checkpoints = new ArrayList<>();
        try (EnricherHarness h = new EnricherHarness(
                EnricherSettings.defaults(),
                dir.resolve("state"),
                EnricherTelemetry.noop(),
                PrivacyStep.disabled(),
                Optional.of(chainer(keys, 10)))) {
            var cps = h.driver.createOutputTopic(
                    h.topics.name(TopicCatalogue.AUDIT_CHECKPOINTS),
                    new StringDeserializer(),
                    new StringDeserializer());
            for (int i = 0; i < 25; i++) {
                h.send(EventFixtures.failedLogin(eventId(i), EventFixtures.T0.plusSeconds(i)));
            }
            h.send(EventFixtures.failedLogin(
                    eventId(3), EventFixtures.T0.plusSeconds(3))); // a duplicate: not chained twice
            checkpoints.addAll(cps.readValuesToList());
            assertThat(checkpoints).hasSize(2); // 1..10, 11..20
            h.driver.advanceWallClockTime(Duration.ofMinutes(2)); // the punctuator seals the quiet tail 21..25
            checkpoints.addAll(cps.readValuesToList());
            records = h.canonicalRecords();
            assertThat(h.dlq.isEmpty()).isTrue();
        }
        assertThat(checkpoints).hasSize(3);
        assertThat(records).hasSize(25);
        assertThat(records)
                .allSatisfy(r -> assertThat(r.key())
                        .isEqualTo(EventFixtures.failedLogin(eventId(0), EventFixtures.T0)
                                .actor()
                                .id()));

        VerificationReport clean = verify(keys, records, checkpoints);
        assertThat(clean.findings()).isEmpty();
        assertThat(clean.partitions().get(0).lastSeq()).isEqualTo(25);
        assertThat(clean.partitions().get(0).checkpointsMatched()).isEqualTo(3);

        List<TestRecord<String, byte[]>> tampered = new ArrayList<>(records);
        TestRecord<String, byte[]> fifth = records.get(4);
        ObjectNode data = (ObjectNode) CanonicalJson.parseTree(fifth.value());
        ((ObjectNode) data.get("context").get("error")).put("message", "password matches after all");
        tampered.set(
                4,
                new TestRecord<>(
                        fifth.key(),
                        data.toString().getBytes(StandardCharsets.UTF_8),
                        fifth.headers(),
                        fifth.timestamp()));
        VerificationReport caught = verify(keys, tampered, checkpoints);
        assertThat(caught.clean()).isFalse();
        Finding first = caught.first(0).orElseThrow();
        assertThat(first.kind()).isEqualTo(Finding.Kind.ALTERED);
        assertThat(first.seq()).isEqualTo(5L);
    }

    @Test
    void theErasureAuditEventIsChainedLikeEveryCanonicalEvent() throws Exception {
        AuditTestKeys keys = AuditTestKeys.writeTo(dir);
        List<TestRecord<String, byte[]>> records;
        List<String> checkpoints = new ArrayList<>();
        EnricherSettings settings = EnricherSettings.defaults();
        try (EnricherHarness h = new EnricherHarness(
                settings,
                dir.resolve("state"),
                EnricherTelemetry.noop(),
                new io.quintet.enricher.privacy.Pseudonymization(
                        io.quintet.enricher.privacy.PrivacySettings.defaults(TestKeys.k1()), settings.topics()),
                Optional.of(chainer(keys, 2)))) {
            var cps = h.driver.createOutputTopic(
                    h.topics.name(TopicCatalogue.AUDIT_CHECKPOINTS),
                    new StringDeserializer(),
                    new StringDeserializer());
            h.send(EventFixtures.login());
            var erasures = h.driver.createInputTopic(
                    h.topics.name(TopicCatalogue.ERASURE_REQUESTS),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
            erasures.pipeInput(new TestRecord<>(
                    EventFixtures.ALICE,
                    "{\"request_id\":\"req-7\"}".getBytes(StandardCharsets.UTF_8),
                    new org.apache.kafka.common.header.internals.RecordHeaders(),
                    EventFixtures.T0.plusSeconds(10)));
            checkpoints.addAll(cps.readValuesToList());
            records = h.canonicalRecords();
        }
        assertThat(records).hasSize(2);
        CanonicalEvent erased = new CloudEventSerde()
                .deserializer()
                .deserialize("c", records.get(1).headers(), records.get(1).value());
        assertThat(erased.action().name()).isEqualTo(io.quintet.enricher.privacy.EraseSubjectStep.ACTION);
        assertThat(records.get(1).key())
                .as("keyed by its actor like every canonical event")
                .isEqualTo(erased.actor().id());
        assertThat(records.get(1).headers().lastHeader("ce_chainseq"))
                .as("chained")
                .isNotNull();
        VerificationReport report = verify(keys, records, checkpoints);
        assertThat(report.findings()).isEmpty();
        assertThat(report.partitions().get(0).lastSeq()).isEqualTo(2);
    }

    @Test
    void anEventWithNoCanonicalByteFormIsDeadLetteredAsUnchainableAndTheChainGoesOnWithoutAGap() throws Exception {
        AuditTestKeys keys = AuditTestKeys.writeTo(dir);
        List<TestRecord<String, byte[]>> records;
        List<String> checkpoints;
        List<DeadLetter> deadLetters;
        try (EnricherHarness h = new EnricherHarness(
                EnricherSettings.defaults(),
                dir.resolve("state"),
                EnricherTelemetry.noop(),
                PrivacyStep.disabled(),
                Optional.of(chainer(keys, 3)))) {
            var cps = h.driver.createOutputTopic(
                    h.topics.name(TopicCatalogue.AUDIT_CHECKPOINTS),
                    new StringDeserializer(),
                    new StringDeserializer());
            for (int i = 0; i < 6; i++) {
                if (i == 2) {
                    h.send(EventFixtures.failedLogin(eventId(100), EventFixtures.T0).toBuilder()
                            .correlationId("bad \ud800")
                            .build());
                }
                h.send(EventFixtures.failedLogin(eventId(i), EventFixtures.T0.plusSeconds(i)));
            }
            checkpoints = cps.readValuesToList();
            records = h.canonicalRecords();
            deadLetters = h.dlq.readRecordsToList().stream()
                    .map(r -> DeadLetters.parse(r.key(), r.headers(), r.value()))
                    .toList();
        }
        assertThat(deadLetters).singleElement().satisfies(dl -> {
            assertThat(dl.reason()).isEqualTo(DlqReason.ENRICHMENT_FAILURE);
            assertThat(dl.cause()).isEqualTo("unchainable");
            assertThat(dl.event().id()).isEqualTo(eventId(100));
        });
        assertThat(records).hasSize(6);
        assertThat(checkpoints).hasSize(2);
        VerificationReport report = verify(keys, records, checkpoints);
        assertThat(report.findings()).isEmpty();
        assertThat(report.partitions().get(0).lastSeq()).isEqualTo(6);
    }

    private static String eventId(int i) {
        return java.util
                .UUID
                .nameUUIDFromBytes(("audit-" + i).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static VerificationReport verify(
            AuditTestKeys keys, List<TestRecord<String, byte[]>> records, List<String> checkpoints) throws Exception {
        List<ChainedRecord> chained = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            var r = records.get(i);
            chained.add(ChainedRecord.ofCloudEvent(
                    0, Position.offset(i), CloudEventSerde.readCloudEvent(r.headers(), r.value())));
        }
        ChainedEventSource source = new ChainedEventSource() {
            public String describe() {
                return "events.canonical";
            }

            public Optional<Set<Integer>> partitions() {
                return Optional.of(Set.of(0));
            }

            public boolean readsToEnd() {
                return true;
            }

            public void read(Consumer<ChainedRecord> sink) {
                chained.forEach(sink);
            }
        };
        List<CheckpointRecord> cps = checkpoints.stream()
                .map(j -> CheckpointRecord.parse(Position.offset(0), j.getBytes(StandardCharsets.UTF_8)))
                .toList();
        return new ChainVerifier("events.canonical", keys.publicKeys, keys.hmacKeys, true).verify(source, cps);
    }
}
