package io.quintet.gateway.rejections;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.model.topics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RejectionLogTest {
    static RecentRejection rejection(String source, String id) {
        return new RecentRejection(source, id, "schema_violation", "json_schema", List.of("/id"), Instant.EPOCH);
    }

    @Test
    void eachSourceKeepsItsNewestRejectionsNewestFirst() {
        RejectionLog log = new RejectionLog(3, 10);
        for (int i = 1; i <= 5; i++) {
            log.add(rejection("billing", "e" + i));
        }
        log.add(rejection("auth", "a1"));

        assertThat(log.recent("billing")).extracting(RecentRejection::eventId).containsExactly("e5", "e4", "e3");
        assertThat(log.recent("auth")).extracting(RecentRejection::eventId).containsExactly("a1");
        assertThat(log.recent("nobody")).isEmpty();
        assertThat(log.total()).isEqualTo(6);
    }

    @Test
    void theSourceRejectedLeastRecentlyIsForgottenFirstBeyondTheSourceBound() {
        RejectionLog log = new RejectionLog(3, 2);
        log.add(rejection("a", "1"));
        log.add(rejection("b", "2"));
        log.add(rejection("a", "3"));
        log.add(rejection("c", "4"));

        assertThat(log.recent("b")).isEmpty();
        assertThat(log.recent("a")).extracting(RecentRejection::eventId).containsExactly("3", "1");
        assertThat(log.recent("c")).hasSize(1);
    }

    @Test
    void aDeadLetterIsReadFromItsHeadersWithTheCloudEventSourceWhenTheEventsIsUnknown() {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_source", bytes("billing-service"));
        h.add(DeadLetterHeaders.REASON, bytes("size_violation"));
        h.add(DeadLetterHeaders.CAUSE, bytes("too_many_properties"));
        h.add(DeadLetterHeaders.POINTERS, bytes("/context/attributes,/id"));
        h.add(DeadLetterHeaders.TIME, bytes("2026-12-04T01:00:00Z"));
        h.add(DeadLetterHeaders.EVENT_ID, bytes("7d0b1c8e-0000-4000-8000-000000000001"));

        RecentRejection r = RecentRejection.fromHeaders(h, 0).orElseThrow();

        assertThat(r.source()).isEqualTo("billing-service");
        assertThat(r.reason()).isEqualTo("size_violation");
        assertThat(r.cause()).isEqualTo("too_many_properties");
        assertThat(r.pointers()).containsExactly("/context/attributes", "/id");
        assertThat(r.deadLetteredAt()).isEqualTo(Instant.parse("2026-12-04T01:00:00Z"));
        assertThat(r.eventId()).isEqualTo("7d0b1c8e-0000-4000-8000-000000000001");

        h.add(DeadLetterHeaders.EVENT_SOURCE, bytes("the-data-source"));
        assertThat(RecentRejection.fromHeaders(h, 0).orElseThrow().source()).isEqualTo("the-data-source");
    }

    @Test
    void aDeadLetterWithoutSourceOrReasonIsNotListed() {
        RecordHeaders noSource = new RecordHeaders();
        noSource.add(DeadLetterHeaders.REASON, bytes("unparseable"));
        RecordHeaders noReason = new RecordHeaders();
        noReason.add(DeadLetterHeaders.EVENT_SOURCE, bytes("billing-service"));

        assertThat(RecentRejection.fromHeaders(noSource, 0)).isEmpty();
        assertThat(RecentRejection.fromHeaders(noReason, 0)).isEmpty();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
