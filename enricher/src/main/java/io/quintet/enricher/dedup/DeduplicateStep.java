package io.quintet.enricher.dedup;

import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Step 4, deduplicate: drops an event whose ({@code source}, {@code id}) was already seen within the window (by
 * record time, both directions), and counts it. The window store is persistent and changelogged, so what was seen
 * survives restarts and moves with its partition. Duplicates must share the first copy's partition: producers key
 * {@code events.raw} by actor id, which is part of the event, so a re-sent event lands where its first copy did.
 */
public final class DeduplicateStep implements FixedKeyProcessor<String, CanonicalEvent, CanonicalEvent> {
    public static final String STORE = "dedup-store";

    private final long windowMs;
    private final EnricherTelemetry telemetry;
    private FixedKeyProcessorContext<String, CanonicalEvent> context;
    private WindowStore<String, Long> seen;

    public DeduplicateStep(Duration window, EnricherTelemetry telemetry) {
        this.windowMs = window.toMillis();
        this.telemetry = telemetry;
    }

    /** The persistent, changelogged window store: retention = window size = the dedup window. */
    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(Duration window) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, window, window, false), Serdes.String(), Serdes.Long());
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
        try (WindowStoreIterator<Long> it = seen.fetch(key, Math.max(0, ts - windowMs), ts + windowMs)) {
            if (it.hasNext()) {
                telemetry.duplicate();
                return;
            }
        }
        seen.put(key, ts, ts);
        context.forward(record);
    }
}
