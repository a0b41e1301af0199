package io.quintet.feeds.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.support.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class FeedAggregatorConfigTest {

    @Test
    void theShippedSampleLoadsAndEnvironmentOverridesIt() {
        FeedAggregatorConfig c = FeedAggregatorConfig.load(
                Path.of("config/feed-aggregator.properties.sample"),
                Map.of(
                        "QUINTET_FEED_AGGREGATOR_METRICS_WINDOWS",
                        "5m,1h",
                        "QUINTET_FEED_AGGREGATOR_KAFKA_CLIENT_CLIENT_ID",
                        "fa"));
        assertThat(c.metrics().windows()).containsExactly(Duration.ofMinutes(5), Duration.ofHours(1));
        assertThat(c.metrics().grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.alertRulesFile()).contains(Path.of("feed-aggregator/config/alert-rules.yaml"));
        var props = c.streamsProperties(8083);
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("localhost:8083");
        assertThat(props.get("client.id")).isEqualTo("fa");
    }

    @Test
    void theTransactionalProducerRetriesAConcurrentTransactionAfterTenMillisecondsUnlessOverridden() {
        Path sample = Path.of("config/feed-aggregator.properties.sample");
        var defaults = FeedAggregatorConfig.load(sample, Map.of()).streamsProperties(8083);
        var overridden = FeedAggregatorConfig.load(
                        sample, Map.of("QUINTET_FEED_AGGREGATOR_KAFKA_CLIENT_PRODUCER_RETRY_BACKOFF_MS", "50"))
                .streamsProperties(8083);

        assertThat(defaults.get("producer.retry.backoff.ms")).isEqualTo("10");
        assertThat(overridden.get("producer.retry.backoff.ms")).isEqualTo("50");
    }

    @Test
    void transactionsCommitEvery100MillisecondsUnlessConfigured() {
        Path sample = Path.of("config/feed-aggregator.properties.sample");
        var defaults = FeedAggregatorConfig.load(sample, Map.of()).streamsProperties(8083);
        var configured = FeedAggregatorConfig.load(sample, Map.of("QUINTET_FEED_AGGREGATOR_COMMIT_INTERVAL_MS", "200"))
                .streamsProperties(8083);

        assertThat(defaults.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100L);
        assertThat(configured.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(200L);
        assertThatThrownBy(() ->
                        FeedAggregatorConfig.load(sample, Map.of("QUINTET_FEED_AGGREGATOR_COMMIT_INTERVAL_MS", "0")))
                .hasMessageContaining("commit.interval.ms");
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> FeedAggregatorConfig.of(Map.of(
                        "metrics.windows",
                        "1m,soon",
                        "metrics.grace",
                        "x",
                        "processing.guarantee",
                        "maybe",
                        "http.port",
                        "99999")))
                .isInstanceOfSatisfying(
                        ConfigLoader.InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .hasSize(4)
                                .anySatisfy(p -> assertThat(p).startsWith("metrics.windows"))
                                .anySatisfy(p -> assertThat(p).startsWith("metrics.grace"))
                                .anySatisfy(p -> assertThat(p).startsWith("processing.guarantee"))
                                .anySatisfy(p -> assertThat(p).startsWith("http.port")));
    }

    @Test
    void authSettingsAreCheckedAtStartWithoutEchoingSecrets() {
        String digest = "ab".repeat(32);
        assertThatThrownBy(() -> FeedAggregatorConfig.of(Map.of(
                        "http.auth.api.keys", "app:" + digest + ":feeds:read-all,broken,short:abcd:metrics:read",
                        "http.auth.token.secret", "dG9vLXNob3J0",
                        "vault.lookup.url", "ftp://vault")))
                .isInstanceOfSatisfying(ConfigLoader.InvalidConfigException.class, e -> {
                    assertThat(e.problems())
                            .hasSize(3)
                            .anySatisfy(p -> assertThat(p)
                                    .startsWith("http.auth.api.keys")
                                    .contains("'app': unknown scope 'feeds:read-all'")
                                    .contains("'broken': expected id:sha256-hex:scope|scope")
                                    .contains("'short': the second field"))
                            .anySatisfy(p -> assertThat(p)
                                    .startsWith("http.auth.token.secret")
                                    .contains("at least 32 bytes"))
                            .anySatisfy(p -> assertThat(p).startsWith("vault.lookup.url"));
                    assertThat(e.getMessage()).doesNotContain("dG9vLXNob3J0");
                });
        assertThatThrownBy(() -> FeedAggregatorConfig.of(Map.of(
                        "http.auth.api.keys",
                        "issuer:" + digest + ":tokens:issue",
                        "vault.lookup.url",
                        "http://127.0.0.1:8090")))
                .isInstanceOfSatisfying(
                        ConfigLoader.InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "http.auth.api.keys: a key has the scope tokens:issue but http.auth.token.secret is not set",
                                        "vault.lookup.token: required when vault.lookup.url is set"));
        FeedAggregatorConfig ok = FeedAggregatorConfig.of(Map.of(
                "http.auth.api.keys",
                "issuer:" + digest + ":tokens:issue|feeds:read-any",
                "http.auth.token.secret",
                java.util.Base64.getEncoder().encodeToString(new byte[32])));
        assertThat(ok.apiKeys())
                .singleElement()
                .satisfies(k -> assertThat(k.scopes()).hasSize(2));
        assertThat(ok.apiAuth(java.time.Clock.systemUTC()).enabled()).isTrue();
        assertThat(ok.publicPaths()).containsExactly("/health", "/prometheus");
    }
}
