package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.support.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Start-up configuration: typed, layered, every problem at once, secrets never shown. */
class EnricherConfigTest {

    @Test
    void everyBadSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> EnricherConfig.of(Map.of(
                        EnricherConfig.DEDUP_WINDOW,
                        "soon",
                        EnricherConfig.PLAN_UNPLANNED_EVENTS,
                        "maybe",
                        "dedup.windw.ms",
                        "5")))
                .isInstanceOfSatisfying(
                        ConfigLoader.InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .anyMatch(p -> p.startsWith(EnricherConfig.DEDUP_WINDOW))
                                .anyMatch(p -> p.startsWith(EnricherConfig.PLAN_UNPLANNED_EVENTS))
                                .anyMatch(p -> p.startsWith("dedup.windw.ms: unknown setting")));
    }

    @Test
    void privacyIsOnByDefaultAndNeedsAMasterKey() {
        assertThatThrownBy(() -> EnricherConfig.of(Map.of()))
                .isInstanceOfSatisfying(
                        ConfigLoader.InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .anyMatch(p -> p.startsWith(EnricherConfig.MASTER_KEYS) && p.contains("required")));
        assertThat(EnricherConfig.of(Map.of(EnricherConfig.MASTER_KEYS, TestKeys.K1))
                        .privacy())
                .isPresent();
        assertThat(EnricherConfig.of(Map.of(EnricherConfig.PRIVACY_ENABLED, "false"))
                        .privacy())
                .isEmpty();
    }

    @Test
    void personalDataCannotBeConfiguredAsASuperProperty() {
        assertThatThrownBy(() -> EnricherConfig.of(
                        Map.of(EnricherConfig.MASTER_KEYS, TestKeys.K1, EnricherConfig.TRAITS, "plan,email")))
                .isInstanceOfSatisfying(
                        ConfigLoader.InvalidConfigException.class,
                        e -> assertThat(e.problems()).singleElement().asString().contains("'email' is personal data"));
    }

    @Test
    void masterKeyMaterialNeverAppearsInProblemsOrProperties() {
        assertThatThrownBy(() -> EnricherConfig.of(Map.of(EnricherConfig.MASTER_KEYS, "k1:bm90LWEta2V5")))
                .hasMessageNotContaining("bm90LWEta2V5")
                .hasMessageContaining("k1");
        EnricherConfig c = EnricherConfig.of(Map.of(EnricherConfig.MASTER_KEYS, TestKeys.K1));
        assertThat(c.streamsProperties().toString()).doesNotContain(TestKeys.K1.substring(3));
    }

    @Test
    void streamsRunExactlyOnceWithTheDeadLetterHandlersAndTopic() {
        EnricherConfig c = EnricherConfig.of(Map.of(
                EnricherConfig.MASTER_KEYS,
                TestKeys.K1,
                EnricherConfig.TOPIC_PREFIX,
                "acme.",
                "kafka.client.security.protocol",
                "SSL"));
        var p = c.streamsProperties();

        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG))
                .isEqualTo("acme.events.dlq");
        assertThat(p.get("security.protocol")).isEqualTo("SSL");
        assertThat(p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
                .as("no task waits for an empty input")
                .isEqualTo("-1");
        assertThat(c.settings().topics().name("events.raw")).isEqualTo("acme.events.raw");
    }

    @Test
    void theTransactionalProducerRetriesAConcurrentTransactionAfterTenMillisecondsUnlessOverridden() {
        var defaults = EnricherConfig.of(Map.of(EnricherConfig.MASTER_KEYS, TestKeys.K1))
                .streamsProperties();
        var overridden = EnricherConfig.of(
                        Map.of(EnricherConfig.MASTER_KEYS, TestKeys.K1, "kafka.client.producer.retry.backoff.ms", "50"))
                .streamsProperties();

        assertThat(defaults.get("producer.retry.backoff.ms")).isEqualTo("10");
        assertThat(overridden.get("producer.retry.backoff.ms")).isEqualTo("50");
    }

    @Test
    void theSampleFileIsAValidConfiguration() {
        Path sample = Path.of("config", "enricher.properties.sample");
        EnricherConfig c = EnricherConfig.load(sample, Map.of("QUINTET_ENRICHER_PRIVACY_MASTER_KEYS", TestKeys.K1));
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.privacy()).isPresent();
    }
}
