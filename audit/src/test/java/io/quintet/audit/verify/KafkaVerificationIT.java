package io.quintet.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.audit.AuditChainer;
import io.quintet.audit.AuditSettings;
import io.quintet.audit.AuditState;
import io.quintet.audit.ExportMain;
import io.quintet.audit.KeysMain;
import io.quintet.audit.VerifyMain;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.checkpoint.CheckpointJson;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.audit.testing.TestLog;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chained, checkpointed log written to real topics (transactionally, as the enricher writes), then checked by
 * the {@code verify} command with a real consumer, exported, and checked again offline.
 */
@KafkaCluster
@Timeout(180)
class KafkaVerificationIT {
    private static final int PARTITIONS = 2;
    private static final int EVENTS = 300;

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run verify(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VerifyMain.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Chains the events with keys made by the keys command, as the enricher's settings would load them. */
    private List<Object[]> chainedLog(Path keys, String log, List<SignedCheckpoint> checkpoints) {
        assertThat(KeysMain.run(new String[] {"init", "--dir", keys.toString()}, System.out, System.err))
                .isZero();
        Map<String, Object> settings = Map.of(
                AuditSettings.HMAC_KEYS_FILE,
                keys.resolve("hmac.keys").toString(),
                AuditSettings.SIGNING_KEYS_FILE,
                keys.resolve("signing.keys").toString(),
                AuditSettings.CHECKPOINT_EVERY_EVENTS,
                50L,
                AuditSettings.CHECKPOINT_EVERY_MS,
                3_600_000L);
        AuditChainer chainer = AuditSettings.chainer(settings, log);
        Map<Integer, AuditState> states = new HashMap<>();
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            for (int p = 0; p < PARTITIONS; p++) {
                CanonicalEvent e = TestLog.event(p, i);
                AuditChainer.Appended a = chainer.append(states.get(p), p, e, TestLog.T0 + i);
                states.put(p, a.state());
                a.checkpoint().ifPresent(checkpoints::add);
                out.add(new Object[] {e, a.link()});
            }
        }
        return out;
    }

    /** Writes events (skipping those {@code drop} selects) in transactions, with aborted ones between, and checkpoints. */
    private static void publish(
            RunningKafka kafka,
            TopicCatalogue topics,
            List<Object[]> events,
            List<String> checkpointJson,
            BiPredicate<Integer, Long> drop)
            throws Exception {
        String eventsTopic = topics.name(TopicCatalogue.EVENTS_CANONICAL);
        String checkpointsTopic = topics.name(TopicCatalogue.AUDIT_CHECKPOINTS);
        kafka.createTopics(PARTITIONS, eventsTopic);
        kafka.createTopics(1, checkpointsTopic);
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                RunningKafka.unique("audit-it-tx"),
                ProducerConfig.ACKS_CONFIG,
                "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new CloudEventSerde().serializer());
                var cpProducer = new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            int n = 0;
            for (Object[] ev : events) {
                CanonicalEvent e = (CanonicalEvent) ev[0];
                ChainLink link = (ChainLink) ev[1];
                if (drop.test(link.partition(), link.seq())) {
                    continue;
                }
                var rec = new ProducerRecord<>(
                        eventsTopic, link.partition(), e.actor().pseudonym(), e);
                ChainExtensions.writeHeaders(rec.headers(), link);
                producer.send(rec);
                if (++n % 100 == 0) {
                    producer.commitTransaction();
                    // an aborted transaction in between: no reader of the log sees it, so neither may the verifier
                    producer.beginTransaction();
                    var junk = new ProducerRecord<>(eventsTopic, link.partition(), "x", TestLog.event(9, n));
                    ChainExtensions.writeHeaders(junk.headers(), link);
                    producer.send(junk);
                    producer.abortTransaction();
                    producer.beginTransaction();
                }
            }
            producer.commitTransaction();
            for (String json : checkpointJson) {
                SignedCheckpoint c = CheckpointJson.parse(json);
                cpProducer
                        .send(new ProducerRecord<>(checkpointsTopic, CheckpointJson.recordKey(c.checkpoint()), json))
                        .get();
            }
        }
    }

    private String[] common(RunningKafka kafka, TopicCatalogue topics, Path keys) {
        return new String[] {
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--topic-prefix",
            topics.prefix(),
            "--public-keys",
            keys.resolve("public-keys.json").toString(),
            "--hmac-keys",
            keys.resolve("hmac.keys").toString()
        };
    }

    @Test
    void aChainedTopicWithItsCheckpointsVerifiesCleanAndSoDoesItsExport(RunningKafka kafka) throws Exception {
        TopicCatalogue topics = TopicCatalogue.of(RunningKafka.unique("clean") + ".", PARTITIONS, (short) 1);
        Path keys = dir.resolve("keys");
        List<SignedCheckpoint> checkpoints = new ArrayList<>();
        List<Object[]> events = chainedLog(keys, topics.name(TopicCatalogue.EVENTS_CANONICAL), checkpoints);
        publish(
                kafka,
                topics,
                events,
                checkpoints.stream().map(SignedCheckpoint::toJson).toList(),
                (p, s) -> false);

        Run run = verify(concat(new String[] {"topic", "--from-genesis"}, common(kafka, topics, keys)));
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("OK: no problems found")
                .contains(
                        "partition 0: 300 events read, chain verified from seq 1 through 300, 300 HMAC-checked, 6 of 6 checkpoints matched")
                .contains(
                        "partition 1: 300 events read, chain verified from seq 1 through 300, 300 HMAC-checked, 6 of 6 checkpoints matched");

        // a range: partition 1 from its 50th record on, without the HMAC keys
        Run range = verify(
                "topic",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic-prefix",
                topics.prefix(),
                "--public-keys",
                keys.resolve("public-keys.json").toString(),
                "--partitions",
                "1",
                "--from",
                "1:60");
        assertThat(range.exit()).as(range.out() + range.err()).isZero();
        assertThat(range.out()).contains("partition 1 is read from seq").doesNotContain("partition 0:");

        Path ev = dir.resolve("events.ndjson");
        Path cp = dir.resolve("checkpoints.ndjson");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exported = ExportMain.run(
                new String[] {
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--topic-prefix",
                    topics.prefix(),
                    "--events",
                    ev.toString(),
                    "--checkpoints",
                    cp.toString()
                },
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertThat(exported).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("exported 600 events and 12 checkpoints");
        Run offline = verify(
                "archive",
                "--events",
                ev.toString(),
                "--checkpoints",
                cp.toString(),
                "--log",
                topics.name(TopicCatalogue.EVENTS_CANONICAL),
                "--public-keys",
                keys.resolve("public-keys.json").toString(),
                "--hmac-keys",
                keys.resolve("hmac.keys").toString(),
                "--from-genesis");
        assertThat(offline.exit()).as(offline.out() + offline.err()).isZero();
    }

    @Test
    void aTopicWithADeletedEventATruncatedTailAndAForgedCheckpointFailsAtEachPlace(RunningKafka kafka)
            throws Exception {
        TopicCatalogue topics = TopicCatalogue.of(RunningKafka.unique("tampered") + ".", PARTITIONS, (short) 1);
        Path keys = dir.resolve("keys");
        List<SignedCheckpoint> checkpoints = new ArrayList<>();
        List<Object[]> events = chainedLog(keys, topics.name(TopicCatalogue.EVENTS_CANONICAL), checkpoints);
        List<String> cpJson = new ArrayList<>(
                checkpoints.stream().map(SignedCheckpoint::toJson).toList());
        // a forger appends a checkpoint #6 for partition 1, signed with a key of their own under the genuine id
        SignedCheckpoint last = checkpoints.stream()
                .filter(c -> c.checkpoint().partition() == 1)
                .reduce((a, b) -> b)
                .orElseThrow();
        var c = last.checkpoint();
        var fake = new io.quintet.audit.checkpoint.Checkpoint(
                c.log(),
                1,
                c.index() + 1,
                c.lastSeq() + 1,
                c.lastSeq() + 10,
                c.head(),
                c.head(),
                c.merkleRoot(),
                c.treeRoot(),
                last.hash(),
                c.chainKeyId(),
                c.closedAt(),
                c.signingKeyId());
        byte[] input = CheckpointJson.signingInput(fake);
        cpJson.add(new SignedCheckpoint(
                        fake,
                        input,
                        io.quintet.audit.keys.Ed25519.sign(
                                io.quintet.audit.keys.Ed25519.generate().getPrivate(), input))
                .toJson());
        publish(kafka, topics, events, cpJson, (p, s) -> (p == 1 && s == 120) || (p == 0 && s > 280));

        Run run = verify(concat(new String[] {"topic"}, common(kafka, topics, keys)));
        System.out.println(run.out()); // the report, as an operator sees it (surefire keeps it in the -output.txt)
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(VerifyMain.NOT_INTACT);
        assertThat(run.out())
                .containsPattern(
                        "FAIL TRUNCATED partition 0 seq 281 at offset \\d+: the log ends at seq 280 \\(offset \\d+\\) but partition 0 "
                                + "checkpoint #5 \\(seq 251..300\\) covers up to seq 300: seq 281..300 missing")
                .containsPattern("FAIL MISSING partition 1 seq 120 at offset \\d+: expected seq 120 after seq 119 "
                        + "\\(at offset \\d+\\), found seq 121")
                .contains("FAIL FORGED_CHECKPOINT partition 1 at " + topics.name(TopicCatalogue.AUDIT_CHECKPOINTS)
                        + " partition 0 offset 12: partition 1 checkpoint #6 (seq 301..310): signature does not verify")
                .contains("3 problem(s) found");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
