package io.quintet.model.plan;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.schema.CanonicalSchema.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tracking plan's verdict on one event, the same wherever it is asked: by the enricher (which then applies it:
 * flag, rename, drop, or dead-letter) and by the gateway in strict mode (which refuses with 422 what the enricher
 * would dead-letter). An event type the plan does not list is allowed, flagged, or rejected as the plan's policy
 * says (a legacy name is read as the planned one). For a planned event: legacy property names are renamed,
 * required properties must be present, every planned property present must have its type (and one of its allowed
 * values when the plan lists them), and unplanned properties are kept or dropped. Thread-safe.
 */
public final class TrackingPlanRules {
    public static final String PROPERTIES_POINTER = "/context/domain_specific/analytics/properties";

    private final TrackingPlan plan;
    private final Map<String, String> eventAliases;

    public TrackingPlanRules(TrackingPlan plan) {
        this.plan = plan;
        this.eventAliases = plan.eventAliases();
    }

    /**
     * The verdict.
     *
     * @param rejected   null when the event passes; else the dead letter's cause ({@code unplanned_event},
     *                   {@code property_violation})
     * @param message    what was wrong, for humans (never quotes a property's value)
     * @param violations each failing field's JSON pointer, keyword and message
     * @param flagged    an unplanned event type under the {@code flag} policy
     * @param properties the analytics properties after renames and drops; null when unchanged
     */
    public record Verdict(
            String rejected,
            String message,
            List<Violation> violations,
            boolean flagged,
            Map<String, Object> properties) {
        static final Verdict PASS = new Verdict(null, null, List.of(), false, null);

        public boolean isRejected() {
            return rejected != null;
        }
    }

    public TrackingPlan plan() {
        return plan;
    }

    public Verdict check(CanonicalEvent event) {
        String name = event.action() == null ? null : event.action().name();
        Optional<TrackingPlan.PlannedEvent> planned =
                name == null ? Optional.empty() : plan.event(eventAliases.getOrDefault(name, name));
        if (planned.isEmpty()) {
            return switch (plan.policies().unplannedEvents()) {
                case ALLOW -> Verdict.PASS;
                case FLAG -> new Verdict(null, null, List.of(), true, null);
                case REJECT -> {
                    String message = "event type '" + name + "' is not in tracking plan " + plan.name() + " v"
                            + plan.version() + " and the plan rejects unplanned events";
                    yield new Verdict(
                            "unplanned_event",
                            message,
                            List.of(new Violation("/action/name", "tracking_plan", message)),
                            false,
                            null);
                }
            };
        }
        return checkProperties(event, planned.get());
    }

    private Verdict checkProperties(CanonicalEvent event, TrackingPlan.PlannedEvent planned) {
        Map<String, Object> original = event.contextOrEmpty().analyticsProperties();
        Map<String, Object> props = new LinkedHashMap<>(original);
        List<Violation> violations = new ArrayList<>();
        boolean changed = false;
        for (TrackingPlan.PlannedProperty p : planned.properties().values()) {
            for (String alias : p.aliases()) {
                if (props.containsKey(alias)) {
                    if (props.containsKey(p.name())) {
                        violations.add(new Violation(
                                pointer(alias),
                                "alias",
                                "property '" + alias + "' is a legacy name of '" + p.name()
                                        + "' and both are present"));
                    } else {
                        props.put(p.name(), props.remove(alias));
                        changed = true;
                    }
                }
            }
            Object value = props.get(p.name());
            if (value == null) {
                if (p.required()) {
                    violations.add(new Violation(
                            pointer(p.name()),
                            "required",
                            "required property '" + p.name() + "' of " + planned.name() + " is missing"));
                }
            } else if (!p.type().accepts(value)) {
                violations.add(new Violation(
                        pointer(p.name()),
                        "type",
                        "property '" + p.name() + "' must be of type "
                                + p.type().code()));
            } else if (!p.allowedValues().isEmpty() && !p.allowedValues().contains(String.valueOf(value))) {
                violations.add(new Violation(
                        pointer(p.name()), "enum", "property '" + p.name() + "' must be one of " + p.allowedValues()));
            }
        }
        if (!violations.isEmpty()) {
            return new Verdict(
                    "property_violation",
                    violations.size() + " propert" + (violations.size() == 1 ? "y breaks" : "ies break")
                            + " tracking plan " + plan.name() + " v" + plan.version() + " for " + planned.name(),
                    violations,
                    false,
                    null);
        }
        if (plan.policies().unplannedProperties() == TrackingPlan.UnplannedProperties.DROP) {
            changed |= props.keySet().removeIf(k -> !planned.properties().containsKey(k));
        }
        if (!changed) {
            return Verdict.PASS;
        }
        return new Verdict(null, null, List.of(), false, props.isEmpty() && original.isEmpty() ? null : props);
    }

    private static String pointer(String property) {
        return PROPERTIES_POINTER + "/" + property.replace("~", "~0").replace("/", "~1");
    }
}
