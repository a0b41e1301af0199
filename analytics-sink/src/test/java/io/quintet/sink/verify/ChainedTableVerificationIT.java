package io.quintet.sink.verify;

import static io.quintet.sink.write.EventTableLayout.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.quintet.sink.app.SinkListener;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.SinkHarness;
import io.quintet.sink.write.ParquetBatchWriter;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events chained with the audit module's real chainer and keys, on a real broker, through the real sink into a
 * real Iceberg table: the chain columns and the hashed JSON land, events from before chaining land without them,
 * the table verifies clean against the signed checkpoints on the checkpoints topic; then rows are changed and
 * deleted through Iceberg rewrites and the verifier names each at its row.
 */
@KafkaCluster
@Timeout(180)
class ChainedTableVerificationIT {
    private static final int PARTITIONS = 5;
    private static final int PER_PARTITION = 120;
    private static final int UNCHAINED = 4;

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    @Test
    void chainedEventsLandWithTheirChainColumnsVerifyCleanAndTamperedRowsAreReportedWhereTheySit(RunningKafka kafka)
            throws Exception {
        try (SinkHarness h = new SinkHarness(kafka, dir, PARTITIONS)) {
            String checkpointsTopic = h.prefix + "audit.checkpoints";
            kafka.createTopics(1, checkpointsTopic);
            Path keys = dir.resolve("keys");
            assertThat(KeysMain.run(new String[] {"init", "--dir", keys.toString()}, System.out, System.err))
                    .isZero();
            AuditChainer chainer = AuditSettings.chainer(
                    Map.of(
                            AuditSettings.HMAC_KEYS_FILE,
                            keys.resolve("hmac.keys").toString(),
                            AuditSettings.SIGNING_KEYS_FILE,
                            keys.resolve("signing.keys").toString(),
                            AuditSettings.CHECKPOINT_EVERY_EVENTS,
                            40L,
                            AuditSettings.CHECKPOINT_EVERY_MS,
                            3_600_000L),
                    h.topic);

            // events from before chaining was enabled, then the chained log and its checkpoints
            h.produce(0, UNCHAINED);
            Map<String, ChainLink> links = new HashMap<>();
            List<SignedCheckpoint> checkpoints = new ArrayList<>();
            produceChained(h, chainer, links, checkpoints);
            publishCheckpoints(kafka, checkpointsTopic, checkpoints);
            assertThat(checkpoints).hasSize(PARTITIONS * PER_PARTITION / 40);

            SinkHarness.Running sink = h.start(h.config("chained", Map.of()), SinkListener.NONE);
            long total = UNCHAINED + (long) PARTITIONS * PER_PARTITION;
            await("every event in the table")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(h.committedRowCount()).isEqualTo(total));
            sink.stopAndWait();

            List<Record> rows = h.rows();
            assertThat(rows.stream().filter(r -> r.getField(CHAIN_SEQ) == null))
                    .as("events from before chaining land without chain columns")
                    .hasSize(UNCHAINED)
                    .allSatisfy(r -> {
                        assertThat(r.getField(EVENT_JSON)).isNull();
                        assertThat(r.getField(CHAIN_HASH)).isNull();
                    });
            List<Record> chained =
                    rows.stream().filter(r -> r.getField(CHAIN_SEQ) != null).toList();
            assertThat(chained).hasSize(PARTITIONS * PER_PARTITION).allSatisfy(r -> {
                ChainLink link = links.get((String) r.getField(EVENT_ID));
                assertThat(r.getField(CHAIN_PARTITION))
                        .isEqualTo(link.partition())
                        .isEqualTo(r.getField(KAFKA_PARTITION));
                assertThat(r.getField(CHAIN_SEQ)).isEqualTo(link.seq());
                assertThat(r.getField(CHAIN_PREV)).isEqualTo(link.prev().hex());
                assertThat(r.getField(CHAIN_HASH)).isEqualTo(link.hash().hex());
                assertThat(r.getField(CHAIN_KEY_ID)).isEqualTo(link.keyId());
                assertThat((String) r.getField(EVENT_JSON)).startsWith("{").contains((String) r.getField(EVENT_ID));
            });

            Path sinkConfig = writeProperties(h.config("verifier", Map.of()));
            String[] verifyArgs = {
                "--config",
                sinkConfig.toString(),
                "--public-keys",
                keys.resolve("public-keys.json").toString(),
                "--hmac-keys",
                keys.resolve("hmac.keys").toString(),
                "--from-genesis"
            };
            Run clean = verify(verifyArgs);
            assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(clean.out())
                        .contains("partition " + p + ": " + PER_PARTITION
                                + " events read, chain verified from seq 1 through " + PER_PARTITION + ", "
                                + PER_PARTITION + " HMAC-checked, 3 of 3 checkpoints matched");
            }

            Table table = h.table();
            // partition 0, seq 50: a flattened column changed, the hashed JSON left alone
            long changedOffset = rewriteFileOf(table, chainRow(0, 50), r -> with(r, ENTITY_ID, "ent-forged"));
            // partition 1, seq 70: the row deleted
            rewriteFileOf(table, chainRow(1, 70), r -> null);
            // partition 2, seq 30: the hashed JSON and the matching column changed together
            long alteredOffset = rewriteFileOf(
                    table,
                    chainRow(2, 30),
                    r -> with(
                            with(r, SOURCE, "forged-source"),
                            EVENT_JSON,
                            ((String) r.getField(EVENT_JSON))
                                    .replace(
                                            "\"source\":\"" + r.getField(SOURCE) + "\"",
                                            "\"source\":\"forged-source\"")));

            // partition 3, seq 20 and 21: the two rows swap places in the log (their kafka_offset)
            long offset20 = offsetOf(h.rows(), chainRow(3, 20));
            long offset21 = offsetOf(h.rows(), chainRow(3, 21));
            rewriteFileOf(table, chainRow(3, 20), r -> with(r, KAFKA_OFFSET, offset21));
            rewriteFileOf(
                    table,
                    chainRow(3, 21).and(r -> r.getField(KAFKA_OFFSET).equals(offset21)),
                    r -> with(r, KAFKA_OFFSET, offset20));
            // partition 4: the tail from seq 111 on cut off
            rewriteFileOf(
                    table,
                    r -> r.getField(KAFKA_PARTITION).equals(4)
                            && r.getField(CHAIN_SEQ) != null
                            && (Long) r.getField(CHAIN_SEQ) > 110,
                    r -> null);

            Run tampered = verify(verifyArgs);
            System.out.println(tampered.out());
            assertThat(tampered.exit()).as(tampered.out() + tampered.err()).isEqualTo(VerifyTableMain.NOT_INTACT);
            assertThat(tampered.out())
                    .containsPattern(
                            "FAIL ALTERED partition 0 seq 50 at row kafka_offset " + changedOffset
                                    + " \\(event_id [^,]+, data/[^ ]+\\.parquet row \\d+\\): column\\(s\\) entity_id differ from the hashed event_json")
                    .contains("FAIL MISSING partition 1 seq 70 at row kafka_offset ")
                    .contains("expected seq 70 after seq 69")
                    .containsPattern("FAIL ALTERED partition 2 seq 30 at row kafka_offset " + alteredOffset + " ")
                    .containsPattern("FAIL REORDERED partition 3 seq 20 at row kafka_offset " + offset21 + " ")
                    .contains("FAIL TRUNCATED partition 4 seq 111 ")
                    .contains("5 problem(s) found");

            // without the HMAC keys, the signed Merkle roots still catch the altered JSON (at the end of its range)
            Run withoutHmac = verify(
                    "--config",
                    sinkConfig.toString(),
                    "--public-keys",
                    keys.resolve("public-keys.json").toString(),
                    "--partitions",
                    "2");
            assertThat(withoutHmac.exit())
                    .as(withoutHmac.out() + withoutHmac.err())
                    .isEqualTo(VerifyTableMain.NOT_INTACT);
            assertThat(withoutHmac.out()).contains("FAIL ALTERED partition 2 seq");
        }
    }

    private static Predicate<Record> chainRow(int partition, long seq) {
        return r -> r.getField(KAFKA_PARTITION).equals(partition)
                && Long.valueOf(seq).equals(r.getField(CHAIN_SEQ));
    }

    private static long offsetOf(List<Record> rows, Predicate<Record> which) {
        return rows.stream()
                .filter(which)
                .map(r -> (Long) r.getField(KAFKA_OFFSET))
                .findFirst()
                .orElseThrow();
    }

    private static Record with(Record r, String column, Object value) {
        Record copy = r.copy();
        copy.setField(column, value);
        return copy;
    }

    private static void produceChained(
            SinkHarness h, AuditChainer chainer, Map<String, ChainLink> links, List<SignedCheckpoint> checkpoints)
            throws Exception {
        Map<Integer, AuditState> states = new HashMap<>();
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                h.kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                10);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new CloudEventSerde().serializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < PER_PARTITION; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    CanonicalEvent e = SinkHarness.event(1000 * (p + 1) + i);
                    AuditChainer.Appended a = chainer.append(states.get(p), p, e, System.currentTimeMillis());
                    states.put(p, a.state());
                    a.checkpoint().ifPresent(checkpoints::add);
                    links.put(e.id(), a.link());
                    var rec = new ProducerRecord<>(h.topic, p, e.actor().id(), e);
                    ChainExtensions.writeHeaders(rec.headers(), a.link());
                    sent.add(producer.send(rec));
                }
            }
            producer.flush();
            for (var f : sent) {
                f.get();
            }
        }
    }

    private static void publishCheckpoints(RunningKafka kafka, String topic, List<SignedCheckpoint> checkpoints)
            throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (SignedCheckpoint c : checkpoints) {
                producer.send(new ProducerRecord<>(topic, CheckpointJson.recordKey(c.checkpoint()), c.toJson()))
                        .get();
            }
        }
    }

    /**
     * Tampers as someone with write access to the warehouse would: each data file holding a row {@code target}
     * selects is replaced (copy-on-write overwrite, one commit) by one where {@code change} has rewritten or
     * (returning null) dropped those rows. Returns the kafka_offset of the (last) row selected.
     */
    private static long rewriteFileOf(Table table, Predicate<Record> target, UnaryOperator<Record> change)
            throws IOException {
        table.refresh();
        Schema withFile = TypeUtil.join(table.schema(), new Schema(MetadataColumns.FILE_PATH));
        Set<String> files = new HashSet<>();
        long offset = -1;
        List<Record> all = new ArrayList<>();
        try (CloseableIterable<Record> scan =
                IcebergGenerics.read(table).project(withFile).build()) {
            for (Record r : scan) {
                all.add(r.copy());
                if (target.test(r)) {
                    files.add(r.getField(MetadataColumns.FILE_PATH.name()).toString());
                    offset = (Long) r.getField(KAFKA_OFFSET);
                }
            }
        }
        assertThat(files).as("the rows to tamper with").isNotEmpty();
        List<Record> rewritten = new ArrayList<>();
        for (Record r : all) {
            if (!files.contains(r.getField(MetadataColumns.FILE_PATH.name()).toString())) {
                continue;
            }
            Record plain = GenericRecord.create(table.schema());
            for (Types.NestedField f : table.schema().columns()) {
                plain.setField(f.name(), r.getField(f.name()));
            }
            Record out = target.test(r) ? change.apply(plain) : plain;
            if (out != null) {
                rewritten.add(out);
            }
        }
        var overwrite = table.newOverwrite();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                if (files.contains(t.file().location())) {
                    overwrite.deleteFile(t.file());
                }
            }
        }
        new ParquetBatchWriter(table, table.schema(), 64L << 20, "tamperer")
                .write(rewritten)
                .forEach(overwrite::addFile);
        overwrite.commit();
        return offset;
    }

    private Path writeProperties(SinkConfig config) throws IOException {
        Properties p = new Properties();
        p.putAll(config.toRaw());
        Path file = dir.resolve("sink.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "verifier");
        }
        return file;
    }

    private static Run verify(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VerifyTableMain.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
