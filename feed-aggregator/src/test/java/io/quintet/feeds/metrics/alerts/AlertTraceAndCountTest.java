package io.quintet.feeds.metrics.alerts;

import static io.quintet.feeds.stream.TestEvents.T0;
import static io.quintet.feeds.stream.TestEvents.failedLogin;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.metrics.PrometheusMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An alert continues the W3C trace of the event that fired it (Kafka headers in, headers out; an "alert fired" span
 * in that trace); alerts are counted by rule.
 */
class AlertTraceAndCountTest {
    @RegisterExtension
    static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

    static final String RULES = """
            rules:
              - id: brute-force-login
                pattern: auth.user.login_failed
                group_by: actor
                window: 5m
                threshold: {count: 3}
            """;

    final PrometheusMetrics prometheus = new PrometheusMetrics();
    final AlertRules rules = new AlertRules(AlertRulesFile.parse(RULES, Duration.ofSeconds(30), "test"));
    final TopologyFixture fx = new TopologyFixture(TopologyFixture.part((builder, events) -> AlertsTopology.addTo(
            builder,
            events,
            rules,
            new AlertSettings(Duration.ofSeconds(30), 3, "feed-aggregator", Duration.ofSeconds(1)),
            "alerts",
            new AlertTelemetry(prometheus.openTelemetry(OTEL.getOpenTelemetry().getTracerProvider())))));
    final TestOutputTopic<String, byte[]> alerts = fx.rawOutput(TopicCatalogue.ALERTS);

    @AfterEach
    void close() {
        fx.close();
        prometheus.close();
    }

    static String trace(int i) {
        return String.format("%032x", 0xabc00L + i);
    }

    static String span(int i) {
        return String.format("%016x", 0x5100L + i);
    }

    /** Pipes the event as the enricher writes it: binary-mode CloudEvent headers, ce_traceparent among them. */
    void sendTraced(CanonicalEvent e, int i) {
        CanonicalEvent traced =
                e.withContext(e.contextOrEmpty().withTelemetry(new Context.Telemetry(trace(i), span(i), null)));
        RecordHeaders headers = new RecordHeaders();
        byte[] value;
        try (var serializer = new CloudEventSerde().serializer()) {
            value = serializer.serialize("events.canonical", headers, traced);
        }
        assertThat(headers.lastHeader("ce_traceparent"))
                .as("the input carries its trace in a header")
                .isNotNull();
        fx.canonicalRaw.pipeInput(new TestRecord<>(e.actor().id(), value, headers, e.eventTimestamp()));
        fx.flushPartials();
    }

    @Test
    void aTriggeredAlertCarriesTheTraceparentOfTheEventThatMadeItFire() {
        for (int i = 1; i <= 3; i++) {
            sendTraced(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(i)), i);
        }
        List<TestRecord<String, byte[]>> out = alerts.readRecordsToList();
        assertThat(out).hasSize(1);
        Header tp = out.get(0).headers().lastHeader("ce_traceparent");
        assertThat(tp).isNotNull();
        assertThat(new String(tp.value(), StandardCharsets.UTF_8)).isEqualTo("00-" + trace(3) + "-" + span(3) + "-01");
    }

    @Test
    void theAlertFiredSpanIsAChildOfTheBurstEventThatFiredItInThatEventsTrace() {
        for (int i = 1; i <= 3; i++) {
            sendTraced(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(i)), i);
        }
        TestRecord<String, byte[]> alert = alerts.readRecord();
        String traceparent =
                new String(alert.headers().lastHeader("ce_traceparent").value(), StandardCharsets.UTF_8);

        List<SpanData> spans = OTEL.getSpans().stream()
                .filter(s -> s.getName().equals(AlertTelemetry.FIRED_SPAN))
                .toList();
        assertThat(spans).hasSize(1);
        SpanData span = spans.get(0);
        assertThat(traceparent).isEqualTo("00-" + span.getTraceId() + "-" + span.getParentSpanId() + "-01");
        assertThat(span.getTraceId()).isEqualTo(trace(3));
        assertThat(span.getParentSpanId()).isEqualTo(span(3));
        assertThat(span.getAttributes().get(AlertTelemetry.RULE)).isEqualTo("brute-force-login");
        assertThat(span.getAttributes().get(AlertTelemetry.EVENT_ID)).isEqualTo("bob-3");
    }

    @Test
    void anUntracedEventFiresAnAlertWhoseSpanStartsItsOwnTrace() {
        for (int i = 1; i <= 3; i++) {
            fx.send(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(i)));
        }
        assertThat(OTEL.getSpans())
                .singleElement()
                .satisfies(s -> assertThat(s.getParentSpanContext().isValid()).isFalse());
    }

    @Test
    void anAlertOfAnUntracedEventHasNoTraceparent() {
        for (int i = 1; i <= 3; i++) {
            fx.send(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(i)));
        }
        List<TestRecord<String, byte[]>> out = alerts.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).headers().lastHeader("ce_traceparent")).isNull();
    }

    @Test
    void alertsFiredAndResolvedAreCountedByRule() {
        for (int i = 1; i <= 3; i++) {
            fx.send(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(i)));
        }
        rules.replace(AlertRuleSet.empty());
        fx.send(failedLogin("tick", "p-tick", T0.plusSeconds(10)));
        String scrape = prometheus.scrape();
        assertThat(scrape)
                .contains(
                        "quintet_feed_aggregator_alerts_fired_total{otel_scope_name=\"io.quintet.feed-aggregator\",quintet_alert_rule=\"brute-force-login\"} 1.0");
        assertThat(scrape)
                .containsPattern(
                        "quintet_feed_aggregator_alerts_resolved_total\\{.*quintet_alert_reason=\"rule_removed\",quintet_alert_rule=\"brute-force-login\"} 1");
    }
}
