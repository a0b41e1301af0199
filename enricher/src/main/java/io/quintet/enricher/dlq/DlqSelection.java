package io.quintet.enricher.dlq;

import java.time.Instant;
import java.util.Set;

/**
 * Which dead letters to re-publish. Every criterion that is set must match; an empty selection matches everything.
 *
 * @param reasons         typed reasons (empty = any)
 * @param causes          cause codes (empty = any)
 * @param eventIds        event ids (empty = any)
 * @param sourcePartition source partition of the original record, or -1 for any
 * @param fromOffset      lowest source offset (inclusive), or -1
 * @param toOffset        highest source offset (inclusive), or -1
 * @param since           dead-lettered at or after, or null
 * @param until           dead-lettered before, or null
 */
public record DlqSelection(
        Set<DlqReason> reasons,
        Set<String> causes,
        Set<String> eventIds,
        int sourcePartition,
        long fromOffset,
        long toOffset,
        Instant since,
        Instant until) {

    public DlqSelection {
        reasons = Set.copyOf(reasons);
        causes = Set.copyOf(causes);
        eventIds = Set.copyOf(eventIds);
    }

    public static DlqSelection all() {
        return new DlqSelection(Set.of(), Set.of(), Set.of(), -1, -1, -1, null, null);
    }

    public DlqSelection withReasons(Set<DlqReason> r) {
        return new DlqSelection(r, causes, eventIds, sourcePartition, fromOffset, toOffset, since, until);
    }

    public boolean matches(DeadLetter dl) {
        return (reasons.isEmpty() || reasons.contains(dl.reason()))
                && (causes.isEmpty() || causes.contains(dl.cause()))
                && (eventIds.isEmpty()
                        || (dl.event() != null && eventIds.contains(dl.event().id())))
                && (sourcePartition < 0 || dl.source().partition() == sourcePartition)
                && (fromOffset < 0 || dl.source().offset() >= fromOffset)
                && (toOffset < 0 || dl.source().offset() <= toOffset)
                && (since == null || !dl.deadLetteredAt().isBefore(since))
                && (until == null || dl.deadLetteredAt().isBefore(until));
    }
}
