package io.quintet.enricher;

import static io.quintet.model.fixtures.EventFixtures.ALICE;
import static io.quintet.model.fixtures.EventFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.pipeline.Events;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.fixtures.EventFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 5's profile side: Segment identify calls are partial updates merged into the actor's profile as of their event
 * time (late ones included), group calls put the group and its traits on the actor's profile.
 */
class ProfileChangesTest {
    private static final Instant T1 = T0.minus(Duration.ofDays(3));
    private static final Instant T2 = T0.minus(Duration.ofDays(2));
    private static final Instant T3 = T0.minus(Duration.ofDays(1));

    @TempDir
    Path state;

    EnricherHarness h;

    @BeforeEach
    void start() {
        h = new EnricherHarness(
                EnricherSettings.defaults()
                        .withSuperPropertyTraits(
                                List.of("plan", "company", "role", "country", "group_id", "group.plan")),
                state);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aLaterIdentifyWithPlanKeepsTheEarlierCompany() {
        identify("{\"company\":\"acme\",\"plan\":\"free\"}", T1);
        identify("{\"plan\":\"pro\"}", T2);

        assertThat(stampedAt(T0)).isEqualTo(Map.of("company", "acme", "plan", "pro"));
        assertThat(stampedAt(T1.plusSeconds(1))).isEqualTo(Map.of("company", "acme", "plan", "free"));
    }

    @Test
    void aLateIdentifyBetweenTwoVersionsFlowsForwardWithoutOverwritingNewerValues() {
        identify("{\"plan\":\"free\"}", T1);
        identify("{\"plan\":\"enterprise\"}", T3);
        identify("{\"plan\":\"pro\",\"company\":\"acme\"}", T2); // happened between the two, arrives last

        assertThat(stampedAt(T1.plusSeconds(1))).isEqualTo(Map.of("plan", "free"));
        assertThat(stampedAt(T2.plusSeconds(1))).isEqualTo(Map.of("plan", "pro", "company", "acme"));
        // the newer plan stays; the company, set earlier and never changed since, is part of the newer profile too
        assertThat(stampedAt(T0)).isEqualTo(Map.of("plan", "enterprise", "company", "acme"));
    }

    @Test
    void updatesInAnyArrivalOrderGiveTheSameProfilesAsInEventTimeOrder() {
        identify("{\"role\":\"admin\"}", T3);
        identify("{\"country\":\"DE\",\"plan\":\"pro\"}", T2);
        identify("{\"plan\":\"free\",\"company\":\"acme\"}", T1);

        assertThat(stampedAt(T1.plusSeconds(1))).isEqualTo(Map.of("plan", "free", "company", "acme"));
        assertThat(stampedAt(T2.plusSeconds(1))).isEqualTo(Map.of("plan", "pro", "company", "acme", "country", "DE"));
        assertThat(stampedAt(T0)).isEqualTo(Map.of("plan", "pro", "company", "acme", "country", "DE", "role", "admin"));
    }

    @Test
    void aLateChangeDoesNotReachPastADeletion() {
        identify("{\"company\":\"acme\"}", T1);
        h.profile(ALICE, null, T3); // profile deleted (e.g. erasure)
        identify("{\"plan\":\"pro\"}", T3.plus(Duration.ofHours(1)));
        identify("{\"role\":\"admin\"}", T2); // late, before the deletion

        assertThat(stampedAt(T2.plusSeconds(1))).isEqualTo(Map.of("company", "acme", "role", "admin"));
        assertThat(stampedAt(T3.plusSeconds(1))).isNull();
        assertThat(stampedAt(T0)).isEqualTo(Map.of("plan", "pro"));
    }

    @Test
    void aNullTraitRemovesItAndACompleteTraitsRecordReplacesTheProfile() {
        identify("{\"role\":\"admin\",\"plan\":\"pro\"}", T1);
        identify("{\"role\":null}", T2);
        h.profile(ALICE, "{\"traits\":{\"country\":\"FR\"}}", T3);

        assertThat(stampedAt(T2.plusSeconds(1))).isEqualTo(Map.of("plan", "pro"));
        assertThat(stampedAt(T0)).isEqualTo(Map.of("country", "FR"));
    }

    @Test
    void twoIdentifyCallsAtTheSameTimeAreBothApplied() {
        identify("{\"plan\":\"pro\"}", T2);
        identify("{\"country\":\"DE\"}", T2);

        assertThat(stampedAt(T0)).isEqualTo(Map.of("plan", "pro", "country", "DE"));
    }

    @Test
    void aGroupCallIsAcceptedAndItsIdAndAllowListedTraitsAreStamped() {
        identify("{\"plan\":\"free\"}", T1);
        group("acme-corp", "{\"plan\":\"enterprise\",\"industry\":\"retail\"}", T2);

        assertThat(h.deadLetters()).isEmpty();
        assertThat(stampedAt(T0))
                .isEqualTo(Map.of("plan", "free", "group_id", "acme-corp", "group.plan", "enterprise"));
        assertThat(stampedAt(T1.plusSeconds(1))).isEqualTo(Map.of("plan", "free"));
    }

    @Test
    void groupTraitsMergeWithinAGroupAndAnotherGroupReplacesThem() {
        group("acme-corp", "{\"plan\":\"enterprise\"}", T1);
        group("acme-corp", "{\"employees\":120}", T2); // partial: keeps the group's plan
        group("globex", "{}", T3); // moved to another group: acme's traits are not globex's

        assertThat(stampedAt(T2.plusSeconds(1))).isEqualTo(Map.of("group_id", "acme-corp", "group.plan", "enterprise"));
        assertThat(stampedAt(T0)).isEqualTo(Map.of("group_id", "globex"));
    }

    private void identify(String traits, Instant at) {
        h.profile(ALICE, profileEvent("identity.profile.identified", ALICE, "user", traits, at), at);
    }

    private void group(String groupId, String traits, Instant at) {
        h.profile(ALICE, profileEvent("identity.group.associated", groupId, "group", traits, at), at);
    }

    /** What the ingest gateway writes to profiles for a Segment identify / group call (a binary-mode CloudEvent's data). */
    private static String profileEvent(String action, String entityId, String entityType, String details, Instant at) {
        return """
                {"id":"%s","event_timestamp":"%s","source":"web-app","spec_version":"2.0",
                 "action":{"name":"%s","type":"update"},"actor":{"id":"%s","type":"user"},
                 "entity":{"id":"%s","type":"%s","details":%s}}""".formatted(UUID.randomUUID(), at, action, ALICE, entityId, entityType, details);
    }

    private Map<String, Object> stampedAt(Instant at) {
        h.send(
                EventFixtures.login().toBuilder()
                        .id(UUID.randomUUID().toString())
                        .eventTimestamp(at)
                        .observedTimestamp(at)
                        .build(),
                T0.plusSeconds(1));
        List<CanonicalEvent> out = h.canonicalEvents();
        assertThat(out).hasSize(1);
        return Events.userStateSnapshot(out.get(0));
    }
}
