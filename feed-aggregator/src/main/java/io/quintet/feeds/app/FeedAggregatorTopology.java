package io.quintet.feeds.app;

import io.quintet.feeds.FeedSettings;
import io.quintet.feeds.FeedsTopology;
import io.quintet.feeds.entities.EntityHistorySettings;
import io.quintet.feeds.entities.EntityHistoryTopology;
import io.quintet.feeds.metrics.MetricsSettings;
import io.quintet.feeds.metrics.MetricsTopology;
import io.quintet.feeds.metrics.alerts.AlertRules;
import io.quintet.feeds.metrics.alerts.AlertSettings;
import io.quintet.feeds.metrics.alerts.AlertTelemetry;
import io.quintet.feeds.metrics.alerts.AlertsTopology;
import io.quintet.feeds.metrics.alerts.BaselineTopology;
import io.quintet.feeds.stream.CanonicalSource;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.topics.TopicCatalogue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The whole feed aggregator, one topology reading events.canonical once:
 * <pre>
 *   events.canonical --decode CloudEvents--> canonical events (event time)      (poison records -> events.dlq)
 *       +--> windowed metrics  --> metrics
 *       +--> alert rules       --> alerts
 *   metrics (closed windows) --> anomaly (baseline) rules --> alerts
 *       +--> activity feeds    --> feeds.updates  (+ seen/read marks from feeds.commands)
 *       +--> per-entity history (repartitioned by entity; entity.history.enabled) --> store entity-history
 * </pre>
 */
public final class FeedAggregatorTopology {
    private FeedAggregatorTopology() {}

    /**
     * The commands topic of the feeds (seen/read marks written by the HTTP API). Not in the shared topic catalogue:
     * the service creates it (with the prefix) when it is missing.
     */
    public static final String FEEDS_COMMANDS = "feeds.commands";

    public static Topology buildTopology(
            TopicCatalogue topics,
            MetricsSettings metrics,
            AlertRules rules,
            AlertSettings alerts,
            FeedSettings feeds) {
        return buildTopology(topics, metrics, rules, alerts, feeds, AlertTelemetry.noop());
    }

    /** The whole topology with the default entity history, counting alerts fired and resolved in {@code alertTelemetry}. */
    public static Topology buildTopology(
            TopicCatalogue topics,
            MetricsSettings metrics,
            AlertRules rules,
            AlertSettings alerts,
            FeedSettings feeds,
            AlertTelemetry alertTelemetry) {
        return buildTopology(
                topics, metrics, rules, alerts, feeds, EntityHistorySettings.enabledWithDefaults(), alertTelemetry);
    }

    /** The whole topology, counting alerts fired and resolved in {@code alertTelemetry}. */
    public static Topology buildTopology(
            TopicCatalogue topics,
            MetricsSettings metrics,
            AlertRules rules,
            AlertSettings alerts,
            FeedSettings feeds,
            EntityHistorySettings entityHistory,
            AlertTelemetry alertTelemetry) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, CanonicalEvent> events = CanonicalSource.read(
                builder, topics.name(TopicCatalogue.EVENTS_CANONICAL), topics.name(TopicCatalogue.EVENTS_DLQ));
        MetricsTopology.addTo(builder, events, metrics, topics.name(TopicCatalogue.METRICS));
        AlertsTopology.addTo(builder, events, rules, alerts, topics.name(TopicCatalogue.ALERTS), alertTelemetry);
        BaselineTopology.addTo(
                builder,
                rules,
                alerts,
                metrics.grace(),
                topics.name(TopicCatalogue.METRICS),
                topics.name(TopicCatalogue.ALERTS),
                alertTelemetry);
        FeedsTopology.addTo(
                builder, events, feeds, topics.name(FEEDS_COMMANDS), topics.name(TopicCatalogue.FEEDS_UPDATES));
        EntityHistoryTopology.addTo(builder, events, entityHistory);
        return builder.build();
    }

    /** Metrics and alerts with default feed settings (tests of those parts). */
    public static Topology buildTopology(
            TopicCatalogue topics, MetricsSettings metrics, AlertRules rules, AlertSettings alerts) {
        return buildTopology(topics, metrics, rules, alerts, FeedSettings.defaults());
    }
}
