package io.quintet.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchOutcomeTest {
    static ItemResult ok(int i) {
        return ItemResult.accepted(i, "id" + i);
    }

    static ItemResult bad(int i, ErrorCode code) {
        return ItemResult.rejected(i, null, Rejection.of(code, code.code()));
    }

    @Test
    void statusFollowsTheMixOfResults() {
        assertThat(new BatchOutcome(List.of(ok(0), ok(1))).httpStatus(202, 207)).isEqualTo(202);
        assertThat(new BatchOutcome(List.of(ok(0), bad(1, ErrorCode.INVALID_EVENT))).httpStatus(202, 207))
                .isEqualTo(207);
        assertThat(new BatchOutcome(List.of(ok(0), bad(1, ErrorCode.INVALID_EVENT))).httpStatus(200, 200))
                .isEqualTo(200);
        assertThat(new BatchOutcome(List.of(bad(0, ErrorCode.MALFORMED_JSON), bad(1, ErrorCode.EVENT_TOO_LARGE)))
                        .httpStatus(202, 207))
                .isEqualTo(413);
        assertThat(new BatchOutcome(List.of(bad(0, ErrorCode.FORBIDDEN_SOURCE))).httpStatus(202, 207))
                .isEqualTo(403);
    }

    @Test
    void anyUnavailableItemMakesTheWholeAnswer503EvenIfOthersWereAcknowledged() {
        BatchOutcome o =
                new BatchOutcome(List.of(ok(0), bad(1, ErrorCode.UNAVAILABLE), bad(2, ErrorCode.INVALID_EVENT)));
        assertThat(o.httpStatus(202, 207)).isEqualTo(503);
        assertThat(o.acceptedCount()).isEqualTo(1);
    }
}
