package io.quintet.benchmarks.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end-of-run id count: every event the gateway accepted must be on {@code events.canonical} or
 * {@code events.dlq} exactly once, and every canonical event must be a row of the Iceberg table exactly once.
 * Pure: the caller reads the topics and the table.
 *
 * @param accepted            events the gateway answered accepted
 * @param missing             accepted ids on neither events.canonical nor events.dlq
 * @param duplicated          accepted ids found more than once over events.canonical + events.dlq
 * @param missingFromTable    canonical ids with no row in the table
 * @param duplicatedInTable   canonical ids with more than one row in the table
 * @param canonical           distinct ids on events.canonical
 * @param deadLettered        distinct ids on events.dlq
 * @param unexpectedCanonical canonical ids the gateway never accepted in this run (e.g. events the pipeline emits
 *                            itself); counted, not a failure
 */
public record IdAccounting(
        long accepted,
        List<String> missing,
        List<String> duplicated,
        List<String> missingFromTable,
        List<String> duplicatedInTable,
        long canonical,
        long deadLettered,
        long unexpectedCanonical) {

    public static IdAccounting count(
            Set<String> accepted,
            Collection<String> canonicalIds,
            Collection<String> dlqIds,
            Collection<String> tableIds) {
        Map<String, Integer> onTopics = new HashMap<>();
        Map<String, Integer> canonical = counts(canonicalIds);
        canonical.forEach((id, n) -> onTopics.merge(id, n, Integer::sum));
        Map<String, Integer> dlq = counts(dlqIds);
        dlq.forEach((id, n) -> onTopics.merge(id, n, Integer::sum));
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (String id : accepted) {
            int n = onTopics.getOrDefault(id, 0);
            if (n == 0) {
                missing.add(id);
            } else if (n > 1) {
                duplicated.add(id);
            }
        }
        Map<String, Integer> table = counts(tableIds);
        List<String> missingFromTable = new ArrayList<>();
        List<String> duplicatedInTable = new ArrayList<>();
        long unexpected = 0;
        for (String id : canonical.keySet()) {
            int n = table.getOrDefault(id, 0);
            if (n == 0) {
                missingFromTable.add(id);
            } else if (n > 1) {
                duplicatedInTable.add(id);
            }
            if (!accepted.contains(id)) {
                unexpected++;
            }
        }
        return new IdAccounting(
                accepted.size(),
                missing,
                duplicated,
                missingFromTable,
                duplicatedInTable,
                canonical.size(),
                dlq.size(),
                unexpected);
    }

    public boolean ok() {
        return missing.isEmpty() && duplicated.isEmpty() && missingFromTable.isEmpty() && duplicatedInTable.isEmpty();
    }

    /** One line for the report, naming up to three ids of each failure. */
    public String summary() {
        return String.format(
                "accepted %d, canonical %d, dead-lettered %d, not accepted in this run %d; missing %d%s, "
                        + "twice or more %d%s, canonical missing from the table %d%s, twice in the table %d%s",
                accepted,
                canonical,
                deadLettered,
                unexpectedCanonical,
                missing.size(),
                sample(missing),
                duplicated.size(),
                sample(duplicated),
                missingFromTable.size(),
                sample(missingFromTable),
                duplicatedInTable.size(),
                sample(duplicatedInTable));
    }

    private static String sample(List<String> ids) {
        return ids.isEmpty() ? "" : " " + ids.subList(0, Math.min(3, ids.size()));
    }

    private static Map<String, Integer> counts(Collection<String> ids) {
        Map<String, Integer> m = new HashMap<>();
        for (String id : ids) {
            m.merge(id, 1, Integer::sum);
        }
        return m;
    }
}
