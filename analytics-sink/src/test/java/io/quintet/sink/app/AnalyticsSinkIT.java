package io.quintet.sink.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quintet.model.CanonicalEvent;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.fixtures.SinkHarness;
import io.quintet.sink.write.BatchPolicy;
import io.quintet.sink.write.EventRowMapper;
import io.quintet.sink.write.EventTableLayout;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@KafkaCluster
@Timeout(240)
class AnalyticsSinkIT {
    private static final int EVENTS = 100_000;

    @TempDir
    Path dir;

    @Test
    void aHundredThousandEventsLandExactlyOnceWithTheirValuesAndBadRecordsAreSkipped(RunningKafka kafka)
            throws Exception {
        try (SinkHarness h = new SinkHarness(kafka, dir, 3)) {
            h.produce(0, EVENTS / 2);
            h.produceGarbage(0, "{\"not\":\"a cloudevent\"}");
            h.produceGarbage(2, "definitely not json");
            h.produce(EVENTS / 2, EVENTS);

            SinkHarness.Running sink = h.start(
                    h.config(
                            "only",
                            Map.of(SinkConfig.BATCH_MAX_RECORDS, "25000", "kafka.client.max.poll.records", "5000")),
                    SinkListener.NONE);
            await("all rows committed")
                    .atMost(Duration.ofSeconds(180))
                    .untilAsserted(() -> assertThat(h.committedRowCount())
                            .as(() -> "rows committed; stats "
                                    + sink.sink().stats().snapshot())
                            .isGreaterThanOrEqualTo(EVENTS));
            sink.stopAndWait();

            SinkStats.Snapshot stats = sink.sink().stats().snapshot();
            assertThat(stats.skippedUndecodable()).isEqualTo(2);
            assertThat(stats.rowsCommitted()).isEqualTo(EVENTS);

            List<Record> rows = h.rows();
            assertThat(rows).hasSize(EVENTS);
            Map<String, Record> byId = rows.stream()
                    .collect(
                            Collectors.toMap(r -> (String) r.getField(EventTableLayout.EVENT_ID), Function.identity()));
            assertThat(byId).hasSize(EVENTS);
            assertThat(rows.stream()
                            .map(r -> r.getField("kafka_partition") + "/" + r.getField("kafka_offset"))
                            .distinct())
                    .hasSize(EVENTS);
            for (int i : new int[] {0, 1, 2, 3, 10, 12_345, 50_000, 99_999}) {
                assertRowMatches(byId.get("evt-" + i), SinkHarness.event(i));
            }

            // the table's offsets cover every record of the topic, garbage included
            Map<TopicPartition, Long> ends = endOffsets(kafka, h.topic, 3);
            assertThat(h.tableState().offsets()).isEqualTo(ends);
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(EVENTS + 2);
        }
    }

    @Test
    void aBatchHoldsExactlyItsRecordLimitEvenWhenItFillsInTheMiddleOfAPoll(RunningKafka kafka) throws Exception {
        try (SinkHarness h = new SinkHarness(kafka, dir, 3)) {
            h.produce(0, 6_000);
            java.util.Queue<SinkListener.BatchInfo> closed = new java.util.concurrent.ConcurrentLinkedQueue<>();
            // polls of up to 700 records never add up to 2,000 exactly; the age and event-time limits are out of reach,
            // so every
            // record lands only if each batch closes at exactly 2,000 records (else the last one stays short)
            SinkHarness.Running sink = h.start(
                    h.config(
                            "exact",
                            Map.of(
                                    SinkConfig.BATCH_MAX_RECORDS,
                                    "2000",
                                    SinkConfig.BATCH_MAX_AGE_MS,
                                    String.valueOf(Duration.ofHours(1).toMillis()),
                                    SinkConfig.BATCH_MAX_EVENT_TIME_SPAN_MS,
                                    String.valueOf(Duration.ofDays(30).toMillis()),
                                    "kafka.client.max.poll.records",
                                    "700")),
                    new SinkListener() {
                        @Override
                        public void batchClosing(BatchInfo batch) {
                            closed.add(batch);
                        }
                    });
            await("all rows committed")
                    .atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> assertThat(h.committedRowCount())
                            .as(() -> "rows committed; batches " + closed)
                            .isGreaterThanOrEqualTo(6_000));
            sink.stopAndWait();

            assertThat(closed).extracting(SinkListener.BatchInfo::records).containsExactly(2_000, 2_000, 2_000);
            assertThat(closed).extracting(SinkListener.BatchInfo::reason).containsOnly(BatchPolicy.CloseReason.RECORDS);
            assertThat(h.rows().stream()
                            .map(r -> r.getField("kafka_partition") + "/" + r.getField("kafka_offset"))
                            .distinct())
                    .hasSize(6_000);
            assertThat(h.tableState().offsets()).isEqualTo(endOffsets(kafka, h.topic, 3));
        }
    }

    static void assertRowMatches(Record row, CanonicalEvent e) {
        assertThat(row).as("row of %s", e.id()).isNotNull();
        assertThat(row.getField("event_timestamp"))
                .isEqualTo(OffsetDateTime.ofInstant(e.eventTimestamp(), ZoneOffset.UTC));
        assertThat(row.getField("observed_timestamp"))
                .isEqualTo(OffsetDateTime.ofInstant(e.observedTimestamp(), ZoneOffset.UTC));
        assertThat(row.getField("source")).isEqualTo(e.source());
        assertThat(row.getField("action_name")).isEqualTo(e.action().name());
        assertThat(row.getField("action_type")).isEqualTo(e.action().type());
        assertThat(row.getField("action_domain"))
                .isEqualTo(e.action().name().substring(0, e.action().name().indexOf('.')));
        assertThat(row.getField("actor_id")).isEqualTo(e.actor().id());
        assertThat(row.getField("actor_pseudonym")).isEqualTo(e.actor().pseudonym());
        assertThat(row.getField("correlation_id")).isEqualTo(e.correlationId());
        if (e.entity() == null) {
            assertThat(row.getField("entity_id")).isNull();
            assertThat(row.getField("entity_details")).isNull();
        } else {
            assertThat(row.getField("entity_id")).isEqualTo(e.entity().id());
            assertThat(row.getField("entity_details"))
                    .isEqualTo(EventRowMapper.json(e.entity().details()));
        }
        if (e.context() == null) {
            assertThat(row.getField("status")).isNull();
            assertThat(row.getField("properties")).isNull();
            assertThat(row.getField("duration_ms")).isNull();
        } else {
            assertThat(row.getField("status")).isEqualTo(e.context().status().name());
            assertThat(row.getField("duration_ms"))
                    .isEqualTo(e.context().telemetry().durationMs());
            assertThat(row.getField("trace_id"))
                    .isEqualTo(e.context().telemetry().traceId());
            assertThat(row.getField("properties"))
                    .isEqualTo(EventRowMapper.json(e.context().analyticsProperties()));
            assertThat(row.getField("user_state_snapshot"))
                    .isEqualTo(EventRowMapper.json(
                            e.context().domainSpecific().analytics().userStateSnapshot()));
            assertThat(row.getField("error_code"))
                    .isEqualTo(
                            e.context().error() == null
                                    ? null
                                    : e.context().error().code());
        }
    }

    static Map<TopicPartition, Long> endOffsets(RunningKafka kafka, String topic, int partitions) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            IntStream.range(0, partitions).forEach(p -> request.put(new TopicPartition(topic, p), OffsetSpec.latest()));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }
}
