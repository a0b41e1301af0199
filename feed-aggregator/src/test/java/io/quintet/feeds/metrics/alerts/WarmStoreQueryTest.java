package io.quintet.feeds.metrics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alerts' warm-store query runs in DuckDB against a table with the warm store's columns (docs/analytics-sink.md)
 * and selects exactly the events the rule counted for the group and window.
 */
class WarmStoreQueryTest {
    static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    Connection db;

    @BeforeEach
    void open() throws SQLException {
        db = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = db.createStatement()) {
            s.execute("CREATE SCHEMA quintet");
            s.execute("""
                    CREATE TABLE quintet.events (event_id VARCHAR NOT NULL, event_timestamp TIMESTAMPTZ NOT NULL,
                      source VARCHAR, action_name VARCHAR NOT NULL, action_type VARCHAR, action_domain VARCHAR NOT NULL,
                      actor_id VARCHAR, actor_type VARCHAR, actor_pseudonym VARCHAR, entity_id VARCHAR, entity_type VARCHAR,
                      entity_details VARCHAR, actor_details VARCHAR, status VARCHAR, error_code VARCHAR, trace_id VARCHAR,
                      span_id VARCHAR, client_user_agent VARCHAR, client_session_id VARCHAR, correlation_id VARCHAR,
                      causation_id VARCHAR, attributes VARCHAR, properties VARCHAR, user_state_snapshot VARCHAR)""");
        }
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    void row(String id, Instant at, String action, String actor, String status, String properties) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO quintet.events (event_id, event_timestamp, source, "
                        + "action_name, action_domain, actor_id, entity_id, status, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setObject(2, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
            p.setString(3, "svc");
            p.setString(4, action);
            p.setString(5, action.substring(0, action.indexOf('.')));
            p.setString(6, actor);
            p.setString(7, "e-" + id);
            p.setString(8, status);
            p.setString(9, properties);
            p.executeUpdate();
        }
    }

    List<String> ids(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString("event_id"));
            }
        }
        return out;
    }

    static AlertRule rule(String yaml) {
        return AlertRulesFile.parse(yaml, Duration.ofSeconds(10), "test")
                .rules()
                .iterator()
                .next();
    }

    @Test
    void theQueryOfAnActorRuleListsThatActorsMatchingEventsInsideTheWindowOnly() throws SQLException {
        AlertRule rule = rule("""
                rules:
                  - id: brute-force-login
                    pattern: auth.user.login_failed
                    group_by: actor
                    window: 5m
                    threshold: {count: 2}
                """);
        row("in-1", T0, "auth.user.login_failed", "p-bob", "FAILURE", null);
        row("in-2", T0.plusSeconds(299), "auth.user.login_failed", "p-bob", "FAILURE", null);
        row("at-end", T0.plusSeconds(300), "auth.user.login_failed", "p-bob", "FAILURE", null);
        row("before", T0.minusMillis(1), "auth.user.login_failed", "p-bob", "FAILURE", null);
        row("other-actor", T0.plusSeconds(5), "auth.user.login_failed", "p-alice", "FAILURE", null);
        row("other-action", T0.plusSeconds(5), "auth.user.login_succeeded", "p-bob", "SUCCESS", null);
        row("underscore-is-literal", T0.plusSeconds(5), "auth.user.loginXfailed", "p-bob", "FAILURE", null);

        String sql = WarmStoreQuery.of(rule, "p-bob", T0, T0.plusSeconds(300));

        assertThat(ids(sql)).containsExactly("in-1", "in-2");
        assertThat(sql).contains("FROM quintet.events").contains("action_domain = 'auth'");
    }

    @Test
    void aPatternRuleWithAFilterOnAJsonPropertyMatchesWholeSegmentsAndTheFilteredValues() throws SQLException {
        AlertRule rule = rule("""
                rules:
                  - id: ai-cost-spike
                    pattern: ai.*
                    filter:
                      /context/status: SUCCESS
                      /context/domain_specific/analytics/properties/model: [gpt-x, o'brien]
                    group_by: actor
                    window: 1h
                    threshold: {sum: /context/domain_specific/analytics/properties/actual_cost, at_least: 5}
                """);
        row("ok-1", T0.plusSeconds(1), "ai.completion.created", "p-bob", "SUCCESS", "{\"model\":\"gpt-x\"}");
        row("ok-2", T0.plusSeconds(2), "ai.image.generated", "p-bob", "SUCCESS", "{\"model\":\"o'brien\"}");
        row("failed", T0.plusSeconds(3), "ai.completion.created", "p-bob", "FAILURE", "{\"model\":\"gpt-x\"}");
        row("other-model", T0.plusSeconds(4), "ai.completion.created", "p-bob", "SUCCESS", "{\"model\":\"small\"}");
        row("other-domain", T0.plusSeconds(5), "aix.completion.created", "p-bob", "SUCCESS", "{\"model\":\"gpt-x\"}");

        assertThat(ids(WarmStoreQuery.of(rule, "p-bob", T0, T0.plusSeconds(3600))))
                .containsExactly("ok-1", "ok-2");
    }

    @Test
    void anIpPrefixGroupHasNoColumnSoTheQuerySaysSoAndListsEveryGroupsEvents() throws SQLException {
        AlertRule rule = rule("""
                rules:
                  - id: scan
                    pattern: '*.login_failed'
                    group_by: ip_prefix
                    window: 5m
                    threshold: {count: 2}
                """);
        row("a", T0.plusSeconds(1), "auth.user.login_failed", "p-bob", "FAILURE", null);
        row("b", T0.plusSeconds(2), "admin.user.login_failed", "p-alice", "FAILURE", null);

        String sql = WarmStoreQuery.of(rule, "10.1.2.0/24", T0, T0.plusSeconds(300));

        assertThat(sql).startsWith("-- group_by ip_prefix has no column").doesNotContain("action_domain");
        assertThat(ids(sql)).containsExactly("a", "b");
    }

    @Test
    void theQueryOfAnAnomalyAlertListsTheSeriesEventsInItsWindow() throws SQLException {
        row("in", T0.plusSeconds(10), "auth.user.login_failed", "p-bob", "FAILURE", null);
        row("in-other-actor", T0.plusSeconds(20), "auth.user.login_failed", "p-alice", "FAILURE", null);
        row("next-window", T0.plusSeconds(60), "auth.user.login_failed", "p-bob", "FAILURE", null);
        row("same-domain", T0.plusSeconds(30), "auth.user.login_succeeded", "p-bob", "SUCCESS", null);
        row("other-domain", T0.plusSeconds(30), "billing.invoice.paid", "p-bob", "SUCCESS", null);
        Instant end = T0.plusSeconds(60);

        assertThat(ids(WarmStoreQuery.ofSeries(
                        io.quintet.feeds.metrics.MetricDimension.ACTION, "auth.user.login_failed", T0, end)))
                .containsExactly("in", "in-other-actor");
        assertThat(ids(WarmStoreQuery.ofSeries(io.quintet.feeds.metrics.MetricDimension.DOMAIN, "auth.*", T0, end)))
                .containsExactly("in", "in-other-actor", "same-domain");
        assertThat(ids(WarmStoreQuery.ofSeries(io.quintet.feeds.metrics.MetricDimension.SOURCE, "svc", T0, end)))
                .containsExactly("in", "in-other-actor", "other-domain", "same-domain");
    }
}
