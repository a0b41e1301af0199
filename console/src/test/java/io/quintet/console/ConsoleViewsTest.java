package io.quintet.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Entity;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The console's in-memory views over records as the pipeline writes them, without a broker. */
class ConsoleViewsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static ConsumerRecord<byte[], byte[]> canonicalRecord(CanonicalEvent e, long offset) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new CloudEventSerde().binarySerializer().serialize("events.canonical", headers, e);
        return new ConsumerRecord<>(
                "events.canonical",
                0,
                offset,
                e.eventTimestamp().toEpochMilli(),
                TimestampType.CREATE_TIME,
                -1,
                value.length,
                e.actor().id().getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
    }

    static CanonicalEvent event(String action, String source, String actor) {
        return CanonicalEvent.builder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(Instant.parse("2026-12-04T05:00:00Z"))
                .source(source)
                .action(action, "access")
                .actor(Actor.of(actor, Actor.USER))
                .build();
    }

    @Test
    void liveViewFiltersByActionPatternSourceAndActorNewestFirst() {
        LiveEvents live = new LiveEvents(10);
        live.add(canonicalRecord(event("auth.user.login_failed", "auth-service", "ps_a"), 0));
        live.add(canonicalRecord(event("billing.invoice.paid", "billing", "ps_b"), 1));
        live.add(canonicalRecord(event("auth.user.login_succeeded", "auth-service", "ps_b"), 2));

        assertThat(live.newest(LiveEvents.Filter.parse("auth.*", null, null), 0, 10))
                .extracting(LiveEvents.Entry::offset)
                .containsExactly(2L, 0L);
        assertThat(live.newest(LiveEvents.Filter.parse(null, "billing", null), 0, 10))
                .extracting(LiveEvents.Entry::action)
                .containsExactly("billing.invoice.paid");
        assertThat(live.newest(LiveEvents.Filter.parse("", "", "ps_b"), 0, 10))
                .extracting(LiveEvents.Entry::offset)
                .containsExactly(2L, 1L);
        assertThat(live.newest(LiveEvents.Filter.ALL, 2, 10))
                .extracting(LiveEvents.Entry::offset)
                .containsExactly(2L);
    }

    @Test
    void liveViewKeepsOnlyTheNewestEventsAndShowsCanonicalJsonAndCloudEventHeaders() {
        LiveEvents live = new LiveEvents(10);
        for (int i = 0; i < 25; i++) {
            live.add(canonicalRecord(event("auth.user.login_failed", "auth-service", "ps_a"), i));
        }
        List<LiveEvents.Entry> all = live.newest(LiveEvents.Filter.ALL, 0, 100);
        assertThat(all).hasSize(10);
        assertThat(all.get(0).offset()).isEqualTo(24);
        assertThat(live.received()).isEqualTo(25);
        JsonNode json = LiveEvents.toJson(all.get(0));
        assertThat(json.path("canonical").path("action").path("name").asText()).isEqualTo("auth.user.login_failed");
        assertThat(json.path("headers").path("ce_type").asText()).isEqualTo("auth.user.login_failed");
        assertThat(json.path("headers").path("ce_id").asText())
                .isEqualTo(all.get(0).id());
    }

    @Test
    void aBadActionPatternIsABadRequestNamingTheParameter() {
        assertThatThrownBy(() -> LiveEvents.Filter.parse("Auth..x", null, null))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("Auth")
                .satisfies(e -> assertThat(((BadRequest) e).where()).isEqualTo("query parameter action"));
    }

    static ConsumerRecord<byte[], byte[]> deadLetter(long offset, String reason, String source, String originalValue) {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_subject", "jane@example.com".getBytes(StandardCharsets.UTF_8)); // an original header: never shown
        h.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterHeaders.CAUSE, "json_schema".getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterHeaders.POINTERS, "/id,/actor/id".getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterHeaders.SOURCE_TOPIC, "events.raw".getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterHeaders.SOURCE_PARTITION, "3".getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterHeaders.SOURCE_OFFSET, "41".getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterHeaders.TIME, "2026-12-04T05:01:30Z".getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterHeaders.EVENT_SOURCE, source.getBytes(StandardCharsets.UTF_8));
        String body = "{\"reason\":\"" + reason
                + "\",\"cause\":\"json_schema\",\"message\":\"2 fields break the canonical schema\","
                + "\"violations\":[{\"pointer\":\"/id\",\"keyword\":\"format\",\"message\":\"not a uuid\"}],"
                + "\"source\":{\"topic\":\"events.raw\",\"partition\":3,\"offset\":41},\"dead_lettered_at\":\"2026-12-04T05:01:30Z\","
                + "\"original\":{\"value_bytes\":3,\"value_base64\":\""
                + Base64.getEncoder().encodeToString(originalValue.getBytes(StandardCharsets.UTF_8)) + "\"}}";
        byte[] v = body.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(
                "events.dlq",
                1,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                v.length,
                "jane@example.com".getBytes(StandardCharsets.UTF_8),
                v,
                h,
                Optional.empty());
    }

    @Test
    void deadLettersAreCountedByReasonAndSourcePerMinuteWithPointersAndSourceOffset() {
        DeadLetterLog log = new DeadLetterLog(100);
        log.add(deadLetter(0, "schema_violation", "shop", "x"));
        log.add(deadLetter(1, "schema_violation", "crm", "x"));
        log.add(deadLetter(2, "unparseable", "shop", "x"));

        JsonNode counts = log.counts();
        assertThat(counts.path("by_reason").path("schema_violation").asLong()).isEqualTo(2);
        assertThat(counts.path("by_source").path("shop").asLong()).isEqualTo(2);
        assertThat(counts.path("per_minute")).hasSize(1);
        assertThat(counts.path("per_minute").get(0).path("minute").asText()).isEqualTo("2026-12-04T05:01:00Z");
        DeadLetterLog.Entry newest = log.newest(null, null, 10).get(0);
        assertThat(newest.reason()).isEqualTo("unparseable");
        assertThat(newest.pointers()).containsExactly("/id", "/actor/id");
        assertThat(newest.sourceTopic()).isEqualTo("events.raw");
        assertThat(newest.sourcePartition()).isEqualTo(3);
        assertThat(newest.sourceOffset()).isEqualTo(41L);
        assertThat(log.newest("schema_violation", "crm", 10))
                .extracting(DeadLetterLog.Entry::dlqOffset)
                .containsExactly(1L);
    }

    @Test
    void aDeadLetterShownNeverCarriesTheRecordsKeyOriginalHeadersOrOriginalValue() throws Exception {
        DeadLetterLog log = new DeadLetterLog(100);
        log.add(deadLetter(0, "schema_violation", "shop", "{\"email\":\"jane@example.com\"}"));
        String shown = MAPPER.writeValueAsString(
                        DeadLetterLog.toJson(log.newest(null, null, 1).get(0)))
                + MAPPER.writeValueAsString(log.counts());
        assertThat(shown)
                .doesNotContain("jane@example.com")
                .doesNotContain("value_base64")
                .doesNotContain("not a uuid");
        assertThat(shown).contains("/id").contains("events.raw");
    }

    @Test
    void anAlertIsActiveFromItsTriggerUntilItsResolve() {
        AlertLog alerts = new AlertLog(10);
        alerts.add(alert("monitoring.alert.triggered", "episode-1", "brute-force-login"));
        alerts.add(alert("monitoring.alert.triggered", "episode-2", "workflow-failure-rate"));
        alerts.add(alert("monitoring.alert.resolved", "episode-1", "brute-force-login"));
        JsonNode json = alerts.toJson(10);
        assertThat(json.path("active")).hasSize(1);
        assertThat(json.path("active").get(0).path("rule_id").asText()).isEqualTo("workflow-failure-rate");
        assertThat(json.path("recent")).hasSize(3);
        assertThat(json.path("recent").get(0).path("state").asText()).isEqualTo("resolved");
        assertThat(json.path("recent").get(1).path("observed").path("value").asInt())
                .isEqualTo(7);
        assertThat(json.path("recent").get(1).path("warm_store_query").asText()).startsWith("SELECT");
    }

    static CanonicalEvent alert(String action, String episode, String rule) {
        Map<String, Object> details = Map.of(
                "rule_id",
                rule,
                "severity",
                "high",
                "group_by",
                "actor",
                "group",
                "ps_x",
                "window",
                Map.of("start", "2026-12-04T05:00:00Z", "end", "2026-12-04T05:05:00Z", "size", "PT5M"),
                "threshold",
                Map.of("kind", "count", "value", 5, "comparison", ">="),
                "observed",
                Map.of("value", 7, "count", 7),
                "warm_store_query",
                "SELECT * FROM quintet.events WHERE action_name = 'auth.user.login_failed'");
        return CanonicalEvent.builder()
                .id(UUID.randomUUID().toString())
                .eventTimestamp(Instant.now())
                .source("quintet/alerts")
                .action(action, "other")
                .actor(Actor.of("feed-aggregator", "service"))
                .entity(new Entity(rule + "/ps_x", "alert", details))
                .correlationId(episode)
                .build();
    }

    @Test
    void closedMetricWindowsAreKeptPerSeriesInWindowOrder() throws Exception {
        MetricsHistory h = new MetricsHistory();
        for (String start : List.of("2026-12-04T05:02:00Z", "2026-12-04T05:01:00Z")) {
            h.add(MAPPER.readTree("{\"schema\":\"quintet.metrics.v1\",\"dimension\":\"domain\",\"value\":\"auth.*\","
                    + "\"window_size\":\"PT1M\",\"window_start\":\"" + start + "\",\"count\":3}"));
        }
        h.add(MAPPER.readTree("{\"schema\":\"quintet.metrics.v1\",\"dimension\":\"domain\",\"value\":\"auth.*\","
                + "\"window_size\":\"PT1H\",\"window_start\":\"2026-12-04T05:00:00Z\",\"count\":6}"));
        JsonNode minute = h.toJson("1m", "domain");
        assertThat(minute.path("series")).hasSize(1);
        assertThat(minute.path("series").get(0).path("points"))
                .extracting(p -> p.path("window_start").asText())
                .containsExactly("2026-12-04T05:01:00Z", "2026-12-04T05:02:00Z");
        assertThat(h.toJson("1h", "domain")
                        .path("series")
                        .get(0)
                        .path("points")
                        .get(0)
                        .path("count")
                        .asInt())
                .isEqualTo(6);
        assertThat(h.toJson("1m", "action").path("series")).isEmpty();
    }

    @Test
    void anOrganisationsOwnMetricSeriesIsNotChartedWithTheSeriesOverEveryOrganisation() throws Exception {
        MetricsHistory h = new MetricsHistory();
        h.add(MAPPER.readTree("{\"schema\":\"quintet.metrics.v1\",\"dimension\":\"domain\",\"value\":\"auth.*\","
                + "\"window_size\":\"PT1M\",\"window_start\":\"2026-12-04T05:01:00Z\",\"count\":5}"));
        h.add(MAPPER.readTree("{\"schema\":\"quintet.metrics.v1\",\"dimension\":\"domain\",\"value\":\"auth.*\","
                + "\"window_size\":\"PT1M\",\"window_start\":\"2026-12-04T05:01:00Z\",\"count\":2,"
                + "\"organization_id\":\"org-acme\"}"));
        JsonNode minute = h.toJson("1m", "domain");
        assertThat(minute.path("series")).hasSize(1);
        assertThat(minute.path("series")
                        .get(0)
                        .path("points")
                        .get(0)
                        .path("count")
                        .asInt())
                .isEqualTo(5);
    }

    @Test
    void aReplaySelectionIsCheckedFieldByField() {
        assertThat(ConsoleApi.parseSelection("{\"entries\":[{\"partition\":1,\"offset\":7}]}"))
                .containsExactly(new DeadLetterReplay.Selected(1, 7));
        assertThatThrownBy(() -> ConsoleApi.parseSelection(
                        "{\"entries\":[{\"partition\":1,\"offset\":7},{\"partition\":\"x\",\"offset\":1}]}"))
                .isInstanceOf(BadRequest.class)
                .satisfies(e -> assertThat(((BadRequest) e).where()).isEqualTo("body /entries/1/partition"));
        assertThatThrownBy(() -> ConsoleApi.parseSelection("{\"entries\":[]}"))
                .isInstanceOf(BadRequest.class)
                .satisfies(e -> assertThat(((BadRequest) e).where()).isEqualTo("body /entries"));
        assertThatThrownBy(() -> ConsoleApi.parseSelection("not json"))
                .isInstanceOf(BadRequest.class)
                .satisfies(e -> assertThat(((BadRequest) e).where()).isEqualTo("body"));
    }

    @Test
    void theOriginalValueOfADeadLetterIsItsBodysBase64() {
        byte[] body = deadLetter(0, "schema_violation", "shop", "{\"a\":1}").value();
        assertThat(new String(DeadLetterReplay.originalValue(body), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":1}");
        assertThat(DeadLetterReplay.originalValue("{\"no\":\"reason\"}".getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }
}
