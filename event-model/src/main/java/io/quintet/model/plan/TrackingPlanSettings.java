package io.quintet.model.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The tracking plan settings every service that applies the plan shares (the enricher; the gateway in strict mode):
 * names, defaults and documentation defined once, and the plan they select.
 */
public final class TrackingPlanSettings {
    public static final String PLAN_FILE = "tracking.plan.file";
    public static final String PLAN_UNPLANNED_EVENTS = "tracking.plan.unplanned.events";
    public static final String PLAN_UNPLANNED_PROPERTIES = "tracking.plan.unplanned.properties";

    private TrackingPlanSettings() {}

    public static ConfigDef define(ConfigDef def) {
        return def.define(
                        PLAN_FILE,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "tracking plan JSON file; empty = the bundled plan")
                .define(
                        PLAN_UNPLANNED_EVENTS,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.ValidString.in("", "allow", "flag", "reject"),
                        ConfigDef.Importance.MEDIUM,
                        "override of the plan's policy for unplanned event types: allow, flag or reject")
                .define(
                        PLAN_UNPLANNED_PROPERTIES,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.ValidString.in("", "keep", "drop"),
                        ConfigDef.Importance.MEDIUM,
                        "override of the plan's policy for unplanned properties: keep or drop");
    }

    /**
     * The configured plan (the file, or the bundled plan) with the policy overrides; null after adding the plan
     * file's problems to {@code problems}.
     */
    public static TrackingPlan load(Map<String, ?> values, List<String> problems) {
        String planFile = (String) values.get(PLAN_FILE);
        TrackingPlan plan;
        try {
            plan = planFile.isBlank() ? TrackingPlan.bundled() : TrackingPlan.load(Path.of(planFile));
        } catch (TrackingPlan.InvalidTrackingPlanException e) {
            e.problems().forEach(p -> problems.add(PLAN_FILE + ": " + p));
            return null;
        }
        String events = (String) values.get(PLAN_UNPLANNED_EVENTS);
        String props = (String) values.get(PLAN_UNPLANNED_PROPERTIES);
        if (!events.isEmpty() || !props.isEmpty()) {
            plan = plan.withPolicies(new TrackingPlan.Policies(
                    events.isEmpty()
                            ? plan.policies().unplannedEvents()
                            : TrackingPlan.UnplannedEvents.valueOf(events.toUpperCase(Locale.ROOT)),
                    props.isEmpty()
                            ? plan.policies().unplannedProperties()
                            : TrackingPlan.UnplannedProperties.valueOf(props.toUpperCase(Locale.ROOT))));
        }
        return plan;
    }
}
