package io.quintet.feeds.entities;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the newest {@link EntityHistorySettings#maxEvents()} events of each entity that lie within
 * {@link EntityHistorySettings#retention()} of the task's stream time (event time):
 * <ul>
 *   <li>{@value EntityHistorySettings#EVENTS_STORE}: event key -> canonical event JSON (one key range per entity, in
 *       time order; read newest first);
 *   <li>{@value EntityHistorySettings#META_STORE}: entity -> how many events are held and the key of the oldest, so
 *       the oldest is evicted without scanning the range (RocksDB would walk over the tombstones of every event
 *       evicted before);
 *   <li>{@value EntityHistorySettings#EXPIRY_STORE}: the events in time order; a stream-time punctuation deletes
 *       those past the retention.
 * </ul>
 * An event already held (same entity, time and id: a replay) is not counted twice; an event older than the retention,
 * or older than every held event of an entity that is full, is not kept ({@code entity-history-dropped}).
 */
final class EntityHistoryWriter implements Processor<String, byte[], Void, Void> {
    private static final byte[] EMPTY = new byte[0];
    /** Expired events deleted per pass of the sweep (the keys are collected before they are deleted). */
    private static final int SWEEP_BATCH = 10_000;

    private final EntityHistorySettings settings;
    private final long retentionMicros;
    private KeyValueStore<String, byte[]> events;
    private KeyValueStore<String, byte[]> meta;
    private KeyValueStore<String, byte[]> expiry;
    private long streamTimeMicros = Long.MIN_VALUE;
    /** The expiry key the previous sweep ended at (not persisted: after a restart the first sweep starts at the top). */
    private String sweptTo = "";

    private Sensor dropped;

    EntityHistoryWriter(EntityHistorySettings settings) {
        this.settings = settings;
        this.retentionMicros = settings.retention().toNanos() / 1000;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        events = context.getStateStore(EntityHistorySettings.EVENTS_STORE);
        meta = context.getStateStore(EntityHistorySettings.META_STORE);
        expiry = context.getStateStore(EntityHistorySettings.EXPIRY_STORE);
        dropped = context.metrics()
                .addRateTotalSensor(
                        "entity-history",
                        context.taskId().toString(),
                        "entity-history-dropped",
                        Sensor.RecordingLevel.INFO);
        context.schedule(settings.sweepInterval(), PunctuationType.STREAM_TIME, now -> sweep());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null || record.value() == null) {
            return;
        }
        long micros = EntityKeys.microsOf(key);
        streamTimeMicros = Math.max(streamTimeMicros, micros);
        if (micros < cutoff() || events.get(key) != null) {
            dropped.record();
            return;
        }
        String entity = EntityKeys.entityOf(key);
        Meta m = Meta.read(meta.get(entity));
        if (m == null) {
            m = new Meta(0, key);
        } else if (m.count() >= settings.maxEvents() && key.compareTo(m.oldest()) < 0) {
            dropped.record(); // older than every event held of a full entity: it would be evicted at once
            return;
        }
        events.put(key, record.value());
        expiry.put(EntityKeys.expiry(key), EMPTY);
        int count = m.count() + 1;
        String oldest = key.compareTo(m.oldest()) < 0 ? key : m.oldest();
        while (count > settings.maxEvents() && oldest != null) {
            events.delete(oldest);
            expiry.delete(EntityKeys.expiry(oldest));
            count--;
            oldest = next(entity, oldest);
        }
        if (oldest == null) { // cannot happen while the count is right; start the entity's count afresh
            oldest = key;
            count = 1;
        }
        meta.put(entity, new Meta(count, oldest).bytes());
    }

    /** The oldest event key of {@code entity} after {@code deleted} (which is no longer in the store). */
    private String next(String entity, String deleted) {
        try (KeyValueIterator<String, byte[]> it = events.range(deleted, EntityKeys.last(entity))) {
            while (it.hasNext()) {
                String k = it.next().key;
                if (!k.equals(deleted)) {
                    return k;
                }
            }
        }
        return null;
    }

    private long cutoff() {
        return streamTimeMicros == Long.MIN_VALUE ? Long.MIN_VALUE : streamTimeMicros - retentionMicros;
    }

    /** Deletes the events past the retention, oldest first, and corrects their entities' counts. */
    private void sweep() {
        if (streamTimeMicros == Long.MIN_VALUE) {
            return;
        }
        String bound = EntityKeys.time(cutoff());
        while (true) {
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = expiry.range(sweptTo, bound)) {
                while (it.hasNext() && expired.size() < SWEEP_BATCH) {
                    KeyValue<String, byte[]> kv = it.next();
                    if (kv.key.compareTo(bound) < 0) {
                        expired.add(kv.key);
                    }
                }
            }
            if (expired.isEmpty()) {
                return;
            }
            Map<String, Integer> removed = new HashMap<>();
            Map<String, String> lastRemoved = new HashMap<>();
            for (String x : expired) {
                String eventKey = EntityKeys.eventOfExpiry(x);
                String entity = EntityKeys.entityOf(eventKey);
                expiry.delete(x);
                events.delete(eventKey);
                removed.merge(entity, 1, Integer::sum);
                lastRemoved.merge(entity, eventKey, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
            for (Map.Entry<String, Integer> e : removed.entrySet()) {
                Meta m = Meta.read(meta.get(e.getKey()));
                int count = m == null ? 0 : m.count() - e.getValue();
                String oldest = count <= 0 ? null : next(e.getKey(), lastRemoved.get(e.getKey()));
                if (oldest == null) {
                    meta.delete(e.getKey());
                } else {
                    meta.put(e.getKey(), new Meta(count, oldest).bytes());
                }
            }
            sweptTo = expired.get(expired.size() - 1);
        }
    }

    /** An entity's count of held events and the key of its oldest. */
    record Meta(int count, String oldest) {
        byte[] bytes() {
            byte[] k = oldest.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(4 + k.length).putInt(count).put(k).array();
        }

        static Meta read(byte[] b) {
            if (b == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            int count = buf.getInt();
            return new Meta(count, new String(b, 4, b.length - 4, StandardCharsets.UTF_8));
        }
    }
}
