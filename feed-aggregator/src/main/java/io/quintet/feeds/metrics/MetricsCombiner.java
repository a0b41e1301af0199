package io.quintet.feeds.metrics;

import io.quintet.model.CanonicalEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pre-aggregation before the repartition by series (a combiner): each task folds its events into one partial
 * {@link WindowAggregate} per series and bucket (the greatest common divisor of the window sizes) and sends the
 * partials on every {@link MetricsSettings#combineInterval()} of wall-clock time, so the repartition topic carries one
 * record per series and bucket and interval instead of three per event. The window aggregation merges partials
 * (counts and sums add, both sketches merge without losing their guarantees), so the windows hold exactly what they
 * would hold with one sample per event.
 * <p>
 * The partials live in a changelogged store ({@value MetricsSettings#PARTIALS_STORE}) behind a
 * {@link io.quintet.support.streams.CommitTimeStore}: the per-event updates stay objects until the task commits, then
 * each key is serialized and written once, in the transaction that commits the input offsets, so an event whose offset
 * is committed is either in a sent partial or in the restored store after a crash (exactly once). The processor keeps
 * the same partials as live objects (loaded from the store when the task starts), so an event reads nothing back from
 * the store, and a send iterates them instead of the store. A partial is sent with the largest event time it holds, which lies inside its bucket.
 * <p>
 * Besides the wall-clock interval, a task also sends whenever its stream time has advanced by
 * {@link MetricsSettings#catchUpInterval()}: a task catching up on a backlog reads minutes of event time per
 * wall-clock interval, and its partials must not run further ahead of other tasks' than the windows' grace allows.
 */
public final class MetricsCombiner implements Processor<String, CanonicalEvent, String, SeriesInput> {
    private final MetricsSettings settings;
    private final long bucket;
    private ProcessorContext<String, SeriesInput> context;
    /** This task's input partition, named in its watermarks. */
    private int partition;
    /** Whether the task read an event since its previous watermark. */
    private boolean readSinceWatermark;
    /** Wall-clock time of the task's last event (or of its start). */
    private long lastReadAt;
    /** Wall-clock time without events after which a task that is behind the wall clock counts as idle. */
    private final long idleAfter;

    private KeyValueStore<String, Partial> partials;
    /** The live partials of this task, so an event updates objects instead of reading them back from the store. */
    private final Map<String, Partial> live = new HashMap<>();

    private final long catchUp;
    /** The largest event time this task has read, and its value at the last send. */
    private long streamTime = Long.MIN_VALUE;

    private long streamTimeAtSend = Long.MIN_VALUE;

    public MetricsCombiner(MetricsSettings settings) {
        this.settings = settings;
        this.bucket = settings.bucketMillis();
        this.catchUp = settings.catchUpInterval().toMillis();
        this.idleAfter = Math.max(
                settings.grace().toMillis(), 2 * settings.combineInterval().toMillis());
    }

    @Override
    public void init(ProcessorContext<String, SeriesInput> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        this.lastReadAt = context.currentSystemTimeMs();
        this.partials = context.getStateStore(MetricsSettings.PARTIALS_STORE);
        live.clear();
        try (KeyValueIterator<String, Partial> it = partials.all()) { // restored after a restart or a rebalance
            it.forEachRemaining(kv -> live.put(kv.key, kv.value));
        }
        context.schedule(settings.combineInterval(), PunctuationType.WALL_CLOCK_TIME, now -> send());
    }

    @Override
    public void process(Record<String, CanonicalEvent> record) {
        List<KeyValue<String, MetricSample>> samples = MetricSample.perSeries(record.value(), settings);
        if (samples.isEmpty()) {
            return;
        }
        long ts = record.timestamp();
        readSinceWatermark = true;
        lastReadAt = context.currentSystemTimeMs();
        String bucketSuffix = "@" + (ts - Math.floorMod(ts, bucket));
        for (KeyValue<String, MetricSample> s : samples) {
            String key = s.key + bucketSuffix;
            Partial p = live.get(key);
            WindowAggregate agg = p == null ? WindowAggregate.empty(settings) : p.aggregate();
            Partial next = new Partial(Math.max(ts, p == null ? Long.MIN_VALUE : p.maxTimestamp()), agg.add(s.value));
            live.put(key, next);
            partials.put(key, next);
        }
        if (ts > streamTime) {
            streamTime = ts;
            if (streamTimeAtSend == Long.MIN_VALUE) {
                streamTimeAtSend = ts;
            } else if (ts - streamTimeAtSend >= catchUp) {
                send();
            }
        }
    }

    /**
     * Sends every partial on (series as key, its largest event time as record time) in event-time order and forgets
     * it, then this task's watermark (its stream time, and whether it read anything since the last one). The order matters when the partials span several buckets (a backlog read faster than real time): the window
     * aggregation drops a partial whose window another series' later partial has already closed.
     */
    private void send() {
        List<Map.Entry<String, Partial>> all = new ArrayList<>(live.entrySet());
        all.sort(Comparator.comparingLong(e -> e.getValue().maxTimestamp()));
        for (Map.Entry<String, Partial> e : all) {
            String series = e.getKey().substring(0, e.getKey().lastIndexOf('@'));
            context.forward(new Record<>(
                    series,
                    SeriesInput.of(e.getValue().aggregate()),
                    e.getValue().maxTimestamp()));
            partials.put(e.getKey(), null); // a delete that does not read the old value back
        }
        live.clear();
        streamTimeAtSend = streamTime;
        // after the partials, on the same partitions (SeriesPartitioner sends it to all): the windows downstream close
        // by the smallest watermark of the tasks that are reading, not by the largest event time any task has sent
        context.forward(new Record<>(
                SeriesPartitioner.WATERMARK_KEY,
                SeriesInput.of(new SeriesInput.Watermark(partition, streamTime, idle())),
                Math.max(streamTime, 0L)));
        readSinceWatermark = false;
    }

    /**
     * Whether this task holds no window open: it read nothing since its previous watermark and either its stream time
     * is within the grace of the wall clock (it has caught up) or it has read nothing for {@code idleAfter}. A task
     * that is behind and paused only for a moment (a fetch not yet answered, a rebalance, a busy machine) is not idle:
     * its next partials may still belong to windows the others would otherwise close.
     */
    private boolean idle() {
        if (readSinceWatermark) {
            return false;
        }
        long now = context.currentSystemTimeMs();
        return (streamTime != Long.MIN_VALUE
                        && streamTime >= now - settings.grace().toMillis())
                || now - lastReadAt >= idleAfter;
    }

    /** A partial aggregate and the largest event time folded into it. */
    public record Partial(long maxTimestamp, WindowAggregate aggregate) {}
}
