package io.quintet.feeds.metrics;

import io.quintet.feeds.stream.JsonSerde;
import io.quintet.model.CanonicalEvent;
import io.quintet.support.streams.CommitTimeStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Windowed metrics from canonical events:
 * <pre>
 *   events -> combine per task: partial aggregates per series (action, source, domain roll-up) and bucket
 *             (store metrics-partials, sent every metrics.combine.interval), then the task's watermark
 *          -> repartition by series (metrics-by-series; watermarks to every partition)
 *          -> windows: merge the partials into a tumbling window per series and size (stores metrics-1m, metrics-1h,
 *             ...); emit each window once it closes by the upstream tasks' low watermark (store metrics-watermarks)
 *          -> metric record -> metrics topic
 * </pre>
 * The window stores stay queryable while a window is open (the live HTTP query reads them).
 */
public final class MetricsTopology {
    private MetricsTopology() {}

    public static void addTo(
            StreamsBuilder builder,
            KStream<String, CanonicalEvent> events,
            MetricsSettings settings,
            String metricsTopic) {
        // written once per series and commit (CommitTimeStore), not once per event
        builder.addStateStore(CommitTimeStore.builder(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(MetricsSettings.PARTIALS_STORE),
                        Serdes.String(),
                        PartialSerdes.partial())
                .withCachingEnabled()));
        List<String> windowStores = new ArrayList<>();
        for (Duration window : settings.windows()) {
            windowStores.add(MetricsSettings.storeName(window));
            builder.addStateStore(Stores.timestampedWindowStoreBuilder(
                            Stores.persistentTimestampedWindowStore(
                                    MetricsSettings.storeName(window), settings.retention(window), window, false),
                            Serdes.String(),
                            new WindowAggregateSerde())
                    .withCachingEnabled());
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MetricsSettings.WATERMARKS_STORE),
                Serdes.Integer(),
                Serdes.ByteArray()));
        windowStores.add(MetricsSettings.WATERMARKS_STORE);
        JsonSerde<MetricRecord> recordSerde = new JsonSerde<>(MetricRecord.class);
        events.process(() -> new MetricsCombiner(settings), Named.as("metrics-combine"), MetricsSettings.PARTIALS_STORE)
                .repartition(Repartitioned.with(Serdes.String(), PartialSerdes.repartitioned(settings))
                        .withStreamPartitioner(new SeriesPartitioner())
                        .withName("metrics-by-series"))
                .process(
                        () -> new MetricsWindows(settings),
                        Named.as("metrics-windows"),
                        windowStores.toArray(String[]::new))
                .to(metricsTopic, Produced.with(Serdes.String(), recordSerde).withName("write-metrics"));
    }
}
