package io.quintet.enricher.plan;

import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.dlq.Rejection;
import io.quintet.enricher.pipeline.Checked;
import io.quintet.enricher.pipeline.Events;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.schema.CanonicalSchema.Violation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step 2b, the tracking plan. An event type the plan does not list is let through, let through with the attribute
 * {@value #FLAG_ATTRIBUTE} = {@value #FLAG_VALUE}, or rejected, as the plan's policy says. For a planned event:
 * legacy property names are renamed, required properties must be present, every planned property present must
 * have its type (and one of its allowed values when the plan lists them), and unplanned properties are kept or
 * dropped. Violations are {@code tracking_plan_violation}, each with the JSON pointer of the property.
 * Thread-safe.
 */
public final class TrackingPlanCheck {
    public static final String PROPERTIES_POINTER = "/context/domain_specific/analytics/properties";
    public static final String FLAG_ATTRIBUTE = "quintet.tracking_plan";
    public static final String FLAG_VALUE = "unplanned";

    private final TrackingPlan plan;
    private final EnricherTelemetry telemetry;

    public TrackingPlanCheck(TrackingPlan plan, EnricherTelemetry telemetry) {
        this.plan = plan;
        this.telemetry = telemetry;
    }

    public Checked check(Checked in) {
        if (in.isRejected()) {
            return in;
        }
        CanonicalEvent event = in.event();
        String name = event.action().name();
        Optional<TrackingPlan.PlannedEvent> planned = plan.event(name);
        if (planned.isEmpty()) {
            return switch (plan.policies().unplannedEvents()) {
                case ALLOW -> in;
                case FLAG -> {
                    telemetry.flaggedUnplanned();
                    Map<String, Object> attributes = new LinkedHashMap<>();
                    if (event.contextOrEmpty().attributes() != null) {
                        attributes.putAll(event.contextOrEmpty().attributes());
                    }
                    attributes.put(FLAG_ATTRIBUTE, FLAG_VALUE);
                    yield in.withEvent(event.withContext(event.contextOrEmpty().withAttributes(attributes)));
                }
                case REJECT -> in.reject(Rejection.atPointer(DlqReason.TRACKING_PLAN_VIOLATION, "unplanned_event",
                        "/action/name", "tracking_plan", "event type '" + name + "' is not in tracking plan "
                                + plan.name() + " v" + plan.version() + " and the plan rejects unplanned events"));
            };
        }
        return checkProperties(in, planned.get());
    }

    private Checked checkProperties(Checked in, TrackingPlan.PlannedEvent planned) {
        CanonicalEvent event = in.event();
        Map<String, Object> original = event.contextOrEmpty().analyticsProperties();
        Map<String, Object> props = new LinkedHashMap<>(original);
        List<Violation> violations = new ArrayList<>();
        boolean changed = false;
        for (TrackingPlan.PlannedProperty p : planned.properties().values()) {
            for (String alias : p.aliases()) {
                if (props.containsKey(alias)) {
                    if (props.containsKey(p.name())) {
                        violations.add(new Violation(pointer(alias), "alias", "property '" + alias
                                + "' is a legacy name of '" + p.name() + "' and both are present"));
                    } else {
                        props.put(p.name(), props.remove(alias));
                        changed = true;
                    }
                }
            }
            Object value = props.get(p.name());
            if (value == null) {
                if (p.required()) {
                    violations.add(new Violation(pointer(p.name()), "required", "required property '" + p.name()
                            + "' of " + planned.name() + " is missing"));
                }
            } else if (!p.type().accepts(value)) {
                violations.add(new Violation(pointer(p.name()), "type", "property '" + p.name() + "' must be of type "
                        + p.type().code()));
            } else if (!p.allowedValues().isEmpty() && !p.allowedValues().contains(String.valueOf(value))) {
                violations.add(new Violation(pointer(p.name()), "enum", "property '" + p.name()
                        + "' must be one of " + p.allowedValues()));
            }
        }
        if (!violations.isEmpty()) {
            return in.reject(new Rejection(DlqReason.TRACKING_PLAN_VIOLATION, "property_violation",
                    violations.size() + " propert" + (violations.size() == 1 ? "y breaks" : "ies break") + " tracking plan "
                            + plan.name() + " v" + plan.version() + " for " + planned.name(), violations));
        }
        if (plan.policies().unplannedProperties() == TrackingPlan.UnplannedProperties.DROP) {
            changed |= props.keySet().removeIf(k -> !planned.properties().containsKey(k));
        }
        if (!changed) {
            return in;
        }
        return in.withEvent(Events.withAnalyticsProperties(event, props.isEmpty() && original.isEmpty() ? null : props));
    }

    private static String pointer(String property) {
        return PROPERTIES_POINTER + "/" + Events.pointerToken(property);
    }
}
