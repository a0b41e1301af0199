package io.quintet.feeds.app;

import static io.quintet.feeds.stream.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.feeds.FeedKind;
import io.quintet.feeds.FeedQueries;
import io.quintet.feeds.FeedSettings;
import io.quintet.feeds.metrics.MetricRecord;
import io.quintet.feeds.metrics.MetricsSettings;
import io.quintet.feeds.metrics.alerts.AlertRules;
import io.quintet.feeds.metrics.alerts.AlertRulesFile;
import io.quintet.feeds.metrics.alerts.AlertSettings;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TestEvents;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/** The composed service topology: one read of events.canonical feeds metrics, alerts and feeds. */
class FeedAggregatorTopologyTest {

    @Test
    void oneReadOfTheCanonicalTopicFeedsMetricsAlertsAndFeeds() {
        AlertRules rules = new AlertRules(AlertRulesFile.parse("""
                rules: [{id: brute-force-login, pattern: auth.user.login_failed, group_by: actor, window: 5m, threshold: {count: 5}}]
                """, Duration.ZERO, "test"));
        Topology topology = FeedAggregatorTopology.buildTopology(
                TopicCatalogue.defaults(),
                new MetricsSettings(List.of(Duration.ofMinutes(1)), Duration.ZERO, Set.of(), 0.01, 12),
                rules,
                AlertSettings.defaults(),
                FeedSettings.defaults());
        assertThat(topology.describe().toString())
                .contains(
                        "read-events-canonical",
                        "metrics-windows",
                        "alerts-evaluate",
                        "feeds-fan-out",
                        "feeds-write",
                        "write-events-dlq");
        try (TopologyFixture fx = new TopologyFixture(topology)) {
            var metrics = fx.driver.createOutputTopic(
                    "metrics", new StringDeserializer(), new JsonSerde<>(MetricRecord.class).deserializer());
            var alerts = fx.cloudEventOutput(TopicCatalogue.ALERTS);
            for (int i = 0; i < 5; i++) {
                fx.send(TestEvents.failedLogin("f" + i, "p-bob", T0.plusSeconds(i)));
            }
            fx.send(TestEvents.post("p1", "p-bob", T0.plusSeconds(120)));

            assertThat(alerts.readValuesToList()).hasSize(1);
            assertThat(metrics.readValuesToList())
                    .filteredOn(r -> r.series().equals("1m/action/auth.user.login_failed"))
                    .extracting(MetricRecord::count)
                    .containsExactly(5L);
            FeedQueries feeds = new FeedQueries(name -> fx.driver.getKeyValueStore(name));
            assertThat(feeds.page("p-bob", FeedKind.FLAT, null, 10).items()).hasSize(6);
        }
    }
}
