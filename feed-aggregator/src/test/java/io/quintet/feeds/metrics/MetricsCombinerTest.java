package io.quintet.feeds.metrics;

import static io.quintet.feeds.stream.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.Context.Status;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class MetricsCombinerTest {
    static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");

    @Test
    void partialsInTheStoreWhenTheTaskStartsAreSentAndNotLost() {
        MetricsSettings settings = MetricsTopologyTest.ONE_MINUTE;
        MockProcessorContext<String, SeriesInput> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0.plusSeconds(10).toEpochMilli());
        KeyValueStore<String, MetricsCombiner.Partial> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(MetricsSettings.PARTIALS_STORE),
                        Serdes.String(),
                        PartialSerdes.partial())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        // what a task held when it stopped (restored from the changelog before the processor starts)
        String key = "action:auth.user.login_failed@" + T0.toEpochMilli();
        WindowAggregate held = WindowAggregate.empty(settings);
        for (int i = 0; i < 3; i++) {
            held = held.add(MetricSample.of(
                    event(
                            "h" + i,
                            "auth.user.login_failed",
                            "p-" + i,
                            "auth",
                            T0.plusSeconds(i),
                            Status.FAILURE,
                            null,
                            null),
                    settings.measures()));
        }
        store.put(key, new MetricsCombiner.Partial(T0.plusSeconds(2).toEpochMilli(), held));

        MetricsCombiner combiner = new MetricsCombiner(settings);
        combiner.init(context);
        var e = event("n1", "auth.user.login_failed", "p-9", "auth", T0.plusSeconds(5), Status.FAILURE, null, null);
        combiner.process(new Record<>("p-9", e, T0.plusSeconds(5).toEpochMilli()));
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);

        List<Record<? extends String, ? extends SeriesInput>> sent = context.forwarded().stream()
                .<Record<? extends String, ? extends SeriesInput>>map(f -> f.record())
                .filter(r -> r.key().equals("action:auth.user.login_failed"))
                .toList();
        assertThat(sent).singleElement().satisfies(r -> {
            assertThat(r.value().partial().count())
                    .as("three held before the start, one after")
                    .isEqualTo(4);
            assertThat(r.timestamp()).isEqualTo(T0.plusSeconds(5).toEpochMilli());
        });
        assertThat(store.approximateNumEntries())
                .as("sent partials leave the store")
                .isZero();
    }

    @Test
    void aTaskBehindTheWallClockThatPausesBrieflyStillHoldsWindowsOpenAndOneThatCaughtUpOrStoppedDoesNot() {
        MetricsSettings settings = MetricsTopologyTest.ONE_MINUTE; // grace 30 s, combine interval 500 ms
        MockProcessorContext<String, SeriesInput> context = new MockProcessorContext<>();
        KeyValueStore<String, MetricsCombiner.Partial> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(MetricsSettings.PARTIALS_STORE),
                        Serdes.String(),
                        PartialSerdes.partial())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        long now = T0.plusSeconds(600).toEpochMilli(); // the task reads events ten minutes old: a backlog
        context.setCurrentSystemTimeMs(now);
        MetricsCombiner combiner = new MetricsCombiner(settings);
        combiner.init(context);
        var punctuator = context.scheduledPunctuators().get(0).getPunctuator();
        combiner.process(new Record<>(
                "p-1",
                event("b1", "auth.user.login_failed", "p-1", "auth", T0, Status.FAILURE, null, null),
                T0.toEpochMilli()));
        punctuator.punctuate(now);
        context.setCurrentSystemTimeMs(now + 1_000);
        punctuator.punctuate(now + 1_000); // nothing read for a second: a fetch not yet answered, not idleness
        context.setCurrentSystemTimeMs(now + 31_000);
        punctuator.punctuate(now + 31_000); // nothing read for longer than the grace: idle
        assertThat(context.forwarded().stream()
                        .map(f -> f.record().value().watermark())
                        .filter(w -> w != null))
                .extracting(SeriesInput.Watermark::idle)
                .containsExactly(false, false, true);

        context.resetForwards();
        long live = T0.plusSeconds(700).toEpochMilli();
        combiner.process(new Record<>(
                "p-1",
                event("l1", "auth.user.login_failed", "p-1", "auth", T0.plusSeconds(700), Status.FAILURE, null, null),
                live));
        context.setCurrentSystemTimeMs(live + 500);
        punctuator.punctuate(live + 500);
        context.setCurrentSystemTimeMs(live + 1_000);
        punctuator.punctuate(live + 1_000);
        // the event moved stream time by more than the catch-up interval (a send with its watermark); then, caught up
        // with the wall clock and nothing read: idle at once
        assertThat(context.forwarded().stream()
                        .map(f -> f.record().value().watermark())
                        .filter(w -> w != null))
                .extracting(SeriesInput.Watermark::idle)
                .containsExactly(false, true, true);
    }
}
