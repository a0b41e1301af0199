package io.quintet.feeds.metrics.alerts;

import static io.quintet.feeds.stream.TestEvents.T0;
import static io.quintet.feeds.stream.TestEvents.event;
import static io.quintet.feeds.stream.TestEvents.failedLogin;
import static io.quintet.feeds.stream.TestEvents.workflowRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Context.Status;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.schema.CanonicalSchema;
import io.quintet.model.topics.TopicCatalogue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertsTopologyTest {
    static final Duration GRACE = Duration.ofSeconds(30);
    static final String BRUTE_FORCE = """
            rules:
              - id: brute-force-login
                pattern: auth.user.login_failed
                group_by: actor
                window: 5m
                threshold: {count: 5}
                severity: high
            """;

    TopologyFixture fx;
    AlertRules rules;
    TestOutputTopic<String, CanonicalEvent> alerts;

    void start(String yaml) {
        rules = new AlertRules(AlertRulesFile.parse(yaml, GRACE, "test"));
        fx = new TopologyFixture(TopologyFixture.part((builder, events) -> AlertsTopology.addTo(
                builder,
                events,
                rules,
                new AlertSettings(GRACE, 3, "feed-aggregator", Duration.ofSeconds(1)),
                "alerts")));
        alerts = fx.cloudEventOutput(TopicCatalogue.ALERTS);
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    /** An unrelated event that advances stream time on every partition of the test driver. */
    void tick(Instant at) {
        fx.send(event("tick-" + at, "system.clock.ticked", "clock", "clock", at, Status.SUCCESS, null, null));
    }

    static Map<String, Object> details(CanonicalEvent alert) {
        return alert.entity().details();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> observed(CanonicalEvent alert) {
        return (Map<String, Object>) details(alert).get("observed");
    }

    @Test
    void aCountRuleFiresOnceForTheGroupThatCrossesItsThresholdWithTheContributingIds() {
        start(BRUTE_FORCE);
        for (int i = 1; i <= 7; i++) {
            fx.send(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(10L * i)));
        }
        for (int i = 1; i <= 4; i++) {
            fx.send(failedLogin("alice-" + i, "p-alice", T0.plusSeconds(10L * i + 1)));
        }
        List<CanonicalEvent> fired = alerts.readValuesToList();
        assertThat(fired).hasSize(1);
        CanonicalEvent alert = fired.get(0);
        assertThat(alert.action().name()).isEqualTo(AlertEvents.TRIGGERED);
        assertThat(details(alert))
                .containsEntry("rule_id", "brute-force-login")
                .containsEntry("group", "p-bob")
                .containsEntry("severity", "high");
        assertThat(observed(alert)).containsEntry("value", 5).containsEntry("count", 5);
        assertThat(details(alert).get("contributing_event_ids")).isEqualTo(List.of("bob-3", "bob-4", "bob-5"));
        assertThat(details(alert).get("window"))
                .isEqualTo(Map.of(
                        "start", T0.toString(), "end", T0.plusSeconds(300).toString(), "size", "5m"));
        assertThat(alert.eventTimestamp()).isEqualTo(T0.plusSeconds(50)).as("fires on the crossing event");
        assertThat(alert.causationId()).isEqualTo("bob-5");
    }

    @Test
    void aTriggeredAlertExplainsItselfWithRuleThresholdTriggerEventAndWarmStoreQuery() {
        start(BRUTE_FORCE);
        for (int i = 1; i <= 4; i++) {
            fx.send(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(i)));
        }
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String spanId = "00f067aa0ba902b7";
        CanonicalEvent fifth = failedLogin("bob-5", "p-bob", T0.plusSeconds(5)).toBuilder()
                .correlationId("checkout-42")
                .context(Context.EMPTY
                        .withStatus(Status.FAILURE)
                        .withTelemetry(new Context.Telemetry(traceId, spanId, null)))
                .build();
        fx.send(fifth);

        CanonicalEvent alert = alerts.readValue();
        assertThat(details(alert).get("trigger"))
                .isEqualTo(Map.of(
                        "event_id",
                        "bob-5",
                        "correlation_id",
                        "checkout-42",
                        "traceparent",
                        "00-" + traceId + "-" + spanId + "-01"));
        assertThat(details(alert).get("threshold"))
                .isEqualTo(Map.of("kind", "count", "at_least", 5, "value", 5, "comparison", ">="));
        assertThat(observed(alert)).containsEntry("value", 5);
        assertThat(details(alert))
                .containsEntry("pattern", "auth.user.login_failed")
                .containsEntry("group_by", "actor")
                .containsEntry("grace", "30s")
                .doesNotContainKey("filter");
        assertThat(details(alert).get("warm_store_query"))
                .isEqualTo(WarmStoreQuery.of(
                        rules.current().byId("brute-force-login").orElseThrow(), "p-bob", T0, T0.plusSeconds(300)));
        assertThat(alert.correlationId())
                .as("the alert's own correlation id stays the alert episode")
                .isEqualTo(details(alert).get("alert_id"));
    }

    @Test
    void anAlertFiredByAnEventWithoutCorrelationOrTraceNamesOnlyItsId() {
        start(BRUTE_FORCE);
        for (int i = 1; i <= 5; i++) {
            fx.send(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(i)));
        }
        assertThat(details(alerts.readValue()).get("trigger")).isEqualTo(Map.of("event_id", "bob-5"));
    }

    @Test
    void aResolvedAlertNamesTheEventThatLastFiredItAndCarriesTheQueryOfItsLastFiringWindow() {
        start(BRUTE_FORCE);
        for (int i = 0; i < 5; i++) {
            fx.send(failedLogin("w1-" + i, "p-bob", T0.plusSeconds(10L * i)));
        }
        tick(T0.plusSeconds(600 + 31));
        List<CanonicalEvent> out = alerts.readValuesToList();
        assertThat(out).extracting(e -> e.action().name()).containsExactly(AlertEvents.TRIGGERED, AlertEvents.RESOLVED);
        assertThat(details(out.get(1)).get("warm_store_query"))
                .isEqualTo(details(out.get(0)).get("warm_store_query"));
        assertThat(details(out.get(1)).get("trigger")).isEqualTo(Map.of("event_id", "w1-4"));
    }

    @Test
    void theAlertIsAValidCanonicalEventPublishedAsABinaryModeCloudEvent() {
        start(BRUTE_FORCE);
        var raw = fx.rawOutput(TopicCatalogue.ALERTS);
        for (int i = 1; i <= 5; i++) {
            fx.send(failedLogin("bob-" + i, "p-bob", T0.plusSeconds(i)));
        }
        var record = raw.readRecord();
        assertThat(record.key()).isEqualTo("brute-force-login|p-bob");
        assertThat(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("monitoring.alert.triggered");
        CanonicalEvent alert = io.quintet.model.cloudevents.CloudEventSerde.decode(record.headers(), record.value())
                        instanceof io.quintet.model.cloudevents.DecodeResult.Decoded d
                ? d.event()
                : null;
        assertThat(alert).isNotNull();
        assertThat(CanonicalSchema.load().validate(CanonicalJson.toJson(alert))).isEmpty();
    }

    @Test
    void anAlertFiresOncePerWindowAndResolvesWhenAWindowClosesWithoutFiring() {
        start(BRUTE_FORCE);
        for (int i = 0; i < 6; i++) {
            fx.send(failedLogin("w1-" + i, "p-bob", T0.plusSeconds(10L * i))); // window [0, 5m): fires
        }
        for (int i = 0; i < 6; i++) {
            fx.send(failedLogin("w2-" + i, "p-bob", T0.plusSeconds(300 + 10L * i))); // window [5m, 10m): fires again
        }
        fx.send(failedLogin("w3-0", "p-bob", T0.plusSeconds(600))); // window [10m, 15m): 1 only
        List<CanonicalEvent> fired = alerts.readValuesToList();
        assertThat(fired)
                .extracting(e -> e.action().name())
                .containsExactly(AlertEvents.TRIGGERED, AlertEvents.TRIGGERED);
        assertThat(fired.get(0).correlationId())
                .isEqualTo(fired.get(1).correlationId())
                .as("one alert episode");
        assertThat(fired.get(0).id()).isNotEqualTo(fired.get(1).id());

        tick(T0.plusSeconds(900 + 29));
        assertThat(alerts.isEmpty())
                .as("window [10m, 15m) is still within its grace")
                .isTrue();
        tick(T0.plusSeconds(900 + 31));
        CanonicalEvent resolved = alerts.readValue();
        assertThat(resolved.action().name()).isEqualTo(AlertEvents.RESOLVED);
        assertThat(resolved.correlationId()).isEqualTo(fired.get(0).correlationId());
        assertThat(details(resolved)).containsEntry("reason", "condition_cleared");
        assertThat(observed(resolved)).containsEntry("count", 1);
        assertThat(alerts.isEmpty()).isTrue();

        tick(T0.plusSeconds(3000));
        assertThat(alerts.isEmpty()).as("resolved once").isTrue();
    }

    @Test
    void aFailureRateRuleFiresAboveTheRateOnlyOnceTheMinimumCountIsReached() {
        start("""
                rules:
                  - id: workflow-failure-rate
                    pattern: workflow.execution.*
                    group_by: entity
                    window: 10m
                    threshold: {failure_rate: 0.20, min_count: 5}
                """);
        // wf-a: 4 runs, all failed: below min_count, then 6 successes: 4/10 = 40 % > 20 % at count 5 already
        for (int i = 0; i < 4; i++) {
            fx.send(workflowRun("a-f" + i, "wf-a", true, T0.plusSeconds(i)));
        }
        assertThat(alerts.isEmpty()).as("4 runs < min_count 5").isTrue();
        fx.send(workflowRun("a-s0", "wf-a", false, T0.plusSeconds(10)));
        // wf-b: 10 runs, the last 2 failed: never above 20 % (evaluation is continuous once min_count is reached)
        for (int i = 0; i < 10; i++) {
            fx.send(workflowRun("b-" + i, "wf-b", i >= 8, T0.plusSeconds(20 + i)));
        }
        List<CanonicalEvent> fired = alerts.readValuesToList();
        assertThat(fired).hasSize(1);
        assertThat(details(fired.get(0))).containsEntry("group", "wf-a");
        assertThat(observed(fired.get(0))).containsEntry("count", 5).containsEntry("failures", 4);
        assertThat(new BigDecimal(observed(fired.get(0)).get("value").toString()))
                .isEqualByComparingTo("0.8");
    }

    @Test
    void aSumRuleFiresWhenTheFieldSumReachesTheThresholdAndHonoursItsFilter() {
        start("""
                rules:
                  - id: ai-cost-spike
                    pattern: ai.*
                    filter: {/context/status: SUCCESS}
                    group_by: actor
                    window: 1h
                    threshold: {sum: /context/domain_specific/analytics/properties/cost, at_least: 5.00}
                """);
        fx.send(cost("c1", "p-alice", "2.00", Status.SUCCESS, 1));
        fx.send(cost("c2", "p-alice", "2.50", Status.SUCCESS, 2));
        fx.send(cost("c3", "p-alice", "9.00", Status.FAILURE, 3)); // filtered out
        fx.send(cost("c4", "p-bob", "4.99", Status.SUCCESS, 4));
        assertThat(alerts.isEmpty()).isTrue();
        fx.send(cost("c5", "p-alice", "0.75", Status.SUCCESS, 5));
        CanonicalEvent alert = alerts.readValue();
        assertThat(details(alert)).containsEntry("group", "p-alice");
        assertThat(new BigDecimal(observed(alert).get("sum").toString())).isEqualByComparingTo("5.25");
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void groupingByIpPrefixCountsAddressesOfOneSubnetTogether() {
        start("""
                rules:
                  - id: credential-stuffing
                    pattern: "*.login_failed"
                    group_by: ip_prefix
                    window: 5m
                    threshold: {count: 3}
                """);
        fx.send(withIp(failedLogin("i1", "p-1", T0.plusSeconds(1)), "198.51.100.7"));
        fx.send(withIp(failedLogin("i2", "p-2", T0.plusSeconds(2)), "198.51.100.99"));
        fx.send(withIp(failedLogin("i3", "p-3", T0.plusSeconds(3)), "203.0.113.5"));
        fx.send(withIp(failedLogin("i4", "p-4", T0.plusSeconds(4)), "198.51.100.250"));
        CanonicalEvent alert = alerts.readValue();
        assertThat(details(alert)).containsEntry("group", "198.51.100.0/24");
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void lateEventsCountWithinGraceAndAreDroppedAfterIt() {
        start(BRUTE_FORCE);
        for (int i = 0; i < 3; i++) {
            fx.send(failedLogin("a" + i, "p-bob", T0.plusSeconds(250 + i))); // window [0, 5m)
        }
        tick(T0.plusSeconds(320)); // 20 s past the end: within grace 30 s
        fx.send(failedLogin("late-1", "p-bob", T0.plusSeconds(100)));
        tick(T0.plusSeconds(331)); // window [0, 5m) closed now
        fx.send(failedLogin("late-2", "p-bob", T0.plusSeconds(101)));
        fx.send(failedLogin("late-3", "p-bob", T0.plusSeconds(102)));
        assertThat(alerts.isEmpty())
                .as("4 counted (one late within grace); two dropped after grace")
                .isTrue();

        start(BRUTE_FORCE);
        for (int i = 0; i < 4; i++) {
            fx.send(failedLogin("b" + i, "p-bob", T0.plusSeconds(250 + i)));
        }
        tick(T0.plusSeconds(320));
        fx.send(failedLogin("late-ok", "p-bob", T0.plusSeconds(100)));
        assertThat(alerts.readValue().causationId()).isEqualTo("late-ok");
    }

    @Test
    void aBackfillOfHistoryBehindLiveTrafficFiresNoAlert() {
        start(BRUTE_FORCE);
        fx.send(failedLogin("live", "p-bob", T0.plus(java.time.Duration.ofDays(730)))); // live traffic: stream time now
        for (int i = 0; i < 10; i++) { // ./quintet import of two-year-old failed logins, far more than the threshold
            fx.send(failedLogin("imported-" + i, "p-bob", T0.plusSeconds(i)));
        }
        assertThat(alerts.isEmpty())
                .as("history older than the window's grace is dropped, not alerted on")
                .isTrue();

        start(BRUTE_FORCE);
        for (int i = 0; i < 10; i++) { // the same events as live traffic: the rule does fire (the test can fail)
            fx.send(failedLogin("live-" + i, "p-bob", T0.plusSeconds(i)));
        }
        assertThat(alerts.isEmpty()).isFalse();
    }

    @Test
    void aReloadKeepsTheCountsOfUnchangedRulesAndRestartsChangedOnes() {
        start("""
                rules:
                  - id: kept
                    pattern: auth.user.login_failed
                    group_by: actor
                    window: 5m
                    threshold: {count: 5}
                  - id: changed
                    pattern: auth.user.login_failed
                    group_by: actor
                    window: 5m
                    threshold: {count: 5}
                """);
        for (int i = 0; i < 3; i++) {
            fx.send(failedLogin("before-" + i, "p-bob", T0.plusSeconds(i)));
        }
        AlertRules.Change change = rules.replace(AlertRulesFile.parse("""
                rules:
                  - id: kept
                    description: only the description changed, which does not reset state
                    pattern: auth.user.login_failed
                    group_by: actor
                    window: 5m
                    threshold: {count: 5}
                  - id: changed
                    pattern: auth.user.login_failed
                    group_by: actor
                    window: 5m
                    threshold: {count: 4}
                """, GRACE, "reloaded"));
        assertThat(change.unchanged()).containsExactly("kept");
        assertThat(change.changed()).containsExactly("changed");

        fx.send(failedLogin("after-0", "p-bob", T0.plusSeconds(10)));
        fx.send(failedLogin("after-1", "p-bob", T0.plusSeconds(11)));
        List<CanonicalEvent> fired = alerts.readValuesToList();
        assertThat(fired).hasSize(1);
        assertThat(details(fired.get(0))).containsEntry("rule_id", "kept");
        assertThat(observed(fired.get(0))).containsEntry("count", 5);

        fx.send(failedLogin("after-2", "p-bob", T0.plusSeconds(12)));
        fx.send(failedLogin("after-3", "p-bob", T0.plusSeconds(13)));
        assertThat(alerts.readValuesToList())
                .extracting(e -> details(e).get("rule_id"))
                .containsExactly("changed");
    }

    @Test
    void removingARuleResolvesItsActiveAlerts() {
        start(BRUTE_FORCE);
        for (int i = 0; i < 5; i++) {
            fx.send(failedLogin("b" + i, "p-bob", T0.plusSeconds(i)));
        }
        CanonicalEvent triggered = alerts.readValue();
        rules.replace(AlertRuleSet.empty());
        tick(T0.plusSeconds(10));
        CanonicalEvent resolved = alerts.readValue();
        assertThat(resolved.action().name()).isEqualTo(AlertEvents.RESOLVED);
        assertThat(details(resolved)).containsEntry("reason", "rule_removed");
        assertThat(resolved.correlationId()).isEqualTo(triggered.correlationId());
    }

    static CanonicalEvent cost(String id, String actor, String cost, Status status, int second) {
        return event(
                id,
                "ai.model.completed",
                actor,
                "ai-gateway",
                T0.plusSeconds(second),
                status,
                null,
                Map.of("cost", new BigDecimal(cost)));
    }

    static CanonicalEvent withIp(CanonicalEvent e, String ip) {
        return e.withContext(e.contextOrEmpty().withClient(new Context.Client(ip, null, null)));
    }
}
