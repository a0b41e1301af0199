package io.quintet.feeds.metrics;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tumbling metric windows of one partition of the metrics-by-series repartition topic: merges the partial
 * aggregates into one window per series and size (stores {@code metrics-1m}, {@code metrics-1h}, ..., which the live
 * HTTP query reads) and emits each window once, as final, when it closes.
 * <p>
 * A window closes when its end plus the grace lies at or before the <em>low watermark</em>: the smallest stream time
 * among the upstream tasks (partitions of events.canonical) that are reading, each reported by its own
 * {@link SeriesInput.Watermark} after the partials it sent before it. Kafka Streams' own windowed aggregation closes
 * windows by the largest event time it has seen from any upstream task, so an upstream task that had read further
 * ahead (a backlog is fetched in chunks per partition) closed windows that a slower task's partials were still on
 * their way to ("Skipping record for expired window"); here a slower task holds them open. An upstream task that read
 * nothing since its previous watermark (an idle partition) holds nothing open; when every one is idle, the largest
 * stream time closes windows. Until every upstream partition has reported once (their number given by
 * {@link MetricsSettings#upstreamPartitions()}; 0 = those that have reported), nothing closes.
 * <p>
 * The watermarks and the low watermark up to which windows were emitted are kept in the changelogged store
 * {@value MetricsSettings#WATERMARKS_STORE}, so a restart neither emits a window twice nor forgets one. A partial of a
 * window that has already closed is late: it is counted ({@code late-partials-total}) and dropped.
 */
public final class MetricsWindows implements Processor<String, SeriesInput, String, MetricRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsWindows.class);
    /** The watermarks store's key of the low watermark up to which windows were emitted. */
    private static final int CLOSED = -1;

    private final MetricsSettings settings;
    private final long grace;
    private final List<Duration> windows;
    private final List<TimestampedWindowStore<String, WindowAggregate>> stores = new ArrayList<>();
    private ProcessorContext<String, MetricRecord> context;
    private KeyValueStore<Integer, byte[]> marksStore;
    private final Map<Integer, SeriesInput.Watermark> marks = new HashMap<>();
    private long closed = Long.MIN_VALUE;
    private Sensor late;

    public MetricsWindows(MetricsSettings settings) {
        this.settings = settings;
        this.grace = settings.grace().toMillis();
        this.windows = settings.windows();
    }

    @Override
    public void init(ProcessorContext<String, MetricRecord> context) {
        this.context = context;
        stores.clear();
        for (Duration w : windows) {
            stores.add(context.getStateStore(MetricsSettings.storeName(w)));
        }
        marksStore = context.getStateStore(MetricsSettings.WATERMARKS_STORE);
        marks.clear();
        closed = Long.MIN_VALUE;
        try (KeyValueIterator<Integer, byte[]> it = marksStore.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, byte[]> kv = it.next();
                ByteBuffer b = ByteBuffer.wrap(kv.value);
                if (kv.key == CLOSED) {
                    closed = b.getLong();
                } else {
                    marks.put(kv.key, new SeriesInput.Watermark(kv.key, b.getLong(), b.get() == 1));
                }
            }
        }
        late = context.metrics()
                .addRateTotalSensor(
                        "metrics-windows", context.taskId().toString(), "late-partials", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, SeriesInput> record) {
        SeriesInput in = record.value();
        if (in == null) {
            return;
        }
        if (in.watermark() != null) {
            advance(in.watermark());
        } else {
            add(record.key(), in.partial(), record.timestamp());
        }
    }

    private void add(String series, WindowAggregate partial, long ts) {
        for (int i = 0; i < windows.size(); i++) {
            long size = windows.get(i).toMillis();
            long start = ts - Math.floorMod(ts, size);
            if (closed != Long.MIN_VALUE && start + size + grace <= closed) {
                late.record();
                LOG.debug("late partial of {} for the closed {} window at {}", series, windows.get(i), start);
                continue;
            }
            TimestampedWindowStore<String, WindowAggregate> store = stores.get(i);
            ValueAndTimestamp<WindowAggregate> old = store.fetch(series, start);
            ValueAndTimestamp<WindowAggregate> next = old == null
                    ? ValueAndTimestamp.make(partial, ts)
                    : ValueAndTimestamp.make(old.value().merge(partial), Math.max(old.timestamp(), ts));
            store.put(series, next, start);
        }
    }

    private void advance(SeriesInput.Watermark mark) {
        SeriesInput.Watermark before = marks.put(mark.partition(), mark);
        if (!mark.equals(before)) {
            marksStore.put(
                    mark.partition(),
                    ByteBuffer.allocate(9)
                            .putLong(mark.streamTime())
                            .put((byte) (mark.idle() ? 1 : 0))
                            .array());
        }
        long low = low();
        if (low == Long.MIN_VALUE || low <= closed) {
            return;
        }
        for (int i = 0; i < windows.size(); i++) {
            emitClosing(windows.get(i), stores.get(i), closed, low);
        }
        closed = low;
        marksStore.put(CLOSED, ByteBuffer.allocate(8).putLong(low).array());
    }

    /** The low watermark: the smallest stream time of the upstream tasks that are reading (see the class comment). */
    private long low() {
        int expected = settings.upstreamPartitions();
        for (int p = 0; p < expected; p++) {
            if (!marks.containsKey(p)) {
                return Long.MIN_VALUE;
            }
        }
        long minReading = Long.MAX_VALUE;
        long maxAll = Long.MIN_VALUE;
        for (SeriesInput.Watermark m : marks.values()) {
            maxAll = Math.max(maxAll, m.streamTime());
            if (!m.idle()) {
                minReading = Math.min(minReading, m.streamTime());
            }
        }
        return minReading != Long.MAX_VALUE ? minReading : maxAll;
    }

    /** Emits, as final, the windows of one size whose end plus grace lies in (from, to]. */
    private void emitClosing(
            Duration window, TimestampedWindowStore<String, WindowAggregate> store, long from, long to) {
        long size = window.toMillis();
        long firstStart = from == Long.MIN_VALUE ? 0 : Math.max(0, from - grace - size + 1);
        long lastStart = to - grace - size;
        if (lastStart < firstStart) {
            return;
        }
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<WindowAggregate>> it =
                store.fetchAll(Instant.ofEpochMilli(firstStart), Instant.ofEpochMilli(lastStart))) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, ValueAndTimestamp<WindowAggregate>> kv = it.next();
                String series = kv.key.key();
                context.forward(new Record<>(
                        MetricRecord.seriesKey(window, series),
                        MetricRecord.of(window, series, kv.key.window().startTime(), kv.value.value(), true),
                        kv.value.timestamp()));
            }
        }
    }
}
