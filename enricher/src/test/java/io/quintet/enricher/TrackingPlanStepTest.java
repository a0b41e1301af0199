package io.quintet.enricher;

import static io.quintet.model.fixtures.EventFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.plan.TrackingPlanCheck;
import io.quintet.model.Action;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.plan.TrackingPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 2b, the tracking plan: aliases, required and typed properties, the policies for what the plan does not list. */
class TrackingPlanStepTest {
    @TempDir
    Path state;

    static CanonicalEvent withProps(CanonicalEvent e, String action, Map<String, Object> props) {
        return e.toBuilder()
                .action(new Action(action, e.action().type()))
                .context(e.contextOrEmpty()
                        .withDomainSpecific(new Context.DomainSpecific(null, new Context.Analytics(props, null))))
                .build();
    }

    static EnricherSettings policies(TrackingPlan.UnplannedEvents events, TrackingPlan.UnplannedProperties props) {
        EnricherSettings d = EnricherSettings.defaults();
        return d.withPlan(d.plan().withPolicies(new TrackingPlan.Policies(events, props)));
    }

    private List<CanonicalEvent> run(EnricherSettings s, CanonicalEvent e, List<DeadLetter> dlqOut) {
        try (EnricherHarness h = new EnricherHarness(s, state)) {
            h.send(e);
            dlqOut.addAll(h.deadLetters());
            return h.canonicalEvents();
        }
    }

    @Test
    void legacyEventNameFromTheCatalogueIsRenamedToItsPlannedName() {
        CanonicalEvent legacy = withProps(EventFixtures.login(), "user.login", map("login_method", "sso"));
        List<DeadLetter> dlq = new java.util.ArrayList<>();

        List<CanonicalEvent> out = run(EnricherSettings.defaults(), legacy, dlq);

        assertThat(dlq).isEmpty();
        assertThat(out)
                .singleElement()
                .satisfies(e -> assertThat(e.action().name()).isEqualTo("auth.user.login_succeeded"));
    }

    @Test
    void legacyPropertyNameIsRenamedToThePlannedName() {
        List<DeadLetter> dlq = new java.util.ArrayList<>();
        List<CanonicalEvent> out =
                run(EnricherSettings.defaults(), EventFixtures.login(), dlq); // has "method": "password"

        assertThat(out.get(0).contextOrEmpty().analyticsProperties())
                .containsEntry("login_method", "password")
                .doesNotContainKey("method");
    }

    @Test
    void missingRequiredAndMistypedPropertiesAreTrackingPlanViolationsWithPointers() {
        CanonicalEvent e = withProps(
                EventFixtures.failedWorkflowRun(),
                "ai.model.completed",
                map("input_tokens", "many", "model_name", "gpt-large"));
        List<DeadLetter> dlq = new java.util.ArrayList<>();

        assertThat(run(EnricherSettings.defaults(), e, dlq)).isEmpty();

        DeadLetter dl = dlq.get(0);
        assertThat(dl.reason()).isEqualTo(DlqReason.TRACKING_PLAN_VIOLATION);
        assertThat(dl.pointers())
                .containsExactlyInAnyOrder(
                        "/context/domain_specific/analytics/properties/actual_cost",
                        "/context/domain_specific/analytics/properties/input_tokens");
    }

    @Test
    void valueOutsideThePlannedEnumIsAViolation() {
        CanonicalEvent e =
                withProps(EventFixtures.login(), "auth.user.login_succeeded", map("login_method", "carrier_pigeon"));
        List<DeadLetter> dlq = new java.util.ArrayList<>();

        run(EnricherSettings.defaults(), e, dlq);

        assertThat(dlq)
                .singleElement()
                .satisfies(dl -> assertThat(dl.violations())
                        .singleElement()
                        .satisfies(v -> assertThat(v.keyword()).isEqualTo("enum")));
    }

    @Test
    void unplannedEventIsFlaggedUnderTheFlagPolicy() {
        List<DeadLetter> dlq = new java.util.ArrayList<>();
        List<CanonicalEvent> out = run(
                policies(TrackingPlan.UnplannedEvents.FLAG, TrackingPlan.UnplannedProperties.KEEP),
                EventFixtures.invoiceCreated(),
                dlq);

        assertThat(out.get(0).contextOrEmpty().attributes())
                .containsEntry(TrackingPlanCheck.FLAG_ATTRIBUTE, TrackingPlanCheck.FLAG_VALUE)
                .containsEntry("tenant", "acme");
    }

    @Test
    void unplannedEventPassesUntouchedUnderTheAllowPolicy() {
        List<DeadLetter> dlq = new java.util.ArrayList<>();
        List<CanonicalEvent> out = run(
                policies(TrackingPlan.UnplannedEvents.ALLOW, TrackingPlan.UnplannedProperties.KEEP),
                EventFixtures.invoiceCreated(),
                dlq);

        assertThat(out.get(0).contextOrEmpty().attributes()).doesNotContainKey(TrackingPlanCheck.FLAG_ATTRIBUTE);
    }

    @Test
    void unplannedEventIsDeadLetteredUnderTheRejectPolicy() {
        List<DeadLetter> dlq = new java.util.ArrayList<>();
        List<CanonicalEvent> out = run(
                policies(TrackingPlan.UnplannedEvents.REJECT, TrackingPlan.UnplannedProperties.KEEP),
                EventFixtures.invoiceCreated(),
                dlq);

        assertThat(out).isEmpty();
        assertThat(dlq).singleElement().satisfies(dl -> {
            assertThat(dl.reason()).isEqualTo(DlqReason.TRACKING_PLAN_VIOLATION);
            assertThat(dl.cause()).isEqualTo("unplanned_event");
            assertThat(dl.pointers()).containsExactly("/action/name");
        });
    }

    @Test
    void unplannedPropertiesAreDroppedUnderTheDropPolicyAndKeptOtherwise() {
        CanonicalEvent e = withProps(
                EventFixtures.login(),
                "auth.user.login_succeeded",
                map("login_method", "sso", "favourite_colour", "teal"));
        List<DeadLetter> dlq = new java.util.ArrayList<>();

        List<CanonicalEvent> dropped =
                run(policies(TrackingPlan.UnplannedEvents.FLAG, TrackingPlan.UnplannedProperties.DROP), e, dlq);
        assertThat(dropped.get(0).contextOrEmpty().analyticsProperties()).containsOnlyKeys("login_method");

        state = state.resolve("kept");
        List<CanonicalEvent> kept =
                run(policies(TrackingPlan.UnplannedEvents.FLAG, TrackingPlan.UnplannedProperties.KEEP), e, dlq);
        assertThat(kept.get(0).contextOrEmpty().analyticsProperties()).containsKeys("login_method", "favourite_colour");
    }
}
