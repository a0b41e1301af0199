package io.quintet.feeds.metrics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.feeds.FeedSettings;
import io.quintet.feeds.app.FeedAggregatorTopology;
import io.quintet.feeds.metrics.MetricRecord;
import io.quintet.feeds.metrics.MetricsSettings;
import io.quintet.feeds.metrics.MetricsTopology;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TestEvents;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Anomaly (baseline) rules on closed metric windows, with generated series piped into the metrics topic at explicit
 * event times (one record per series and closed 1-minute or 1-hour window, as the metrics part writes them).
 */
class BaselineRulesTopologyTest {
    static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
    static final String ACTION = "auth.user.login_failed";
    static final String EWMA_RULE = """
            rules:
              - id: login-failures-unusual
                description: Failed logins per minute far above their usual level
                series: {window: 1m, dimension: action, value: auth.user.login_failed}
                measure: count
                baseline:
                  ewma: {alpha: 0.1, min_history: 20}
                fire_when: {ratio_above: 3, z_above: 6}
                severity: high
            """;

    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, MetricRecord> metrics;
    TestOutputTopic<String, CanonicalEvent> alerts;
    AlertRules rules;

    void start(String yaml) {
        if (stateDir == null) {
            try {
                stateDir = Files.createTempDirectory("baseline-test");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        rules = new AlertRules(AlertRulesFile.parse(
                yaml, Duration.ofSeconds(10), List.of(Duration.ofMinutes(1), Duration.ofHours(1)), "test"));
        StreamsBuilder builder = new StreamsBuilder();
        BaselineTopology.addTo(
                builder,
                rules,
                new AlertSettings(Duration.ofSeconds(10), 3, "feed-aggregator", Duration.ofSeconds(1)),
                Duration.ofSeconds(30),
                "metrics",
                "alerts",
                AlertTelemetry.noop());
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "baseline-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), p);
        metrics = driver.createInputTopic(
                "metrics", new StringSerializer(), new JsonSerde<>(MetricRecord.class).serializer());
        alerts = driver.createOutputTopic("alerts", new StringDeserializer(), new CloudEventSerde().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** One closed window of a series, stamped inside the window as the metrics part stamps it. */
    void window(String value, Duration size, long index, long count) {
        Instant start = T0.plus(size.multipliedBy(index));
        String label = size.equals(Duration.ofHours(1)) ? "1h" : "1m";
        metrics.pipeInput(
                label + "/action/" + value,
                new MetricRecord(
                        MetricRecord.SCHEMA,
                        label + "/action/" + value,
                        "action",
                        value,
                        size.toString(),
                        start,
                        start.plus(size),
                        true,
                        count,
                        0,
                        0.0,
                        1,
                        1,
                        1,
                        null,
                        null),
                start.plus(size).minusMillis(1));
    }

    void minute(long index, long count) {
        window(ACTION, Duration.ofMinutes(1), index, count);
    }

    /** 100 events a minute with up to +-5 % deterministic noise. */
    static long normal(Random random) {
        return 95 + random.nextInt(11);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static long entries(KeyValueStore<String, ?> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    static Map<String, Object> details(CanonicalEvent e) {
        return e.entity().details();
    }

    static String windowStart(CanonicalEvent e) {
        return (String) map(details(e).get("window")).get("start");
    }

    static String minuteStart(long index) {
        return T0.plusSeconds(60 * index).toString();
    }

    @Test
    void anOrganisationsOwnSeriesNeitherFiresNorFeedsTheBaselineOfTheSeriesOverEveryOrganisation() {
        start(EWMA_RULE);
        Random random = new Random(7);
        for (int i = 0; i < 45; i++) {
            Instant start = T0.plusSeconds(60L * i);
            String series = "1m/action/" + ACTION + "@org-acme";
            // from window 30 on, one organisation's own series (metrics.per.organization) spikes to 50x
            metrics.pipeInput(
                    series,
                    new MetricRecord(
                            MetricRecord.SCHEMA,
                            series,
                            "action",
                            ACTION,
                            "PT1M",
                            start,
                            start.plusSeconds(60),
                            true,
                            i < 30 ? 1 : 5000,
                            0,
                            0.0,
                            1,
                            1,
                            1,
                            null,
                            null,
                            "org-acme"),
                    start.plusSeconds(60).minusMillis(1));
            // after it, the window over every organisation (a rule learns each window once: the first one read)
            minute(i, normal(random));
        }
        assertThat(alerts.readValuesToList())
                .as("rules watch the series over every organisation only")
                .isEmpty();
    }

    @Test
    void aSpikeInAGeneratedSeriesFiresForEachSpikeWindowAndResolvesOnTheFirstNormalWindowAfterIt() {
        start(EWMA_RULE);
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            minute(i, normal(random));
        }
        assertThat(alerts.readValuesToList())
                .as("a normal series fires nothing")
                .isEmpty();
        for (int i = 40; i < 43; i++) {
            minute(i, 500);
        }
        for (int i = 43; i < 60; i++) {
            minute(i, normal(random));
        }

        List<CanonicalEvent> out = alerts.readValuesToList();
        assertThat(out)
                .extracting(e -> e.action().name())
                .containsExactly(
                        AlertEvents.TRIGGERED, AlertEvents.TRIGGERED, AlertEvents.TRIGGERED, AlertEvents.RESOLVED);
        assertThat(out.subList(0, 3))
                .extracting(BaselineRulesTopologyTest::windowStart)
                .containsExactly(minuteStart(40), minuteStart(41), minuteStart(42));
        assertThat(out)
                .extracting(CanonicalEvent::correlationId)
                .as("one episode")
                .containsOnly(out.get(0).correlationId());
        CanonicalEvent first = out.get(0);
        Map<String, Object> d = details(first);
        assertThat(d)
                .containsEntry("rule_id", "login-failures-unusual")
                .containsEntry("kind", "baseline")
                .containsEntry("group", ACTION)
                .containsEntry("group_by", "action")
                .containsEntry("measure", "count")
                .containsEntry("severity", "high");
        assertThat(map(d.get("observed"))).containsEntry("count", 500);
        assertThat(num(map(d.get("observed")).get("value"))).isEqualTo(500.0);
        Map<String, Object> ewma = map(map(d.get("baseline")).get("ewma"));
        assertThat(((Number) ewma.get("mean")).doubleValue()).isBetween(95.0, 105.0);
        assertThat(((Number) ewma.get("ratio")).doubleValue()).isGreaterThan(4.5);
        assertThat(ewma).containsEntry("history", 40);
        assertThat(map(d.get("threshold"))).containsEntry("kind", "baseline");
        assertThat(num(map(d.get("threshold")).get("ratio_above"))).isEqualTo(3.0);
        assertThat(num(map(d.get("threshold")).get("z_above"))).isEqualTo(6.0);
        assertThat((List<Object>) d.get("crossed"))
                .extracting(c -> map(c).get("bound"))
                .contains("ratio_above", "z_above");
        assertThat(d.get("window")).isEqualTo(Map.of("start", minuteStart(40), "end", minuteStart(41), "size", "1m"));
        assertThat((String) d.get("warm_store_query"))
                .contains(
                        "action_name = 'auth.user.login_failed'",
                        "event_timestamp >= TIMESTAMPTZ '2026-11-02 00:40:00.000+00'",
                        "event_timestamp < TIMESTAMPTZ '2026-11-02 00:41:00.000+00'");
        assertThat(first.eventTimestamp()).isEqualTo(T0.plusSeconds(41 * 60)).as("known when the window closed");
        assertThat(out.get(2).entity().details().get("baseline"))
                .as("the spike was kept out of the baseline")
                .satisfies(b -> assertThat(((Number) map(map(b).get("ewma")).get("mean")).doubleValue())
                        .isBetween(95.0, 105.0));

        CanonicalEvent resolved = out.get(3);
        assertThat(details(resolved)).containsEntry("reason", "condition_cleared");
        assertThat(windowStart(resolved)).isEqualTo(minuteStart(43));
        assertThat(map(details(resolved).get("last_firing_window"))).containsEntry("start", minuteStart(42));
    }

    @Test
    void aSlowDriftOfOnePercentPerWindowNeverFires() {
        start(EWMA_RULE);
        Random random = new Random(11);
        double level = 100;
        long last = 0;
        for (int i = 0; i < 240; i++) {
            last = Math.round(level * (0.97 + 0.06 * random.nextDouble()));
            minute(i, last);
            level *= 1.01;
        }
        assertThat(alerts.readValuesToList())
                .as("240 windows, x10.9 in all, +1 %% each")
                .isEmpty();
        KeyValueStore<String, BaselineState> store = driver.getKeyValueStore(BaselineTopology.BASELINES_STORE);
        BaselineRule rule =
                rules.current().baselineById("login-failures-unusual").orElseThrow();
        BaselineState state = store.get(rule.id() + "|" + rule.stateFingerprint() + "|" + ACTION);
        assertThat(state.history()).isEqualTo(240);
        assertThat(state.mean() / last)
                .as("the EWMA follows the drift, a few windows behind")
                .isBetween(0.8, 1.0);
    }

    @Test
    void noAlertBeforeTheMinimumHistoryOfWindowsHasBeenLearned() {
        start(EWMA_RULE);
        Random random = new Random(3);
        for (int i = 0; i < 10; i++) {
            minute(i, normal(random));
        }
        minute(10, 1000); // window 11 of the series: min_history is 20
        for (int i = 11; i < 30; i++) {
            minute(i, normal(random));
        }
        assertThat(alerts.readValuesToList())
                .as("a 10x spike inside the first 20 windows")
                .isEmpty();
        minute(30, 1000);
        assertThat(alerts.readValuesToList())
                .extracting(BaselineRulesTopologyTest::windowStart)
                .containsExactly(minuteStart(30));
    }

    @Test
    void aRestartKeepsTheLearnedBaselineRestoredFromItsChangelog() {
        start(EWMA_RULE);
        Random random = new Random(5);
        for (int i = 0; i < 25; i++) {
            minute(i, normal(random));
        }
        restartFromChangelogs();
        minute(25, 600);
        List<CanonicalEvent> out = alerts.readValuesToList();
        assertThat(out)
                .as("fires at once: the 25 windows learned before the restart count towards min_history 20")
                .hasSize(1);
        assertThat(map(map(details(out.get(0)).get("baseline")).get("ewma"))).containsEntry("history", 25);
    }

    @Test
    void withoutItsStoresTheRuleWouldHaveToLearnAgain() {
        start(EWMA_RULE); // the counterpart of the restart test: a fresh start stays silent until min_history
        minute(25, 600);
        assertThat(alerts.readValuesToList()).isEmpty();
    }

    /**
     * What a restart on another instance does: a new driver (new topology, processor and empty stores) whose stores
     * are filled from the changelog topics the first one wrote, as Kafka Streams restores them.
     */
    void restartFromChangelogs() {
        Map<String, Map<String, byte[]>> changelogs = new java.util.LinkedHashMap<>();
        for (String store : List.of(
                BaselineTopology.BASELINES_STORE, BaselineTopology.SLOTS_STORE, BaselineTopology.ACTIVE_STORE)) {
            String topic = "baseline-test-" + store + "-changelog";
            Map<String, byte[]> latest = new java.util.LinkedHashMap<>();
            if (driver.producedTopicNames().contains(topic)) {
                driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer())
                        .readKeyValuesToList()
                        .forEach(kv -> latest.put(kv.key, kv.value));
            }
            changelogs.put(store, latest);
        }
        assertThat(changelogs.get(BaselineTopology.BASELINES_STORE))
                .as("the baselines store is changelogged")
                .isNotEmpty();
        driver.close();
        stateDir = null;
        start(EWMA_RULE);
        restore(BaselineTopology.BASELINES_STORE, changelogs, new JsonSerde<>(BaselineState.class));
        restore(BaselineTopology.SLOTS_STORE, changelogs, org.apache.kafka.common.serialization.Serdes.Double());
        restore(BaselineTopology.ACTIVE_STORE, changelogs, new JsonSerde<>(BaselineActive.class));
    }

    <V> void restore(
            String store,
            Map<String, Map<String, byte[]>> changelogs,
            org.apache.kafka.common.serialization.Serde<V> serde) {
        KeyValueStore<String, V> s = driver.getKeyValueStore(store);
        changelogs.get(store).forEach((k, v) -> {
            if (v == null) {
                s.delete(k);
            } else {
                s.put(k, serde.deserializer().deserialize("restore", v));
            }
        });
    }

    @Test
    void aCountAlertResolvesWhenItsSeriesFallsSilent() {
        start(EWMA_RULE);
        Random random = new Random(9);
        for (int i = 0; i < 30; i++) {
            minute(i, normal(random));
            window("auth.user.logged_in", Duration.ofMinutes(1), i, 50);
        }
        minute(30, 900);
        window("auth.user.logged_in", Duration.ofMinutes(1), 30, 50);
        assertThat(alerts.readValuesToList()).hasSize(1);
        for (int i = 31; i < 36; i++) { // no failed logins at all: the metrics emit no window of the series
            window("auth.user.logged_in", Duration.ofMinutes(1), i, 50);
        }
        List<CanonicalEvent> out = alerts.readValuesToList();
        assertThat(out).extracting(e -> e.action().name()).containsExactly(AlertEvents.RESOLVED);
        assertThat(details(out.get(0))).containsEntry("reason", "condition_cleared");
        assertThat(windowStart(out.get(0))).isEqualTo(minuteStart(31));
        assertThat(map(details(out.get(0)).get("observed"))).containsEntry("count", 0);
    }

    @Test
    void aSeasonalBaselineExpectsTheDailyPeakAndFiresOnTheSameFigureAtAnUnusualHour() {
        start("""
                rules:
                  - id: hourly-unusual
                    series: {window: 1h, dimension: action, value: auth.user.login_failed}
                    baseline:
                      seasonal: {days: 3}
                    fire_when: {ratio_above: 3}
                """);
        Duration hour = Duration.ofHours(1);
        for (int h = 0; h < 3 * 24; h++) { // three days: 100 an hour, 1,000 at 09:00
            window(ACTION, hour, h, h % 24 == 9 ? 1000 : 100);
        }
        assertThat(alerts.readValuesToList())
                .as("until 3 days of slots exist the rule cannot fire")
                .isEmpty();
        for (int h = 72; h < 72 + 12; h++) { // day 4: the 09:00 peak again, and 1,000 at 03:00
            window(ACTION, hour, h, h % 24 == 9 || h % 24 == 3 ? 1000 : 100);
        }
        List<CanonicalEvent> out = alerts.readValuesToList();
        assertThat(out).extracting(e -> e.action().name()).containsExactly(AlertEvents.TRIGGERED, AlertEvents.RESOLVED);
        assertThat(windowStart(out.get(0)))
                .isEqualTo(T0.plus(hour.multipliedBy(75)).toString());
        Map<String, Object> seasonal =
                map(map(details(out.get(0)).get("baseline")).get("seasonal"));
        assertThat(seasonal).containsEntry("days_present", 3);
        assertThat(num(seasonal.get("mean"))).isEqualTo(100.0);
        assertThat(num(seasonal.get("ratio"))).isEqualTo(10.0);
    }

    @Test
    void aChangedBoundResolvesTheActiveAlertAsRuleChangedAndKeepsTheLearnedBaseline() {
        start(EWMA_RULE);
        Random random = new Random(13);
        for (int i = 0; i < 25; i++) {
            minute(i, normal(random));
        }
        minute(25, 500);
        assertThat(alerts.readValuesToList()).hasSize(1);
        rules.replace(AlertRulesFile.parse(
                EWMA_RULE.replace("ratio_above: 3", "ratio_above: 4"),
                Duration.ofSeconds(10),
                List.of(Duration.ofMinutes(1)),
                "test"));
        window("auth.user.logged_in", Duration.ofMinutes(1), 26, 50); // stream time moves on: the sweep runs
        List<CanonicalEvent> out = alerts.readValuesToList();
        assertThat(out).extracting(e -> e.action().name()).containsExactly(AlertEvents.RESOLVED);
        assertThat(details(out.get(0))).containsEntry("reason", "rule_changed");
        minute(27, 600); // no new min_history: the 25 windows learned under the old bound still count
        assertThat(alerts.readValuesToList()).extracting(e -> e.action().name()).containsExactly(AlertEvents.TRIGGERED);
    }

    @Test
    void theBaselinesOfARemovedRuleAreDroppedOnceTheNewRulesAreInForce() {
        start(EWMA_RULE);
        for (int i = 0; i < 5; i++) {
            minute(i, 100);
        }
        KeyValueStore<String, BaselineState> store = driver.getKeyValueStore(BaselineTopology.BASELINES_STORE);
        assertThat(entries(store)).isEqualTo(1);
        rules.replace(AlertRuleSet.empty());
        window("auth.user.logged_in", Duration.ofMinutes(1), 5, 50); // stream time moves on: the sweep runs
        assertThat(entries(store)).isZero();
    }

    @Test
    void aRecordOnTheMetricsTopicThatIsNotAMetricWindowIsSkippedAndEvaluationGoesOn() {
        start(EWMA_RULE);
        driver.createInputTopic(
                        "metrics",
                        new StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())
                .pipeInput("junk", "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8), T0);
        Random random = new Random(17);
        for (int i = 0; i < 25; i++) {
            minute(i, normal(random));
        }
        minute(25, 500);
        assertThat(alerts.readValuesToList()).hasSize(1);
    }

    @Test
    void aDropFarBelowTheBaselineFiresARatioBelowRule() {
        start("""
                rules:
                  - id: logins-dropped
                    series: {window: 1m, dimension: action, value: auth.user.login_failed}
                    baseline:
                      ewma: {alpha: 0.1, min_history: 20}
                    fire_when: {ratio_below: 0.3}
                """);
        Random random = new Random(19);
        for (int i = 0; i < 25; i++) {
            minute(i, normal(random));
        }
        minute(25, 10);
        minute(26, normal(random));
        List<CanonicalEvent> out = alerts.readValuesToList();
        assertThat(out).extracting(e -> e.action().name()).containsExactly(AlertEvents.TRIGGERED, AlertEvents.RESOLVED);
        assertThat((List<Object>) details(out.get(0)).get("crossed"))
                .extracting(c -> map(c).get("bound"))
                .containsExactly("ratio_below");
    }

    @Test
    void aRuleOnlyWatchesTheSeriesItSelects() {
        start(EWMA_RULE);
        for (int i = 0; i < 30; i++) {
            window("auth.user.logged_in", Duration.ofMinutes(1), i, 100);
            window(ACTION, Duration.ofHours(1), i, 100);
        }
        window("auth.user.logged_in", Duration.ofMinutes(1), 30, 5000);
        window(ACTION, Duration.ofHours(1), 30, 5000);
        assertThat(alerts.readValuesToList())
                .as("another action, another window size")
                .isEmpty();
        assertThat(entries(driver.getKeyValueStore(BaselineTopology.BASELINES_STORE)))
                .isZero();
    }

    @Test
    void aSpikeOfCanonicalEventsFiresThroughTheMetricWindowsTheServiceWrites() {
        AlertRules composed =
                new AlertRules(AlertRulesFile.parse("""
                rules:
                  - id: login-failures-unusual
                    series: {window: 1m, dimension: action, value: auth.user.login_failed}
                    baseline:
                      ewma: {alpha: 0.2, min_history: 5}
                    fire_when: {ratio_above: 4}
                """, Duration.ZERO, List.of(Duration.ofMinutes(1)), "test"));
        MetricsSettings metricsSettings =
                new MetricsSettings(List.of(Duration.ofMinutes(1)), Duration.ZERO, Set.of(), 0.01, 12);
        assertThat(FeedAggregatorTopology.buildTopology(
                                TopicCatalogue.defaults(),
                                metricsSettings,
                                composed,
                                AlertSettings.defaults(),
                                FeedSettings.defaults())
                        .describe()
                        .toString())
                .as("the service's topology has the anomaly part")
                .contains("alerts-baseline-read-metrics", "alerts-baseline-evaluate", "write-baseline-alerts");
        var topology = TopologyFixture.part((builder, events) -> {
            MetricsTopology.addTo(builder, events, metricsSettings, "metrics");
            BaselineTopology.addTo(
                    builder,
                    composed,
                    AlertSettings.defaults(),
                    metricsSettings.grace(),
                    "metrics",
                    "alerts",
                    AlertTelemetry.noop());
        });
        try (TopologyFixture fx = new TopologyFixture(topology)) {
            var out = fx.cloudEventOutput(TopicCatalogue.ALERTS);
            List<Instant> times = new ArrayList<>();
            for (int m = 0; m < 8; m++) {
                for (int k = 0; k < 3; k++) {
                    times.add(TestEvents.T0.plusSeconds(60L * m + 10 * k));
                }
            }
            for (int k = 0; k < 30; k++) { // minute 8: 30 failed logins instead of 3
                times.add(TestEvents.T0.plusSeconds(8 * 60 + k));
            }
            for (int i = 0; i < times.size(); i++) {
                fx.send(TestEvents.failedLogin("f" + i, "p-" + (i % 7), times.get(i)));
            }
            fx.send(TestEvents.post("closes-minute-8", "p-x", TestEvents.T0.plusSeconds(9 * 60 + 1)));
            fx.send(TestEvents.post("sends-its-partial", "p-x", TestEvents.T0.plusSeconds(9 * 60 + 2)));

            List<CanonicalEvent> alerts = out.readValuesToList();
            assertThat(alerts).hasSize(1);
            assertThat(details(alerts.get(0))).containsEntry("rule_id", "login-failures-unusual");
            assertThat(map(details(alerts.get(0)).get("observed"))).containsEntry("count", 30);
        }
    }
}
