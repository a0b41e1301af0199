package io.quintet.model.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.ActionName;
import io.quintet.model.InvalidActionNameException;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A versioned tracking plan: the event types the organisation has agreed to send, their analytics properties
 * ({@code context.domain_specific.analytics.properties}) with types, which are required, which are personal data
 * ({@code pii}), legacy aliases of event and property names, further personal-data paths of each event
 * ({@code pii_paths}), and the plan's policies for what it does not list. Loaded from JSON (the bundled
 * {@value #RESOURCE}, or a file); every problem in the file is reported at once.
 */
public record TrackingPlan(String name, int version, Policies policies, Map<String, PlannedEvent> events) {
    public static final String RESOURCE = "/io/quintet/model/plan/tracking-plan.json";

    public TrackingPlan {
        events = Collections.unmodifiableMap(new LinkedHashMap<>(events));
    }

    /** What to do with an event type the plan does not list. */
    public enum UnplannedEvents {
        ALLOW,
        FLAG,
        REJECT
    }

    /** What to do with a property a planned event does not list. */
    public enum UnplannedProperties {
        KEEP,
        DROP
    }

    public record Policies(UnplannedEvents unplannedEvents, UnplannedProperties unplannedProperties) {}

    /**
     * @param piiPaths fields of this event, outside its analytics properties, that hold personal data (dotted paths
     *                 or JSON pointers, as {@code privacy.pii.paths}): e.g. the traits of an identify event
     */
    public record PlannedEvent(
            String name,
            String description,
            List<String> aliases,
            Map<String, PlannedProperty> properties,
            List<String> piiPaths) {
        public PlannedEvent {
            aliases = List.copyOf(aliases);
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            piiPaths = List.copyOf(piiPaths);
        }
    }

    /**
     * @param pii whether the property holds personal data on this event: true, false, or null when the plan does not
     *            say (then the default list of personal property names decides, as for unplanned properties)
     */
    public record PlannedProperty(
            String name,
            PropertyType type,
            boolean required,
            List<String> aliases,
            List<String> allowedValues,
            Boolean pii) {
        public PlannedProperty {
            aliases = List.copyOf(aliases);
            allowedValues = List.copyOf(allowedValues);
        }
    }

    public Optional<PlannedEvent> event(String actionName) {
        return Optional.ofNullable(events.get(actionName));
    }

    /** Legacy event name to planned name. */
    public Map<String, String> eventAliases() {
        Map<String, String> out = new LinkedHashMap<>();
        events.values().forEach(e -> e.aliases().forEach(a -> out.put(a, e.name())));
        return out;
    }

    public TrackingPlan withPolicies(Policies p) {
        return new TrackingPlan(name, version, p, events);
    }

    /** The plan Quintet ships (built from the analytics events catalogue, seed 003). */
    public static TrackingPlan bundled() {
        try (InputStream in = TrackingPlan.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "tracking plan resource " + RESOURCE + " is missing from the class path");
            }
            return parse(in.readAllBytes(), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("tracking plan resource " + RESOURCE + " could not be read", e);
        }
    }

    public static TrackingPlan load(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new InvalidTrackingPlanException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
        }
    }

    public static TrackingPlan parse(byte[] json, String origin) {
        ObjectMapper mapper = CanonicalJson.newMapper();
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            throw new InvalidTrackingPlanException(origin, List.of("not well-formed JSON"));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new InvalidTrackingPlanException(origin, List.of("the plan must be a JSON object"));
        }
        String name = root.path("name").asText("");
        if (name.isEmpty()) {
            problems.add("name: missing");
        }
        int version = root.path("version").asInt(-1);
        if (!root.path("version").isInt() || version < 1) {
            problems.add("version: must be a positive integer");
        }
        Policies policies = new Policies(
                enumValue(
                        root.at("/policies/unplanned_events"),
                        UnplannedEvents.class,
                        UnplannedEvents.FLAG,
                        "policies.unplanned_events",
                        problems),
                enumValue(
                        root.at("/policies/unplanned_properties"),
                        UnplannedProperties.class,
                        UnplannedProperties.KEEP,
                        "policies.unplanned_properties",
                        problems));
        Map<String, PlannedEvent> events = new LinkedHashMap<>();
        Map<String, String> seenNames = new LinkedHashMap<>();
        JsonNode eventsNode = root.path("events");
        if (!eventsNode.isObject()) {
            problems.add("events: must be an object keyed by Domain.Entity.Action name");
        }
        eventsNode.properties().forEach(en -> {
            String eventName = en.getKey();
            String where = "events." + eventName;
            try {
                ActionName.parse(eventName);
            } catch (InvalidActionNameException e) {
                problems.add(where + ": " + e.getMessage());
            }
            claim(seenNames, eventName, eventName, where, problems);
            List<String> aliases = strings(en.getValue().path("aliases"), where + ".aliases", problems);
            aliases.forEach(a -> claim(seenNames, a, eventName, where + ".aliases", problems));
            Map<String, PlannedProperty> props = new LinkedHashMap<>();
            Map<String, String> seenProps = new LinkedHashMap<>();
            en.getValue().path("properties").properties().forEach(p -> {
                String pw = where + ".properties." + p.getKey();
                PropertyType type = null;
                try {
                    type = PropertyType.fromCode(p.getValue().path("type").asText(""));
                } catch (IllegalArgumentException e) {
                    problems.add(pw + ".type: " + e.getMessage());
                }
                List<String> propAliases = strings(p.getValue().path("aliases"), pw + ".aliases", problems);
                claim(seenProps, p.getKey(), p.getKey(), pw, problems);
                propAliases.forEach(a -> claim(seenProps, a, p.getKey(), pw + ".aliases", problems));
                JsonNode pii = p.getValue().path("pii");
                if (!pii.isMissingNode() && !pii.isBoolean()) {
                    problems.add(pw + ".pii: must be true or false");
                }
                props.put(
                        p.getKey(),
                        new PlannedProperty(
                                p.getKey(),
                                type,
                                p.getValue().path("required").asBoolean(false),
                                propAliases,
                                strings(p.getValue().path("enum"), pw + ".enum", problems),
                                pii.isBoolean() ? pii.asBoolean() : null));
            });
            List<String> piiPaths = strings(en.getValue().path("pii_paths"), where + ".pii_paths", problems);
            if (piiPaths.stream().anyMatch(String::isBlank)) {
                problems.add(where + ".pii_paths: a path is empty");
            }
            events.put(
                    eventName,
                    new PlannedEvent(
                            eventName, en.getValue().path("description").asText(""), aliases, props, piiPaths));
        });
        if (!problems.isEmpty()) {
            throw new InvalidTrackingPlanException(origin, problems);
        }
        return new TrackingPlan(name, version, policies, events);
    }

    private static void claim(
            Map<String, String> seen, String name, String owner, String where, List<String> problems) {
        String previous = seen.putIfAbsent(name, owner);
        if (previous != null) {
            problems.add(where + ": '" + name + "' is already used by " + previous);
        }
    }

    private static List<String> strings(JsonNode node, String where, List<String> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (!node.isArray()) {
            problems.add(where + ": must be an array of strings");
            return out;
        }
        node.forEach(n -> {
            if (n.isTextual()) {
                out.add(n.asText());
            } else {
                problems.add(where + ": must be an array of strings");
            }
        });
        return out;
    }

    private static <E extends Enum<E>> E enumValue(
            JsonNode node, Class<E> type, E dflt, String where, List<String> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, node.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": '" + node.asText() + "' is not one of "
                    + List.of(type.getEnumConstants()).toString().toLowerCase(Locale.ROOT));
            return dflt;
        }
    }

    /** Every problem of a tracking plan file. */
    public static final class InvalidTrackingPlanException extends RuntimeException {
        private final List<String> problems;

        public InvalidTrackingPlanException(String origin, List<String> problems) {
            super("invalid tracking plan " + origin + ":\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
