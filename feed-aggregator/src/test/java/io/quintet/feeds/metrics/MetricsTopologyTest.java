package io.quintet.feeds.metrics;

import static io.quintet.feeds.stream.TestEvents.T0;
import static io.quintet.feeds.stream.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quintet.feeds.stream.DeadLetter;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.feeds.stream.TopologyFixture;
import io.quintet.model.Context.Status;
import io.quintet.model.topics.TopicCatalogue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTopologyTest {
    static final MetricsSettings ONE_MINUTE = new MetricsSettings(
            List.of(Duration.ofMinutes(1)), Duration.ofSeconds(30), Set.of("revenue", "cost"), 0.01, 12);

    TopologyFixture fx;
    TestOutputTopic<String, MetricRecord> metrics;

    void start(MetricsSettings settings) {
        fx = new TopologyFixture(
                TopologyFixture.part((builder, events) -> MetricsTopology.addTo(builder, events, settings, "metrics")));
        metrics = fx.driver.createOutputTopic(
                "metrics", new StringDeserializer(), new JsonSerde<>(MetricRecord.class).deserializer());
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    Map<String, MetricRecord> closedBySeries() {
        return metrics.readKeyValuesToList().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
    }

    /** An event far enough after every window so far to close them (end + grace). */
    void advancePast(Instant t) {
        fx.send(event("tick-" + t, "system.clock.ticked", "clock", "clock", t, Status.SUCCESS, null, null));
    }

    @Test
    void countsFailuresDistinctActorsAndMeasureSumsAreExactPerActionSourceAndDomain() {
        start(ONE_MINUTE);
        fx.send(event(
                "1",
                "billing.invoice.paid",
                "p-alice",
                "billing-service",
                T0.plusSeconds(1),
                Status.SUCCESS,
                null,
                Map.of("revenue", new BigDecimal("1249.90"), "currency", "EUR")));
        fx.send(event(
                "2",
                "billing.invoice.paid",
                "p-bob",
                "billing-service",
                T0.plusSeconds(2),
                Status.SUCCESS,
                null,
                Map.of("revenue", new BigDecimal("0.10"))));
        fx.send(event(
                "3",
                "billing.invoice.paid",
                "p-alice",
                "billing-service",
                T0.plusSeconds(3),
                Status.FAILURE,
                null,
                Map.of("revenue", 5)));
        fx.send(event(
                "4",
                "billing.invoice.created",
                "p-carol",
                "billing-service",
                T0.plusSeconds(4),
                Status.SUCCESS,
                null,
                null));
        fx.send(event(
                "5",
                "ai.model.completed",
                "p-alice",
                "ai-gateway",
                T0.plusSeconds(5),
                Status.SUCCESS,
                null,
                Map.of("cost", new BigDecimal("0.015"), "tokens", 1000)));
        assertThat(metrics.isEmpty())
                .as("nothing is emitted before the window closes")
                .isTrue();

        advancePast(T0.plusSeconds(91));
        Map<String, MetricRecord> out = closedBySeries();

        MetricRecord paid = out.get("1m/action/billing.invoice.paid");
        assertThat(paid.count()).isEqualTo(3);
        assertThat(paid.failures()).isEqualTo(1);
        assertThat(paid.failureRate()).isEqualTo(1.0 / 3);
        assertThat(paid.distinctActors()).isEqualTo(2);
        assertThat(paid.measures()).containsOnlyKeys("revenue");
        assertThat(paid.measures().get("revenue")).isEqualByComparingTo("1255.00");
        assertThat(paid.windowStart()).isEqualTo(T0);
        assertThat(paid.windowEnd()).isEqualTo(T0.plusSeconds(60));
        assertThat(paid.finalValue()).isTrue();
        assertThat(paid.durationMs()).isNull();

        MetricRecord billing = out.get("1m/domain/billing.*");
        assertThat(billing.count()).isEqualTo(4);
        assertThat(billing.failures()).isEqualTo(1);
        assertThat(billing.distinctActors()).isEqualTo(3);

        MetricRecord source = out.get("1m/source/billing-service");
        assertThat(source.count()).isEqualTo(4);
        assertThat(source.dimension()).isEqualTo("source");
        assertThat(source.value()).isEqualTo("billing-service");

        MetricRecord ai = out.get("1m/action/ai.model.completed");
        assertThat(ai.measures()).containsOnlyKeys("cost");
        assertThat(ai.measures().get("cost")).isEqualByComparingTo("0.015");
        assertThat(out).doesNotContainKey("1m/action/system.clock.ticked");
    }

    @Test
    void withPerOrganizationAnOrganisationsEventsGetSeriesOfTheirOwnBesidesTheSeriesOverEveryOrganisation() {
        start(ONE_MINUTE.withPerOrganization(true));
        fx.send(event("1", "billing.invoice.paid", "p-alice", "billing", T0.plusSeconds(1), Status.SUCCESS, null, null)
                .withOrganizationId("org-acme"));
        fx.send(event("2", "billing.invoice.paid", "p-bob", "billing", T0.plusSeconds(2), Status.FAILURE, null, null)
                .withOrganizationId("org-acme"));
        fx.send(event("3", "billing.invoice.paid", "p-carol", "billing", T0.plusSeconds(3), Status.SUCCESS, null, null)
                .withOrganizationId("org:beta"));
        fx.send(event("4", "billing.invoice.paid", "p-dave", "billing", T0.plusSeconds(4), Status.SUCCESS, null, null));
        advancePast(T0.plusSeconds(91));
        Map<String, MetricRecord> out = closedBySeries();

        MetricRecord all = out.get("1m/action/billing.invoice.paid");
        assertThat(all.count()).as("every organisation, and events without one").isEqualTo(4);
        assertThat(all.organizationId()).isNull();
        MetricRecord acme = out.get("1m/action/billing.invoice.paid@org-acme");
        assertThat(acme.count()).isEqualTo(2);
        assertThat(acme.failures()).isEqualTo(1);
        assertThat(acme.distinctActors()).isEqualTo(2);
        assertThat(acme.organizationId()).isEqualTo("org-acme");
        assertThat(acme.dimension()).isEqualTo("action");
        assertThat(acme.value()).isEqualTo("billing.invoice.paid");
        assertThat(out.get("1m/action/billing.invoice.paid@org:beta").count())
                .as("an organisation id with ':' is read back whole")
                .isEqualTo(1);
        assertThat(out.get("1m/domain/billing.*@org-acme").count()).isEqualTo(2);
        assertThat(out.get("1m/source/billing@org:beta").count()).isEqualTo(1);
        assertThat(out.keySet().stream().filter(k -> k.contains("@")))
                .as("3 dimensions x 2 organisations, none for the event without one")
                .hasSize(6);
    }

    @Test
    void withoutPerOrganizationAnOrganisationsEventsCountOnlyInTheSeriesOverEveryOrganisation() {
        start(ONE_MINUTE);
        fx.send(event("1", "billing.invoice.paid", "p-alice", "billing", T0.plusSeconds(1), Status.SUCCESS, null, null)
                .withOrganizationId("org-acme"));
        advancePast(T0.plusSeconds(91));
        Map<String, MetricRecord> out = closedBySeries();
        assertThat(out.get("1m/action/billing.invoice.paid").count()).isEqualTo(1);
        assertThat(out.keySet()).noneMatch(k -> k.contains("@"));
    }

    @Test
    void eventsBetweenTwoCombineIntervalsCrossTheRepartitionAsOnePartialPerSeriesAndBucketAndCountExactlyOnce() {
        MetricsSettings oneMinuteAndHour = new MetricsSettings(
                List.of(Duration.ofMinutes(1), Duration.ofHours(1)),
                Duration.ofSeconds(30),
                Set.of("revenue"),
                0.01,
                12);
        start(oneMinuteAndHour);
        var repartition = fx.driver.createOutputTopic(
                "feed-aggregator-test-metrics-by-series-repartition",
                new StringDeserializer(),
                PartialSerdes.repartitioned(oneMinuteAndHour).deserializer());
        for (int i = 0; i < 50; i++) {
            fx.sendWithoutFlush(event(
                    "c" + i,
                    "billing.invoice.paid",
                    "p-" + (i % 7),
                    "billing-service",
                    T0.plusMillis(80L * i),
                    i % 10 == 0 ? Status.FAILURE : Status.SUCCESS,
                    (double) (i + 1),
                    Map.of("revenue", new BigDecimal("2.50"))));
        }
        assertThat(repartition.isEmpty())
                .as("nothing crosses before the combine interval passes")
                .isTrue();
        // the next minute's bucket is a partial of its own
        fx.sendWithoutFlush(event(
                "c-next",
                "billing.invoice.paid",
                "p-0",
                "billing-service",
                T0.plusSeconds(61),
                Status.SUCCESS,
                null,
                null));
        fx.flushPartials();

        var partials = repartition.readKeyValuesToList().stream()
                .filter(kv -> kv.value.partial() != null)
                .toList();
        assertThat(partials)
                .extracting(kv -> kv.key)
                .containsExactlyInAnyOrder(
                        "action:billing.invoice.paid",
                        "domain:billing.*",
                        "source:billing-service",
                        "action:billing.invoice.paid",
                        "domain:billing.*",
                        "source:billing-service");
        assertThat(partials).extracting(kv -> kv.value.partial().count()).containsOnly(50L, 1L);

        advancePast(T0.plusSeconds(200));
        MetricRecord paid = metrics.readValuesToList().stream()
                .filter(r -> r.series().equals("1m/action/billing.invoice.paid")
                        && r.windowStart().equals(T0))
                .findFirst()
                .orElseThrow();
        assertThat(paid.count()).isEqualTo(50);
        assertThat(paid.failures()).isEqualTo(5);
        assertThat(paid.distinctActors()).isEqualTo(7);
        assertThat(paid.measures().get("revenue")).isEqualByComparingTo("125.00");
        assertThat(paid.durationMs().count()).isEqualTo(50);
        assertThat(paid.durationMs().max()).isCloseTo(50.0, within(0.5));
    }

    @Test
    void aBacklogSpanningManyWindowsWithinOneCombineIntervalLosesNoEventToAnExpiredWindow() {
        // catching up after downtime: ten minutes of event time are read before the wall-clock interval passes;
        // partials must reach the windows in event-time order, or a later bucket of one series closes the earlier
        // windows of another before their partials arrive
        start(ONE_MINUTE);
        for (int i = 0; i < 600; i++) {
            String action = i % 2 == 0 ? "billing.invoice.paid" : "auth.user.login_failed";
            fx.sendWithoutFlush(event(
                    "b" + i, action, "p-" + (i % 5), "svc-" + (i % 3), T0.plusSeconds(i), Status.SUCCESS, null, null));
        }
        fx.flushPartials();
        advancePast(T0.plusSeconds(800));
        List<MetricRecord> closed = metrics.readValuesToList();
        for (String series : List.of("1m/action/billing.invoice.paid", "1m/action/auth.user.login_failed")) {
            assertThat(closed.stream().filter(r -> r.series().equals(series)))
                    .as(series + ": one closed window per minute of the backlog, each with all of its events")
                    .extracting(MetricRecord::count)
                    .hasSize(10)
                    .containsOnly(30L);
        }
    }

    @Test
    void partialsSentAtEveryIntervalMergeIntoTheSameWindowAsOneAggregateWould() {
        start(ONE_MINUTE);
        for (int i = 0; i < 6; i++) {
            fx.sendWithoutFlush(event(
                    "m" + i,
                    "auth.user.login_failed",
                    "p-" + i,
                    "auth-service",
                    T0.plusSeconds(i),
                    Status.FAILURE,
                    null,
                    null));
            if (i % 2 == 1) {
                fx.flushPartials();
            }
        }
        advancePast(T0.plusSeconds(120));
        MetricRecord failed = closedBySeries().get("1m/action/auth.user.login_failed");
        assertThat(failed.count()).isEqualTo(6);
        assertThat(failed.failures()).isEqualTo(6);
        assertThat(failed.distinctActors()).isEqualTo(6);
    }

    @Test
    void durationQuantilesOfASmallWindowAreWithinTheSketchRelativeAccuracyOfTheExactOrderStatistics() {
        start(ONE_MINUTE);
        double[] durations = {12, 250, 31, 7.5, 980, 64, 64, 120, 3000, 45, 18, 410};
        for (int i = 0; i < durations.length; i++) {
            fx.send(event(
                    "d" + i,
                    "workflow.node.executed",
                    "p-" + i,
                    "workflow-engine",
                    T0.plusSeconds(i),
                    Status.SUCCESS,
                    durations[i],
                    null));
        }
        advancePast(T0.plusSeconds(100));
        MetricRecord.DurationStats d =
                closedBySeries().get("1m/action/workflow.node.executed").durationMs();

        double[] sorted = durations.clone();
        Arrays.sort(sorted);
        assertThat(d.count()).isEqualTo(12);
        assertWithinRelative(d.min(), sorted[0], 0.01);
        assertWithinRelative(d.max(), sorted[sorted.length - 1], 0.01);
        assertWithinRelative(d.p50(), exactQuantile(sorted, 0.50), 0.01);
        assertWithinRelative(d.p95(), exactQuantile(sorted, 0.95), 0.01);
        assertWithinRelative(d.p99(), exactQuantile(sorted, 0.99), 0.01);
        assertThat(d.relativeAccuracy()).isEqualTo(0.01);
    }

    @Test
    void largeWindowQuantilesAndDistinctActorsStayWithinTheSketchesDocumentedErrors() {
        start(ONE_MINUTE);
        SplittableRandom random = new SplittableRandom(42);
        int n = 6_000;
        int actors = 8_000;
        double[] values = new double[n];
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            values[i] = Math.exp(random.nextDouble(0, 10)); // 1 ms .. 22 s, log-uniform
            String actor = "p-" + random.nextInt(actors);
            distinct.add(actor);
            fx.send(event(
                    "L" + i,
                    "ai.model.completed",
                    actor,
                    "ai-gateway",
                    T0.plusMillis(i),
                    Status.SUCCESS,
                    values[i],
                    null));
        }
        advancePast(T0.plusSeconds(100));
        MetricRecord r = closedBySeries().get("1m/action/ai.model.completed");

        Arrays.sort(values);
        assertThat(r.count()).isEqualTo(n);
        assertWithinRelative(r.durationMs().p50(), exactQuantile(values, 0.50), 0.01);
        assertWithinRelative(r.durationMs().p95(), exactQuantile(values, 0.95), 0.01);
        assertWithinRelative(r.durationMs().p99(), exactQuantile(values, 0.99), 0.01);
        // HLL_8 with lgK = 12: relative standard error 1.04 / sqrt(4096) = 1.6 %; 3 standard errors = 4.9 %
        assertThat((double) r.distinctActors()).isCloseTo(distinct.size(), within(distinct.size() * 0.049));
        assertThat(r.distinctActorsLower()).isLessThanOrEqualTo(distinct.size());
        assertThat(r.distinctActorsUpper()).isGreaterThanOrEqualTo(distinct.size());
    }

    @Test
    void aWindowIsEmittedOnceAfterItsGraceAndCountsLateEventsOnlyWithinGrace() {
        start(ONE_MINUTE);
        String name = "auth.user.login_failed";
        fx.send(event("a", name, "p-1", "auth", T0.plusSeconds(10), Status.FAILURE, null, null));
        fx.send(event("b", name, "p-2", "auth", T0.plusSeconds(20), Status.FAILURE, null, null));
        fx.send(event("c", name, "p-3", "auth", T0.plusSeconds(70), Status.FAILURE, null, null)); // next window
        fx.send(event(
                "late-ok",
                name,
                "p-4",
                "auth",
                T0.plusSeconds(30),
                Status.FAILURE,
                null,
                null)); // 40 s late, grace 30 s
        assertThat(metrics.isEmpty())
                .as("window [0, 60 s) stays open until 90 s")
                .isTrue();

        fx.send(event("d", name, "p-5", "auth", T0.plusSeconds(95), Status.FAILURE, null, null)); // closes [0, 60 s)
        List<MetricRecord> first = metrics.readValuesToList().stream()
                .filter(r -> r.series().equals("1m/action/" + name))
                .toList();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).windowStart()).isEqualTo(T0);
        assertThat(first.get(0).count()).isEqualTo(3);
        assertThat(first.get(0).distinctActors()).isEqualTo(3);

        fx.send(event("late-dropped", name, "p-6", "auth", T0.plusSeconds(40), Status.FAILURE, null, null));
        advancePast(T0.plusSeconds(200));
        List<MetricRecord> later = metrics.readValuesToList().stream()
                .filter(r -> r.series().equals("1m/action/" + name))
                .toList();
        assertThat(later).extracting(MetricRecord::windowStart).containsExactly(T0.plusSeconds(60));
        assertThat(later.get(0).count()).isEqualTo(2);
    }

    @Test
    void aBackfillOfHistoryBehindLiveTrafficAddsNoMetricWindow() {
        start(ONE_MINUTE);
        String name = "auth.user.login_failed";
        Instant now = T0.plus(Duration.ofDays(730));
        fx.send(event("live", name, "p-1", "auth", now, Status.FAILURE, null, null));
        for (int i = 0; i < 10; i++) { // ./quintet import of two-year-old events
            fx.send(event("imported-" + i, name, "p-" + i, "auth", T0.plusSeconds(i), Status.FAILURE, null, null));
        }
        advancePast(now.plusSeconds(200));

        List<MetricRecord> windows = metrics.readValuesToList().stream()
                .filter(r -> r.series().equals("1m/action/" + name))
                .toList();
        assertThat(windows)
                .extracting(MetricRecord::windowStart)
                .containsExactly(now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
        assertThat(windows.get(0).count()).isEqualTo(1);
    }

    @Test
    void everyConfiguredWindowSizeHasItsOwnSeries() {
        start(new MetricsSettings(
                List.of(Duration.ofMinutes(1), Duration.ofHours(1)), Duration.ZERO, Set.of(), 0.01, 12));
        for (int minute = 0; minute < 3; minute++) {
            fx.send(event(
                    "m" + minute,
                    "analytics.page.viewed",
                    "p-" + minute,
                    "web",
                    T0.plusSeconds(60L * minute + 5),
                    Status.SUCCESS,
                    null,
                    null));
        }
        advancePast(T0.plusSeconds(3700));
        List<MetricRecord> views = metrics.readValuesToList().stream()
                .filter(r -> r.value().equals("analytics.page.viewed")
                        && r.dimension().equals("action"))
                .toList();
        assertThat(views)
                .filteredOn(r -> r.windowSize().equals("PT1M"))
                .extracting(MetricRecord::count)
                .containsExactly(1L, 1L, 1L);
        assertThat(views)
                .filteredOn(r -> r.windowSize().equals("PT1H"))
                .extracting(MetricRecord::count)
                .containsExactly(3L);
    }

    @Test
    void aRecordThatIsNotACloudEventGoesToTheDeadLetterTopicAndProcessingContinues() {
        start(ONE_MINUTE);
        var dlq = fx.rawOutput(TopicCatalogue.EVENTS_DLQ);
        fx.canonicalRaw.pipeInput("k", "{\"not\":\"a cloudevent\"}".getBytes(StandardCharsets.UTF_8), T0);
        fx.send(event("ok", "analytics.page.viewed", "p-1", "web", T0.plusSeconds(1), Status.SUCCESS, null, null));
        advancePast(T0.plusSeconds(100));

        var dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"not\":\"a cloudevent\"}");
        assertThat(new String(
                        dead.get(0).headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("not_a_cloudevent");
        assertThat(dead.get(0).headers().lastHeader(DeadLetter.OFFSET)).isNotNull();
        assertThat(closedBySeries().get("1m/action/analytics.page.viewed").count())
                .isEqualTo(1);
    }

    static double exactQuantile(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    static void assertWithinRelative(double actual, double expected, double relative) {
        assertThat(actual)
                .as("within %s of %s", relative, expected)
                .isCloseTo(expected, within(expected * relative + 1e-9));
    }
}
