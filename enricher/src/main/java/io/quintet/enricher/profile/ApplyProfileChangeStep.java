package io.quintet.enricher.profile;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the versioned profile store from the {@code profiles} stream: each change (identify, group, complete
 * traits) is applied <em>as of its record timestamp</em> (the time the traits became true), whatever order the
 * records arrive in. Every version keeps the change applied at its timestamp, so that:
 * <ul>
 *   <li>a change is merged into the version valid at its timestamp (a later identify with {@code {plan}} keeps the
 *       earlier {@code {company}});</li>
 *   <li>a <em>late</em> change (older than the newest version) is inserted at its own time and then re-applied
 *       under every newer version, in event-time order, until a complete replacement or a deletion: fields a newer
 *       change set keep the newer value, fields only the late change set flow into the newer versions. The result
 *       is the same as if all changes had arrived in event-time order;</li>
 *   <li>two changes at the same timestamp are combined in arrival order;</li>
 *   <li>a tombstone deletes the profile from its timestamp on; changes after it start from an empty profile.</li>
 * </ul>
 * A change older than the store's history (stream time minus {@code profiles.history.ms}) is refused by the store;
 * it is counted in the log (partition/offset only), never stored.
 */
public final class ApplyProfileChangeStep implements Processor<String, ProfileChange, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyProfileChangeStep.class);

    private ProcessorContext<Void, Void> context;
    private VersionedKeyValueStore<String, Profile> profiles;

    @Override
    public void init(ProcessorContext<Void, Void> ctx) {
        this.context = ctx;
        this.profiles = ctx.getStateStore(StampSuperPropertiesStep.STORE);
    }

    @Override
    public void process(Record<String, ProfileChange> record) {
        if (record.key() == null) {
            return;
        }
        String actor = record.key();
        long at = record.timestamp();
        if (record.value() == null) {
            profiles.delete(actor, at);
            return;
        }
        VersionedRecord<Profile> current = profiles.get(actor, at);
        Profile before;
        ProfileChange change;
        if (current != null && current.timestamp() == at) { // another change at the same time: do both
            VersionedRecord<Profile> previous = profiles.get(actor, at - 1);
            before = previous == null ? null : previous.value();
            change = current.value().change().then(record.value());
        } else {
            before = current == null ? null : current.value();
            change = record.value();
        }
        Profile state = change.applyTo(before);
        long validTo = profiles.put(actor, state, at);
        if (validTo == VersionedKeyValueStore.PUT_RETURN_CODE_NOT_PUT) {
            LOG.warn("profile change older than profiles.history.ms dropped ({})", where());
            return;
        }
        // a late change: re-apply every newer version's own change on top of it, in event-time order
        while (validTo != VersionedKeyValueStore.PUT_RETURN_CODE_VALID_TO_UNDEFINED) {
            VersionedRecord<Profile> next = profiles.get(actor, validTo);
            if (next == null
                    || next.timestamp() != validTo
                    || next.value().change().replace()) {
                return; // deleted from there on, or replaced whole: newer versions do not depend on this change
            }
            state = next.value().change().applyTo(state);
            validTo = profiles.put(actor, state, next.timestamp());
        }
    }

    private String where() {
        return context.recordMetadata()
                .map(m -> m.topic() + "/" + m.partition() + "@" + m.offset())
                .orElse("unknown record");
    }
}
