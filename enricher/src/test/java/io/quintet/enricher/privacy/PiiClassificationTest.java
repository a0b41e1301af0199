package io.quintet.enricher.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.plan.TrackingPlan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue #20, item 2: which fields of an event are personal data, per event type, from the plan and the defaults. */
class PiiClassificationTest {
    static final String PROPS = "/context/domain_specific/analytics/properties/";
    static final TrackingPlan PLAN = TrackingPlan.parse("""
            {"name": "t", "version": 1, "events": {
              "support.ticket.created": {"properties": {"name": {"type": "string", "pii": true},
                                                        "email": {"type": "string", "pii": false}}},
              "identity.profile.identified": {"pii_paths": ["entity.details.email", "entity.details.name"]}}}""".getBytes(StandardCharsets.UTF_8), "test");
    final PiiClassification defaults = new PiiClassification(
            PrivacySettings.DEFAULT_PII_PATHS, PrivacySettings.DEFAULT_UNPLANNED_PII_PROPERTIES, PLAN);

    static CanonicalEvent event(String action, Map<String, Object> properties) {
        return CanonicalEvent.builder()
                .id("5f0c6f52-9d7e-4a31-8d6f-0a4b8f1c2d3e")
                .eventTimestamp(Instant.parse("2026-11-02T08:00:00Z"))
                .source("test")
                .action(new Action(action, "other"))
                .actor(Actor.of("user-1", Actor.USER))
                .entity(new Entity("user-1", "user", Map.of("email", "a@example.com")))
                .context(Context.EMPTY.withDomainSpecific(
                        new Context.DomainSpecific(null, new Context.Analytics(properties, null))))
                .build();
    }

    static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void onAnUnplannedTrackEventTheNameIsKeptAndAnEmailIsPersonal() {
        CanonicalEvent purchase = event(
                "commerce.item.purchased",
                props("name", "Leap to Conclusions Mat", "revenue", 14.99, "email", "a@example.com"));

        assertThat(defaults.pointers(purchase))
                .contains(PROPS + "email", "/context/client/ip_address", "/actor/details/email")
                .doesNotContain(PROPS + "name", PROPS + "revenue");
    }

    @Test
    void aPropertyMarkedPiiOnOneEventTypeIsPersonalThereOnly() {
        assertThat(defaults.pointers(event("support.ticket.created", props("name", "Ann Smith"))))
                .contains(PROPS + "name");
        assertThat(defaults.pointers(event("analytics.song.played", props("name", "So What"))))
                .doesNotContain(PROPS + "name");
    }

    @Test
    void piiFalseKeepsAPropertyWhoseNameIsOnTheDefaultList() {
        assertThat(defaults.pointers(event("support.ticket.created", props("email", "support@example.com"))))
                .doesNotContain(PROPS + "email");
    }

    @Test
    void unplannedNamesAreComparedWithoutCaseAndSeparators() {
        CanonicalEvent e =
                event("commerce.order.completed", props("firstName", "Ann", "Last Name", "Smith", "PHONE_NUMBER", "1"));

        assertThat(defaults.pointers(e)).contains(PROPS + "firstName", PROPS + "Last Name", PROPS + "PHONE_NUMBER");
        assertThat(defaults.isPersonalName("firstName")).isTrue();
        assertThat(defaults.isPersonalName("name")).isTrue(); // actor.details.name: never a super-property
        assertThat(defaults.isPersonalName("plan")).isFalse();
    }

    @Test
    void anEventTypesPiiPathsAreAddedToTheEveryEventPaths() {
        assertThat(defaults.pointers(event("identity.profile.identified", Map.of())))
                .contains("/entity/details/email", "/entity/details/name", "/actor/details/email");
        assertThat(defaults.pointers(event("billing.invoice.created", Map.of())))
                .doesNotContain("/entity/details/email");
    }

    @Test
    void aPlanWhosePiiIsNotABooleanIsRefused() {
        assertThatThrownBy(() -> TrackingPlan.parse("""
                {"name": "t", "version": 1, "events": {"a.b.c": {"properties": {"x": {"type": "string", "pii": "yes"}},
                                                               "pii_paths": "entity.details.email"}}}""".getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOfSatisfying(
                        TrackingPlan.InvalidTrackingPlanException.class,
                        e -> assertThat(e.problems())
                                .anyMatch(p -> p.equals("events.a.b.c.properties.x.pii: must be true or false"))
                                .anyMatch(p -> p.startsWith("events.a.b.c.pii_paths")));
    }
}
