package io.quintet.feeds.app;

import io.quintet.model.config.ConfigLoader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedAggregatorConfigTest {

    @Test
    void theShippedSampleLoadsAndEnvironmentOverridesIt() {
        FeedAggregatorConfig c = FeedAggregatorConfig.load(Path.of("config/feed-aggregator.properties.sample"),
                Map.of("QUINTET_FEED_AGGREGATOR_METRICS_WINDOWS", "5m,1h", "QUINTET_FEED_AGGREGATOR_KAFKA_CLIENT_CLIENT_ID", "fa"));
        assertThat(c.metrics().windows()).containsExactly(Duration.ofMinutes(5), Duration.ofHours(1));
        assertThat(c.metrics().grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.alertRulesFile()).contains(Path.of("feed-aggregator/config/alert-rules.yaml"));
        var props = c.streamsProperties(8083);
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("localhost:8083");
        assertThat(props.get("client.id")).isEqualTo("fa");
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> FeedAggregatorConfig.of(Map.of("metrics.windows", "1m,soon", "metrics.grace", "x",
                "processing.guarantee", "maybe", "http.port", "99999")))
                .isInstanceOfSatisfying(ConfigLoader.InvalidConfigException.class, e -> assertThat(e.problems())
                        .hasSize(4)
                        .anySatisfy(p -> assertThat(p).startsWith("metrics.windows"))
                        .anySatisfy(p -> assertThat(p).startsWith("metrics.grace"))
                        .anySatisfy(p -> assertThat(p).startsWith("processing.guarantee"))
                        .anySatisfy(p -> assertThat(p).startsWith("http.port")));
    }
}
