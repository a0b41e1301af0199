package io.quintet.feeds.app;

import io.quintet.feeds.stream.CanonicalSource;
import io.quintet.metrics.MetricsSettings;
import io.quintet.metrics.MetricsTopology;
import io.quintet.metrics.alerts.AlertRules;
import io.quintet.metrics.alerts.AlertSettings;
import io.quintet.metrics.alerts.AlertsTopology;
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
 * </pre>
 */
public final class FeedAggregatorTopology {
    private FeedAggregatorTopology() {
    }

    public static Topology buildTopology(TopicCatalogue topics, MetricsSettings metrics, AlertRules rules,
                                         AlertSettings alerts) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, CanonicalEvent> events = CanonicalSource.read(builder,
                topics.name(TopicCatalogue.EVENTS_CANONICAL), topics.name(TopicCatalogue.EVENTS_DLQ));
        MetricsTopology.addTo(events, metrics, topics.name(TopicCatalogue.METRICS));
        AlertsTopology.addTo(builder, events, rules, alerts, topics.name(TopicCatalogue.ALERTS));
        return builder.build();
    }
}
