package io.quintet.metrics;

import io.quintet.feeds.stream.Durations;
import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.CanonicalEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;

/**
 * Windowed metrics from canonical events:
 * <pre>
 *   events -> combine per task: partial aggregates per series (action, source, domain roll-up) and bucket
 *             (store metrics-partials, sent every metrics.combine.interval)
 *          -> repartition by series
 *          -> per window size: tumbling window aggregate of the partials (store metrics-1m, metrics-1h, ...)
 *          -> suppress until the window closes (end + grace) -> metric record -> metrics topic
 * </pre>
 * The window stores stay queryable while a window is open (the live HTTP query reads them).
 */
public final class MetricsTopology {
    private MetricsTopology() {
    }

    public static void addTo(StreamsBuilder builder, KStream<String, CanonicalEvent> events, MetricsSettings settings,
                             String metricsTopic) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(MetricsSettings.PARTIALS_STORE), Serdes.String(), PartialSerdes.partial())
                .withCachingEnabled());
        var partialSerde = PartialSerdes.repartitioned(settings);
        KGroupedStream<String, WindowAggregate> bySeries = events
                .process(() -> new MetricsCombiner(settings), Named.as("metrics-combine"), MetricsSettings.PARTIALS_STORE)
                .repartition(Repartitioned.with(Serdes.String(), partialSerde)
                        .withName("metrics-by-series"))
                .groupByKey(Grouped.with(Serdes.String(), partialSerde)); // already partitioned by series: no second topic
        JsonSerde<MetricRecord> recordSerde = new JsonSerde<>(MetricRecord.class);
        for (Duration window : settings.windows()) {
            String label = Durations.label(window);
            bySeries.windowedBy(TimeWindows.ofSizeAndGrace(window, settings.grace()))
                    .aggregate(() -> WindowAggregate.empty(settings), (series, partial, agg) -> agg.merge(partial),
                            Named.as("metrics-aggregate-" + label),
                            Materialized.<String, WindowAggregate, WindowStore<Bytes, byte[]>>as(MetricsSettings.storeName(window))
                                    .withKeySerde(Serdes.String())
                                    .withValueSerde(new WindowAggregateSerde())
                                    .withRetention(window.multipliedBy(2).plus(settings.grace())))
                    .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                            .withName("metrics-until-window-closes-" + label))
                    .toStream(Named.as("metrics-closed-windows-" + label))
                    .map((windowed, agg) -> KeyValue.pair(MetricRecord.seriesKey(window, windowed.key()),
                                    MetricRecord.of(window, windowed.key(), windowed.window().startTime(), agg, true)),
                            Named.as("metrics-record-" + label))
                    .to(metricsTopic, Produced.with(Serdes.String(), recordSerde).withName("write-metrics-" + label));
        }
    }
}
