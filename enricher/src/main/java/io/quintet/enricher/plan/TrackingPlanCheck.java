package io.quintet.enricher.plan;

import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.dlq.Rejection;
import io.quintet.enricher.pipeline.Checked;
import io.quintet.enricher.pipeline.Events;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.plan.TrackingPlan;
import io.quintet.model.plan.TrackingPlanRules;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step 2b, the tracking plan: applies {@link TrackingPlanRules}' verdict (event-model, shared with the gateway's
 * strict mode). An unplanned event type under the {@code flag} policy gets the attribute {@value #FLAG_ATTRIBUTE} =
 * {@value #FLAG_VALUE} (counted); renamed or dropped properties are written back; a rejection is
 * {@code tracking_plan_violation}, each violation with the JSON pointer of the property. Thread-safe.
 */
public final class TrackingPlanCheck {
    public static final String PROPERTIES_POINTER = TrackingPlanRules.PROPERTIES_POINTER;
    public static final String FLAG_ATTRIBUTE = "quintet.tracking_plan";
    public static final String FLAG_VALUE = "unplanned";

    private final TrackingPlanRules rules;
    private final EnricherTelemetry telemetry;

    public TrackingPlanCheck(TrackingPlan plan, EnricherTelemetry telemetry) {
        this.rules = new TrackingPlanRules(plan);
        this.telemetry = telemetry;
    }

    public Checked check(Checked in) {
        if (in.isRejected()) {
            return in;
        }
        CanonicalEvent event = in.event();
        TrackingPlanRules.Verdict v = rules.check(event);
        if (v.isRejected()) {
            return in.reject(
                    new Rejection(DlqReason.TRACKING_PLAN_VIOLATION, v.rejected(), v.message(), v.violations()));
        }
        if (v.flagged()) {
            telemetry.flaggedUnplanned();
            Map<String, Object> attributes = new LinkedHashMap<>();
            if (event.contextOrEmpty().attributes() != null) {
                attributes.putAll(event.contextOrEmpty().attributes());
            }
            attributes.put(FLAG_ATTRIBUTE, FLAG_VALUE);
            return in.withEvent(event.withContext(event.contextOrEmpty().withAttributes(attributes)));
        }
        if (v.properties() != null) {
            return in.withEvent(Events.withAnalyticsProperties(event, v.properties()));
        }
        return in;
    }
}
