package io.quintet.enricher.privacy;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.plan.TrackingPlan;
import io.quintet.model.plan.TrackingPlan.PlannedEvent;
import io.quintet.model.plan.TrackingPlan.PlannedProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which fields of one event hold personal data (JSON pointers), from three sources:
 * <ol>
 *   <li>every event: {@code privacy.pii.paths} (actor details, the client IP address);</li>
 *   <li>the tracking plan, per event type: its properties marked {@code "pii": true} and its {@code pii_paths}
 *       (e.g. the traits of an identify event);</li>
 *   <li>a property the plan does not classify for this event type (an unplanned event, an unplanned property, or a
 *       planned one without {@code pii}): personal when its name is on {@code privacy.pii.unplanned.properties}
 *       (names compared without case and separators: {@code firstName}, {@code first_name} and {@code First Name}
 *       are one name). {@code name} is not on the default list: on a track event it names a product, a song, a
 *       plan; a plan marks it where it names a person.</li>
 * </ol>
 * A property marked {@code "pii": false} on an event type is kept on that type whatever its name. Immutable,
 * thread-safe.
 */
public final class PiiClassification {
    static final String PROPERTIES_POINTER = "/context/domain_specific/analytics/properties/";

    private final List<String> everyEvent;
    private final Set<String> unplannedNames;
    private final TrackingPlan plan;
    /** Per planned event type: every-event pointers, its pii_paths and its properties marked pii. */
    private final Map<String, List<String>> planned = new HashMap<>();
    /** Property names seen, whether they are on the unplanned list (bounded: names are producers' choice). */
    private final Map<String, Boolean> byName = new ConcurrentHashMap<>();

    private static final int MAX_CACHED_NAMES = 10_000;

    public PiiClassification(List<String> everyEventPaths, List<String> unplannedPropertyNames, TrackingPlan plan) {
        this.everyEvent = everyEventPaths.stream().map(PrivacySettings::pointer).toList();
        Set<String> names = new LinkedHashSet<>();
        unplannedPropertyNames.forEach(n -> names.add(normalize(n)));
        this.unplannedNames = Set.copyOf(names);
        this.plan = plan;
        for (PlannedEvent e : plan.events().values()) {
            Set<String> pointers = new LinkedHashSet<>(everyEvent);
            e.piiPaths().forEach(p -> pointers.add(PrivacySettings.pointer(p)));
            e.properties().values().stream()
                    .filter(p -> Boolean.TRUE.equals(p.pii()))
                    .forEach(p -> pointers.add(propertyPointer(p.name())));
            planned.put(e.name(), List.copyOf(pointers));
        }
    }

    /** The pointers of the event's personal data; most are fixed per event type, a few added per property name. */
    public List<String> pointers(CanonicalEvent e) {
        String action = e.action() == null ? null : e.action().name();
        PlannedEvent type = action == null ? null : plan.events().get(action);
        List<String> fixed = type == null ? everyEvent : planned.get(action);
        Map<String, Object> props = e.contextOrEmpty().analyticsProperties();
        if (props.isEmpty()) {
            return fixed;
        }
        List<String> out = null;
        for (String name : props.keySet()) {
            if (!onUnplannedList(name)) {
                continue;
            }
            PlannedProperty p = type == null ? null : type.properties().get(name);
            if (p != null && p.pii() != null) {
                continue; // classified by the plan: already in fixed when true, kept when false
            }
            if (out == null) {
                out = new ArrayList<>(fixed);
            }
            out.add(propertyPointer(name));
        }
        return out == null ? fixed : out;
    }

    /**
     * Every name classified as personal anywhere (last segments of the every-event and planned paths, planned PII
     * properties, the unplanned list, normalized): such a name must never be stamped as a super-property.
     */
    public boolean isPersonalName(String name) {
        String n = normalize(name);
        if (unplannedNames.contains(n)) {
            return true;
        }
        for (List<String> pointers : planned.values()) {
            for (String p : pointers) {
                if (normalize(p.substring(p.lastIndexOf('/') + 1)).equals(n)) {
                    return true;
                }
            }
        }
        return everyEvent.stream()
                .anyMatch(p -> normalize(p.substring(p.lastIndexOf('/') + 1)).equals(n));
    }

    private boolean onUnplannedList(String name) {
        Boolean known = byName.get(name);
        if (known == null) {
            known = unplannedNames.contains(normalize(name));
            if (byName.size() < MAX_CACHED_NAMES) {
                byName.put(name, known);
            }
        }
        return known;
    }

    static String propertyPointer(String name) {
        return PROPERTIES_POINTER + name.replace("~", "~0").replace("/", "~1");
    }

    /** Lower case, letters and digits only. */
    static String normalize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
