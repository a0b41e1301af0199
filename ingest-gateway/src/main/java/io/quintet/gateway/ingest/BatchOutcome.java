package io.quintet.gateway.ingest;

import java.util.List;

/**
 * Per-item results of one request, and the HTTP status they add up to:
 * <ul>
 *   <li>any item that could not be published because Kafka was unavailable: 503 (the results say which items Kafka
 *       did acknowledge; nothing unacknowledged is reported as accepted);</li>
 *   <li>every item accepted: the endpoint's success status (202, or 200 for Segment);</li>
 *   <li>some accepted, some rejected: 207 (200 for Segment, whose clients only know 200);</li>
 *   <li>none accepted: the highest status among the rejections (e.g. 422, or 413 and 400 mixed gives 413).</li>
 * </ul>
 */
public record BatchOutcome(List<ItemResult> results) {

    public BatchOutcome {
        results = List.copyOf(results);
    }

    public long acceptedCount() {
        return results.stream().filter(ItemResult::accepted).count();
    }

    public long rejectedCount() {
        return results.size() - acceptedCount();
    }

    public boolean unavailable() {
        return results.stream().anyMatch(r -> !r.accepted() && r.rejection().code() == ErrorCode.UNAVAILABLE);
    }

    /** The HTTP status; {@code allAccepted} and {@code partial} are the endpoint's success statuses. */
    public int httpStatus(int allAccepted, int partial) {
        if (unavailable()) {
            return ErrorCode.UNAVAILABLE.httpStatus();
        }
        long accepted = acceptedCount();
        if (accepted == results.size()) {
            return allAccepted;
        }
        if (accepted > 0) {
            return partial;
        }
        return results.stream()
                .mapToInt(r -> r.rejection().code().httpStatus())
                .max()
                .orElse(400);
    }
}
