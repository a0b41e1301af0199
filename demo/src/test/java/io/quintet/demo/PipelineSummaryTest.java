package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.audit.verify.VerificationReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The demo's closing summary: the counts it prints, the dead letters by reason, feed items and alerts in words. */
class PipelineSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deadLettersAreCountedByServiceAndReasonAndTheirSourcesKeptOnce() {
        PipelineSummary s = new PipelineSummary();
        Map<String, String> invalid = Map.of(
                "quintet.dlq.service", "enricher",
                "quintet.dlq.reason", "schema_invalid",
                "quintet.dlq.source.topic", "events.raw",
                "quintet.dlq.source.partition", "3",
                "quintet.dlq.source.offset", "17");
        s.deadLetter(record(invalid));
        s.deadLetter(record(invalid)); // the same source record dead-lettered again
        s.deadLetter(record(Map.of(
                "__streams.errors.exception", "org.apache.kafka.common.errors.SerializationException",
                "quintet.dlq.source.topic", "events.canonical")));
        s.deadLetter(record(Map.of()));

        assertThat(s.dlqReasons)
                .containsExactly(
                        Map.entry("(no reason header)", 1),
                        Map.entry("enricher:schema_invalid", 2),
                        Map.entry("streams:SerializationException", 1));
        assertThat(s.dlqSources).containsExactly("events.canonical/null@null", "events.raw/3@17", "null/null@null");
    }

    @Test
    void theSummaryPrintsEveryCountWhereItBelongs() throws Exception {
        PipelineSummary s = summary();

        String out = print(s);

        assertThat(out)
                .contains("gateway     sent 120, accepted 110, rejected at the edge 10 (HTTP statuses {200=4, 207=1}); "
                        + "3 garbage records sent straight to Kafka")
                .contains("enricher    500 canonical events on events.canonical; raw user ids among their actors: 0\n")
                .contains("dead letters {enricher:schema_invalid=2} from 1 distinct source record(s) [events.raw/0@5]")
                .contains("erasure audit events (privacy.subject.erased) on events.canonical: 1")
                .contains("auth           count    12  failures    2  distinct actors ~   5  p95 duration 120 ms")
                .contains("billing        count     3  failures    0  distinct actors ~   2  p95 duration - ms")
                .contains("alerts      1 alert event(s):\n            - brute force")
                .contains("warehouse   Iceberg table quintet.events: 2 snapshot(s), 3 data file(s), 480 row(s)")
                .contains("audit       verifier over events.canonical + audit.checkpoints: INTACT: 500 events in 2 "
                        + "partitions, 480 HMAC-checked, 3 signed checkpoints matched");
    }

    @Test
    void rawUserIdsOnCanonicalAreFlaggedAsPseudonymizationOff() throws Exception {
        PipelineSummary s = summary();
        s.rawUserIdsOnCanonical = 7;

        assertThat(print(s))
                .contains("raw user ids among their actors: 7  (pseudonymization is not enabled in this build)");
    }

    @Test
    void aFeedItemIsDescribedWithItsActorsVerbObjectAndCount() throws Exception {
        JsonNode grouped = JSON.readTree("{\"item\":{\"actors\":[\"ps_a\",\"ps_b\"],\"actor_count\":3,"
                + "\"verb\":\"social.post.liked\",\"object\":{\"type\":\"post\",\"id\":\"post-demo-1\"},"
                + "\"activity_count\":4,\"time\":\"2026-11-02T08:00:00Z\"},\"seen\":false}");
        JsonNode single = JSON.readTree("{\"actors\":[],\"verb\":\"billing.invoice.paid\","
                + "\"object\":{\"type\":\"invoice\",\"id\":\"INV-1\"},\"time\":\"t\",\"seen\":true}");

        assertThat(PipelineSummary.describeFeedItem(grouped))
                .isEqualTo("ps_a and 2 other(s): social.post.liked post/post-demo-1 (4 activities, latest "
                        + "2026-11-02T08:00:00Z)  [unseen]");
        assertThat(PipelineSummary.describeFeedItem(single))
                .isEqualTo("someone: billing.invoice.paid invoice/INV-1 (1 activity, latest t)");
    }

    @Test
    void anAlertIsDescribedByTypeRuleGroupAndObservedValueAndAnUndecodableOneSaysSo() {
        ConsumerRecord<byte[], byte[]> alert = record(
                Map.of("ce_type", "io.quintet.alert.fired"),
                "{\"entity\":{\"details\":{\"rule_id\":\"brute-force-login\",\"group\":\"ps_0123456789abcdef\","
                        + "\"observed\":{\"value\":5},\"severity\":\"high\"}}}");

        assertThat(PipelineSummary.describeAlert(alert))
                .isEqualTo(String.format(
                        "%-28s rule %-22s group %-14s observed 5 (high)",
                        "io.quintet.alert.fired", "brute-force-login", "ps_012345678.."));
        assertThat(PipelineSummary.describeAlert(record(Map.of("ce_type", "x"), "not json")))
                .isEqualTo("x (undecodable body)");
    }

    private static PipelineSummary summary() throws Exception {
        DemoReport demo = new DemoReport();
        demo.sent = 120;
        demo.accepted = 110;
        demo.rejected = 10;
        demo.sentStraightToKafka = 3;
        demo.statuses.put(200, 4);
        demo.statuses.put(207, 1);
        PipelineSummary s = new PipelineSummary();
        s.demo = demo;
        s.canonicalEvents = 500;
        s.erasureAuditEvents = 1;
        s.dlqReasons.put("enricher:schema_invalid", 2);
        s.dlqSources.add("events.raw/0@5");
        s.domainMetrics = JSON.readTree("{\"series\":["
                + "{\"value\":\"auth\",\"count\":12,\"failures\":2,\"distinct_actors\":5,\"duration_ms\":{\"p95\":120.4}},"
                + "{\"value\":\"billing\",\"count\":3,\"failures\":0,\"distinct_actors\":2}]}");
        s.alerts.add("brute force");
        WarehouseReport w = new WarehouseReport();
        w.table = "quintet.events";
        w.snapshots = 2;
        w.dataFiles = 3;
        w.rows = 480;
        s.warehouse = w;
        s.audit = new VerificationReport(
                "events.canonical",
                List.of(),
                List.of(),
                Map.of(
                        0, new VerificationReport.PartitionSummary(300, 1, 300, 290, 2, 2),
                        1, new VerificationReport.PartitionSummary(200, 1, 200, 190, 1, 1)));
        return s;
    }

    private static String print(PipelineSummary s) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        s.print(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return buffer.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private static ConsumerRecord<byte[], byte[]> record(Map<String, String> headers) {
        return record(headers, "{}");
    }

    private static ConsumerRecord<byte[], byte[]> record(Map<String, String> headers, String value) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(
                "events.dlq",
                0,
                0L,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                null,
                value.getBytes(StandardCharsets.UTF_8),
                h,
                Optional.empty());
    }
}
