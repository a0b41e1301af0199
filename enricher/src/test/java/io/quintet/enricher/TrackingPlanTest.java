package io.quintet.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.model.plan.PropertyType;
import io.quintet.model.plan.TrackingPlan;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tracking plan file: the bundled plan maps the seed catalogue onto Domain.Entity.Action; bad files are refused. */
class TrackingPlanTest {

    @Test
    void bundledPlanMapsTheCatalogueNamesOntoThreeSegmentNames() {
        TrackingPlan plan = TrackingPlan.bundled();

        assertThat(plan.version()).isEqualTo(1);
        assertThat(plan.eventAliases())
                .containsEntry("user.login", "auth.user.login_succeeded")
                .containsEntry("workflow.execution_failed", "workflow.execution.failed")
                .containsEntry("ai.model_completed", "ai.model.completed")
                .containsEntry("integration.sync_failed", "integration.sync.failed")
                .containsEntry("security.suspicious_activity", "security.suspicious_activity.detected")
                .containsEntry("business.revenue_generated", "business.revenue.generated");
        assertThat(plan.events()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(plan.policies().unplannedEvents()).isEqualTo(TrackingPlan.UnplannedEvents.FLAG);
        assertThat(plan.event("business.revenue.generated"))
                .hasValueSatisfying(
                        e -> assertThat(e.properties().get("revenue_amount").required())
                                .isTrue());
    }

    @Test
    void everyProblemOfABadPlanIsReportedAtOnce() {
        String bad = """
                {"name": "p", "version": 0, "policies": {"unplanned_events": "maybe"},
                 "events": {
                   "Billing.invoice": {"properties": {"amount": {"type": "money"}}},
                   "billing.invoice.created": {"aliases": ["invoice_created"]},
                   "billing.invoice.issued": {"aliases": ["invoice_created"]}
                 }}""";

        assertThatThrownBy(() -> TrackingPlan.parse(bad.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOfSatisfying(
                        TrackingPlan.InvalidTrackingPlanException.class,
                        e -> assertThat(e.problems())
                                .anyMatch(p -> p.startsWith("version"))
                                .anyMatch(p -> p.startsWith("policies.unplanned_events"))
                                .anyMatch(p -> p.startsWith("events.Billing.invoice:"))
                                .anyMatch(p -> p.contains(".type: unknown property type 'money'"))
                                .anyMatch(p ->
                                        p.contains("'invoice_created' is already used by billing.invoice.created")));
    }

    @Test
    void propertyTypesAcceptWhatJsonMapsTo() {
        assertThat(PropertyType.INTEGER.accepts(42)).isTrue();
        assertThat(PropertyType.INTEGER.accepts(new BigDecimal("42.0"))).isTrue();
        assertThat(PropertyType.INTEGER.accepts(new BigDecimal("42.5"))).isFalse();
        assertThat(PropertyType.NUMBER.accepts(new BigDecimal("42.5"))).isTrue();
        assertThat(PropertyType.DATE_TIME.accepts("2026-11-02T09:15:30Z")).isTrue();
        assertThat(PropertyType.DATE_TIME.accepts("yesterday")).isFalse();
        assertThat(PropertyType.STRING.accepts(1)).isFalse();
    }
}
