package io.quintet.enricher.profile;

import io.quintet.enricher.pipeline.Events;
import io.quintet.model.CanonicalEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Step 5, stamp super-properties: sets {@code context.domain_specific.analytics.user_state_snapshot} to the
 * allow-listed traits of the actor's profile <em>as it was at the event's time</em>. Profiles live in a versioned
 * store (KIP-889) that {@link ApplyProfileChangeStep} keeps from the {@code profiles} topic: each change is merged in
 * as of its record timestamp, so updates apply in event-time order whatever order they arrive in, and a late event
 * looks up the version that was
 * valid when it happened ({@code get(actor, event_timestamp)}). Group associations are stamped as {@code group_id} and
 * {@code group.<trait>} when allow-listed ({@link Profile#trait}). Traits the producer already put in the snapshot are
 * kept unless the profile has a value for them. The lookup key is the record key, the raw actor id (stamping runs
 * before the output is re-keyed by pseudonym).
 */
public final class StampSuperPropertiesStep implements FixedKeyProcessor<String, CanonicalEvent, CanonicalEvent> {
    public static final String STORE = "profiles-store";

    private final List<String> traits;
    private FixedKeyProcessorContext<String, CanonicalEvent> context;
    private VersionedKeyValueStore<String, Profile> profiles;

    public StampSuperPropertiesStep(List<String> traits) {
        this.traits = List.copyOf(traits);
    }

    /**
     * The profile store ({@link ApplyProfileChangeStep} writes it): a persistent versioned store keeping {@code history} of versions. Its
     * changelog (keyed by raw actor id) rolls daily and is compacted at the latest two days after the history
     * (Kafka Streams keeps versions for the history plus one day), so an erased profile's bytes are bounded in time.
     */
    public static StoreBuilder<VersionedKeyValueStore<String, Profile>> storeBuilder(Duration history) {
        return Stores.versionedKeyValueStoreBuilder(
                        Stores.persistentVersionedKeyValueStore(STORE, history), Serdes.String(), new ProfileSerde())
                .withLoggingEnabled(Map.of(
                        "segment.ms", String.valueOf(Duration.ofDays(1).toMillis()),
                        "max.compaction.lag.ms",
                                String.valueOf(history.plus(Duration.ofDays(2)).toMillis()),
                        "delete.retention.ms", String.valueOf(Duration.ofDays(1).toMillis())));
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CanonicalEvent> ctx) {
        this.context = ctx;
        this.profiles = ctx.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, CanonicalEvent> record) {
        CanonicalEvent event = record.value();
        if (traits.isEmpty() || record.key() == null || event.eventTimestamp() == null) {
            context.forward(record);
            return;
        }
        VersionedRecord<Profile> version =
                profiles.get(record.key(), event.eventTimestamp().toEpochMilli());
        if (version == null) {
            context.forward(record);
            return;
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        Map<String, Object> existing = Events.userStateSnapshot(event);
        if (existing != null) {
            snapshot.putAll(existing);
        }
        boolean stamped = false;
        for (String trait : traits) {
            Object v = version.value().trait(trait);
            if (v != null) {
                snapshot.put(trait, v);
                stamped = true;
            }
        }
        context.forward(stamped ? record.withValue(Events.withUserStateSnapshot(event, snapshot)) : record);
    }
}
