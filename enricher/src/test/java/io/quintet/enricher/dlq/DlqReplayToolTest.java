package io.quintet.enricher.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The replay selection: every criterion that is set must match. */
class DlqReplayToolTest {

    static DeadLetter dl(DlqReason reason, String cause, String eventId, int partition, long offset, Instant at) {
        return new DeadLetter(
                reason,
                cause,
                "m",
                List.of(),
                new SourceCoordinates("events.raw", partition, offset, at),
                at,
                eventId == null ? null : new DeadLetter.EventRef(eventId, "s", "t"),
                null,
                List.of(),
                new byte[] {1});
    }

    @Test
    void selectionMatchesOnlyWhatEveryCriterionAllows() {
        Instant t = Instant.parse("2026-11-02T10:00:00Z");
        DlqSelection s = new DlqSelection(
                Set.of(DlqReason.TRACKING_PLAN_VIOLATION),
                Set.of(),
                Set.of(),
                2,
                100,
                200,
                t.minusSeconds(60),
                t.plusSeconds(60));

        assertThat(s.matches(dl(DlqReason.TRACKING_PLAN_VIOLATION, "c", "e", 2, 150, t)))
                .isTrue();
        assertThat(s.matches(dl(DlqReason.SCHEMA_VIOLATION, "c", "e", 2, 150, t)))
                .isFalse();
        assertThat(s.matches(dl(DlqReason.TRACKING_PLAN_VIOLATION, "c", "e", 1, 150, t)))
                .isFalse();
        assertThat(s.matches(dl(DlqReason.TRACKING_PLAN_VIOLATION, "c", "e", 2, 201, t)))
                .isFalse();
        assertThat(s.matches(dl(DlqReason.TRACKING_PLAN_VIOLATION, "c", "e", 2, 150, t.plusSeconds(61))))
                .isFalse();
        assertThat(DlqSelection.all().matches(dl(DlqReason.UNPARSEABLE, "c", null, 0, 0, t)))
                .isTrue();
    }

    @Test
    void commandLineIsParsedIntoASelection() {
        DlqReplayTool.Options options = DlqReplayTool.parse(new String[] {
            "--bootstrap",
            "b:9092",
            "--prefix",
            "acme.",
            "--reason",
            "schema_violation,size_violation",
            "--event-id",
            "e1",
            "--dry-run"
        });
        DlqSelection s = options.selection();

        assertThat(s.reasons()).containsExactlyInAnyOrder(DlqReason.SCHEMA_VIOLATION, DlqReason.SIZE_VIOLATION);
        assertThat(s.eventIds()).containsExactly("e1");
        assertThat(options.dryRun()).isTrue();
        assertThat(options.prefix()).isEqualTo("acme.");
        assertThat(options.bootstrap()).isEqualTo("b:9092");
    }
}
