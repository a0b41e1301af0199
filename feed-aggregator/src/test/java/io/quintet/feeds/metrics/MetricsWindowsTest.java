package io.quintet.feeds.metrics;

import static io.quintet.feeds.stream.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.Context.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metric windows close by the low watermark of the upstream tasks (partitions of events.canonical): an upstream
 * task that has read further ahead no longer closes windows that a slower task's partials are still on their way to.
 */
class MetricsWindowsTest {
    static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    static final String SERIES = "action:auth.user.login_failed";

    MetricsSettings settings =
            new MetricsSettings(List.of(Duration.ofMinutes(1)), Duration.ofSeconds(30), Set.of(), 0.01, 12);
    MockProcessorContext<String, MetricRecord> context;
    TimestampedWindowStore<String, WindowAggregate> windows;
    KeyValueStore<Integer, byte[]> marks;

    @BeforeEach
    void stores() {
        context = new MockProcessorContext<>();
        windows = Stores.timestampedWindowStoreBuilder(
                        Stores.inMemoryWindowStore(
                                MetricsSettings.storeName(Duration.ofMinutes(1)),
                                settings.retention(Duration.ofMinutes(1)),
                                Duration.ofMinutes(1),
                                false),
                        Serdes.String(),
                        new WindowAggregateSerde())
                .withLoggingDisabled()
                .build();
        windows.init(context.getStateStoreContext(), windows);
        context.addStateStore(windows);
        marks = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(MetricsSettings.WATERMARKS_STORE),
                        Serdes.Integer(),
                        Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        marks.init(context.getStateStoreContext(), marks);
        context.addStateStore(marks);
    }

    MetricsWindows started(MetricsSettings s) {
        MetricsWindows w = new MetricsWindows(s);
        w.init(context);
        return w;
    }

    static Record<String, SeriesInput> partial(int events, Instant at) {
        WindowAggregate agg = WindowAggregate.empty(MetricsSettings.defaults());
        for (int i = 0; i < events; i++) {
            agg.add(MetricSample.of(
                    event("e" + i, "auth.user.login_failed", "p-" + i, "auth", at, Status.FAILURE, null, null),
                    Set.of()));
        }
        return new Record<>(SERIES, SeriesInput.of(agg), at.toEpochMilli());
    }

    static Record<String, SeriesInput> mark(int partition, Instant streamTime, boolean idle) {
        return new Record<>(
                SeriesPartitioner.WATERMARK_KEY,
                SeriesInput.of(new SeriesInput.Watermark(partition, streamTime.toEpochMilli(), idle)),
                streamTime.toEpochMilli());
    }

    List<MetricRecord> emitted() {
        return context.forwarded().stream()
                .<MetricRecord>map(f -> f.record().value())
                .toList();
    }

    @Test
    void aTaskThatReadFurtherAheadDoesNotCloseAWindowASlowerTaskStillSendsTo() {
        MetricsWindows w = started(settings.withUpstreamPartitions(2));
        w.process(partial(3, T0.plusSeconds(10))); // from partition 0
        w.process(mark(0, T0.plusSeconds(200), false)); // partition 0 is 200 s ahead
        w.process(mark(1, T0.plusSeconds(20), false)); // partition 1 is still inside the first minute
        assertThat(emitted()).as("the slower partition holds the window open").isEmpty();

        w.process(partial(2, T0.plusSeconds(40))); // partition 1's partial of the same window
        w.process(mark(1, T0.plusSeconds(95), false)); // its stream time passes the window's end + grace

        assertThat(emitted()).singleElement().satisfies(r -> {
            assertThat(r.windowStart()).isEqualTo(T0);
            assertThat(r.count()).as("both partitions' events").isEqualTo(5);
            assertThat(r.finalValue()).isTrue();
        });
    }

    @Test
    void anIdlePartitionHoldsNoWindowOpen() {
        MetricsWindows w = started(settings);
        w.process(partial(3, T0.plusSeconds(10)));
        w.process(mark(1, T0.minusSeconds(600), true)); // read nothing since its last watermark
        w.process(mark(0, T0.plusSeconds(95), false));
        assertThat(emitted()).extracting(MetricRecord::count).containsExactly(3L);
    }

    @Test
    void nothingClosesUntilEveryUpstreamPartitionHasReported() {
        MetricsWindows w = started(settings.withUpstreamPartitions(2));
        w.process(partial(3, T0.plusSeconds(10)));
        w.process(mark(0, T0.plusSeconds(200), false));
        assertThat(emitted()).as("partition 1 has not reported").isEmpty();
        w.process(mark(1, T0.plusSeconds(100), false));
        assertThat(emitted()).extracting(MetricRecord::count).containsExactly(3L);
    }

    @Test
    void aPartialOfAClosedWindowIsLateAndTheWindowIsEmittedOnlyOnce() {
        MetricsWindows w = started(settings);
        w.process(partial(3, T0.plusSeconds(10)));
        w.process(mark(0, T0.plusSeconds(95), false));
        w.process(partial(4, T0.plusSeconds(20))); // its window closed at T0 + 90 s
        w.process(mark(0, T0.plusSeconds(300), false));
        assertThat(emitted()).extracting(MetricRecord::count).containsExactly(3L);
        double late = context.metrics().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("late-partials-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
        assertThat(late).isEqualTo(1.0);
    }

    @Test
    void aRestartedTaskNeitherEmitsAClosedWindowAgainNorForgetsTheWatermarks() {
        MetricsWindows first = started(settings);
        first.process(partial(3, T0.plusSeconds(10)));
        first.process(partial(1, T0.plusSeconds(70)));
        first.process(mark(0, T0.plusSeconds(95), false));
        first.process(mark(1, T0.plusSeconds(100), false));
        assertThat(emitted()).extracting(MetricRecord::windowStart).containsExactly(T0);
        context.resetForwards();

        MetricsWindows restarted = started(settings); // same stores, as restored from the changelogs
        restarted.process(mark(0, T0.plusSeconds(160), false)); // partition 1's watermark (100 s) still holds
        assertThat(emitted()).isEmpty();
        restarted.process(mark(1, T0.plusSeconds(150), false));
        assertThat(emitted()).extracting(MetricRecord::windowStart).containsExactly(T0.plusSeconds(60));
    }
}
