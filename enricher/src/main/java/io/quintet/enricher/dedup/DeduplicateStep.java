package io.quintet.enricher.dedup;

import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;

/**
 * Step 4, deduplicate: drops an event whose ({@code source}, {@code id}) was already seen within the window (by
 * record time, both directions), and counts it. The window store is persistent and changelogged, so what was seen
 * survives restarts and moves with its partition. Duplicates must share the first copy's partition: producers key
 * {@code events.raw} by actor id, which is part of the event, so a re-sent event lands where its first copy did.
 * <p>
 * Lookups are point reads, not range scans: a pair seen at record time {@code t} is stored under the window that
 * starts at {@code t} rounded down to a multiple of the dedup window (its bucket), with {@code t} as the value. A copy
 * at time {@code t'} can only match a pair stored in one of the (at most three) buckets that overlap
 * {@code [t' - window, t' + window]}; each is one RocksDB get (a bucket with no segment costs nothing), and the stored
 * time decides, so the rule is exactly "seen within the window" as before. A range fetch opened a RocksDB iterator
 * per event, which was most of this step's cost. Retention is two windows, so a stored pair stays readable for at
 * least a whole window after its time, whatever bucket it fell in.
 */
public final class DeduplicateStep implements FixedKeyProcessor<String, CanonicalEvent, CanonicalEvent> {
    /**
     * Named for this layout (bucketed window starts): the earlier {@code dedup-store} kept each pair under its own
     * time and is not read, so pairs seen before an upgrade from it are not recognized (docs/enricher.md).
     */
    public static final String STORE = "dedup-seen";

    private final long windowMs;
    private final EnricherTelemetry telemetry;
    private FixedKeyProcessorContext<String, CanonicalEvent> context;
    private WindowStore<String, Long> seen;

    public DeduplicateStep(Duration window, EnricherTelemetry telemetry) {
        this.windowMs = window.toMillis();
        this.telemetry = telemetry;
    }

    /**
     * The persistent, changelogged window store: windows (buckets) of the dedup window's size, retention two windows:
     * a pair's bucket starts less than one window before its time, and must stay readable one window after it.
     */
    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(Duration window) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(STORE, window.multipliedBy(2), window, false),
                Serdes.String(), Serdes.Long());
    }

    /** Start of the bucket holding a pair seen at {@code time}: the time rounded down to a multiple of the window. */
    long bucket(long time) {
        return Math.floorDiv(time, windowMs) * windowMs;
    }

    /** The store key: length-prefixed source, then id, so that no two (source, id) pairs collide. */
    public static String key(CanonicalEvent e) {
        return e.source().length() + ":" + e.source() + e.id();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CanonicalEvent> ctx) {
        this.context = ctx;
        this.seen = ctx.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, CanonicalEvent> record) {
        String key = key(record.value());
        long ts = record.timestamp();
        for (long b = bucket(Math.max(0, ts - windowMs)), last = bucket(ts + windowMs); b <= last; b += windowMs) {
            Long seenAt = seen.fetch(key, b);
            if (seenAt != null && Math.abs(seenAt - ts) <= windowMs) {
                telemetry.duplicate();
                return;
            }
        }
        seen.put(key, ts, bucket(ts));
        context.forward(record);
    }
}
