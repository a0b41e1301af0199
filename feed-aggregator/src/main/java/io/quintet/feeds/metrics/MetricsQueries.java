package io.quintet.feeds.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Live reads of the metric window stores: the newest (still open, so not final) window of a series, or of every
 * series of a dimension held by this instance.
 */
public final class MetricsQueries {
    private final MetricsSettings settings;
    private final Function<String, ReadOnlyWindowStore<String, WindowAggregate>> storeByName;

    /** @param storeByName gives the local read-only store of a name (interactive queries, or a test driver's store) */
    public MetricsQueries(
            MetricsSettings settings, Function<String, ReadOnlyWindowStore<String, WindowAggregate>> storeByName) {
        this.settings = settings;
        this.storeByName = storeByName;
    }

    public Optional<Duration> window(String label) {
        return settings.windows().stream()
                .filter(w -> io.quintet.feeds.stream.Durations.label(w).equals(label))
                .findFirst();
    }

    public MetricsSettings settings() {
        return settings;
    }

    /** The newest window of one series, if this instance holds any. */
    public Optional<MetricRecord> current(Duration window, MetricDimension dimension, String value) {
        return current(window, dimension, value, null);
    }

    /**
     * The store key of a series: over every organisation when {@code organization} is null, else that organisation's
     * own series ({@code metrics.per.organization}).
     */
    public static String storeKey(MetricDimension dimension, String value, String organization) {
        return organization == null
                ? dimension.key(value)
                : MetricDimension.organizationKey(organization, dimension.key(value));
    }

    /** The newest window of one series of one organisation (null: over every organisation), if this instance holds any. */
    public Optional<MetricRecord> current(
            Duration window, MetricDimension dimension, String value, String organization) {
        String key = storeKey(dimension, value, organization);
        ReadOnlyWindowStore<String, WindowAggregate> store = storeByName.apply(MetricsSettings.storeName(window));
        try (WindowStoreIterator<WindowAggregate> it =
                store.backwardFetch(key, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
            if (it.hasNext()) {
                KeyValue<Long, WindowAggregate> newest = it.next();
                return Optional.of(MetricRecord.of(window, key, Instant.ofEpochMilli(newest.key), newest.value, false));
            }
        }
        return Optional.empty();
    }

    /** The newest window of every series of a dimension held by this instance, ordered by series. */
    public List<MetricRecord> currentAll(Duration window, MetricDimension dimension) {
        return currentAll(window, dimension, null);
    }

    /**
     * The newest window of every series of a dimension of one organisation (null: the series over every organisation)
     * held by this instance, ordered by series.
     */
    public List<MetricRecord> currentAll(Duration window, MetricDimension dimension, String organization) {
        String prefix = storeKey(dimension, "", organization);
        Map<String, KeyValue<Long, WindowAggregate>> newest = new LinkedHashMap<>();
        ReadOnlyWindowStore<String, WindowAggregate> store = storeByName.apply(MetricsSettings.storeName(window));
        try (KeyValueIterator<Windowed<String>, WindowAggregate> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, WindowAggregate> kv = it.next();
                if (!kv.key.key().startsWith(prefix)) {
                    continue;
                }
                long start = kv.key.window().start();
                newest.merge(kv.key.key(), KeyValue.pair(start, kv.value), (a, b) -> b.key > a.key ? b : a);
            }
        }
        List<MetricRecord> out = new ArrayList<>();
        newest.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(MetricRecord.of(
                        window, e.getKey(), Instant.ofEpochMilli(e.getValue().key), e.getValue().value, false)));
        return out;
    }
}
