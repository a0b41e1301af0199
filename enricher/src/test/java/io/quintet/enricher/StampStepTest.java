package io.quintet.enricher;

import static io.quintet.model.fixtures.EventFixtures.ALICE;
import static io.quintet.model.fixtures.EventFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.pipeline.Events;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 5, super-properties: the actor's allow-listed traits as they were at the event's time. */
class StampStepTest {
    @TempDir
    Path state;

    EnricherHarness h;

    @BeforeEach
    void start() {
        h = new EnricherHarness(EnricherSettings.defaults().withSuperPropertyTraits(List.of("plan", "locale")), state);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private CanonicalEvent loginAt(String id, Instant at) {
        return EventFixtures.login().toBuilder()
                .id(id)
                .eventTimestamp(at)
                .observedTimestamp(at)
                .build();
    }

    private Map<String, Object> snapshotOf(CanonicalEvent e) {
        return Events.userStateSnapshot(e);
    }

    @Test
    void allowListedTraitsOfTheActorsProfileAreStamped() {
        h.profile(
                ALICE,
                "{\"traits\":{\"plan\":\"pro\",\"locale\":\"en-GB\",\"email\":\"alice@example.com\"}}",
                T0.minusSeconds(60));
        h.send(EventFixtures.login());

        assertThat(snapshotOf(h.canonicalEvents().get(0)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("plan", "pro", "locale", "en-GB"));
    }

    @Test
    void actorWithoutAProfileGetsNoSnapshot() {
        h.send(EventFixtures.login());

        assertThat(snapshotOf(h.canonicalEvents().get(0))).isNull();
    }

    @Test
    void lateEventGetsTheProfileItHadAtItsOwnTime() {
        h.profile(ALICE, "{\"traits\":{\"plan\":\"free\"}}", T0.minus(Duration.ofDays(10)));
        h.profile(ALICE, "{\"traits\":{\"plan\":\"pro\"}}", T0.minus(Duration.ofDays(1)));
        h.send(loginAt("a1b2c3d4-0000-4000-8000-000000000001", T0));
        // arrives now, happened five days ago, when Alice was still on the free plan
        h.send(loginAt("a1b2c3d4-0000-4000-8000-000000000002", T0.minus(Duration.ofDays(5))), T0.plusSeconds(5));

        List<CanonicalEvent> out = h.canonicalEvents();
        assertThat(snapshotOf(out.get(0))).containsEntry("plan", "pro");
        assertThat(snapshotOf(out.get(1))).containsEntry("plan", "free");
    }

    @Test
    void profileUpdatesApplyInEventTimeOrderWhateverOrderTheyArriveIn() {
        h.profile(ALICE, "{\"traits\":{\"plan\":\"enterprise\"}}", T0.minus(Duration.ofHours(1)));
        h.profile(ALICE, "{\"traits\":{\"plan\":\"pro\"}}", T0.minus(Duration.ofDays(2))); // older, arrives later
        h.send(loginAt("a1b2c3d4-0000-4000-8000-000000000003", T0));
        h.send(loginAt("a1b2c3d4-0000-4000-8000-000000000004", T0.minus(Duration.ofDays(1))));

        List<CanonicalEvent> out = h.canonicalEvents();
        assertThat(snapshotOf(out.get(0))).containsEntry("plan", "enterprise");
        assertThat(snapshotOf(out.get(1))).containsEntry("plan", "pro");
    }

    @Test
    void deletedProfileStopsStampingFromItsDeletionTime() {
        h.profile(ALICE, "{\"traits\":{\"plan\":\"pro\"}}", T0.minus(Duration.ofDays(2)));
        h.profile(ALICE, null, T0.minus(Duration.ofDays(1)));
        h.send(loginAt("a1b2c3d4-0000-4000-8000-000000000005", T0));

        assertThat(snapshotOf(h.canonicalEvents().get(0))).isNull();
    }

    @Test
    void malformedProfileRecordIsDeadLetteredAndStampingCarriesOn() {
        h.profile(ALICE, "{\"plan\":", T0.minusSeconds(30));
        h.profile(ALICE, "{\"traits\":{\"plan\":\"pro\"}}", T0.minusSeconds(20));
        h.send(EventFixtures.login());

        assertThat(h.deadLetters()).singleElement().satisfies(dl -> {
            assertThat(dl.reason()).isEqualTo(DlqReason.UNPARSEABLE);
            assertThat(dl.source().topic()).isEqualTo("profiles");
            assertThat(new String(dl.originalValue())).isEqualTo("{\"plan\":");
        });
        assertThat(snapshotOf(h.canonicalEvents().get(0))).containsEntry("plan", "pro");
    }
}
