package io.quintet.gateway.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.auth.WriteKey;
import io.quintet.model.ActionName;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.InvalidActionNameException;
import io.quintet.model.OrganizationId;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.plan.TrackingPlanRules;
import io.quintet.model.schema.CanonicalSchema;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks one (completed) event at the edge, cheapest checks first, and maps it to the canonical model:
 * <ol>
 *   <li>the write key may emit the event's {@code source} (403 otherwise);</li>
 *   <li>{@code organization_id}: well-formed ({@link OrganizationId}, 422 otherwise); for a key bound to an
 *       organisation, stamped when absent and refused (403) when it names another organisation;</li>
 *   <li>nesting depth and properties per object (the gateway's own guards on what it parses);</li>
 *   <li>{@code action.name} is Domain.Entity.Action (the message names the offending segment);</li>
 *   <li>the canonical JSON Schema (types, formats, enums), each violation with its JSON pointer, unless disabled;</li>
 *   <li>the required fields and closed enumerations (always, also without the schema);</li>
 *   <li>the event limits shared with the enricher ({@link EventLimits#checkEvent}: analytics properties,
 *       attributes);</li>
 *   <li>{@code event_timestamp} not too far in the future nor too old;</li>
 *   <li>in strict mode, the tracking plan ({@link TrackingPlanRules}, the enricher's verdict).</li>
 * </ol>
 * The record size limit ({@link EventLimits#checkRecord}) is checked by the sink on the record it is about to write,
 * the same bytes the enricher measures. Without strict mode the tracking plan is left to the enricher. Thread-safe.
 */
public final class EdgeValidator {
    private final Limits limits;
    private final CanonicalSchema schema;
    private final TrackingPlanRules plan;
    private final ObjectMapper mapper = CanonicalJson.newMapper();

    /** @param schema the canonical JSON Schema, or null to check only the required fields (the enricher checks all) */
    public EdgeValidator(Limits limits, CanonicalSchema schema) {
        this(limits, schema, null);
    }

    /** @param plan strict mode: the tracking plan's rules, as the enricher applies them; null to leave them to it */
    public EdgeValidator(Limits limits, CanonicalSchema schema, TrackingPlanRules plan) {
        this.limits = limits;
        this.schema = schema;
        this.plan = plan;
    }

    /** The outcome of validating one event. */
    public sealed interface Result {}

    /** A valid event. */
    public record Valid(CanonicalEvent event) implements Result {}

    public record Invalid(Rejection rejection) implements Result {}

    public Result validate(ObjectNode event, WriteKey key, Instant receivedAt) {
        JsonNode source = event.get("source");
        if (source != null && source.isTextual() && !key.allows(source.asText())) {
            return new Invalid(Rejection.at(
                    ErrorCode.FORBIDDEN_SOURCE,
                    "/source",
                    "write key '" + key.id() + "' may not publish events of source '" + source.asText() + "'"));
        }
        Rejection organization = checkOrganization(event, key);
        if (organization != null) {
            return new Invalid(organization);
        }
        Rejection structural = checkStructure(event);
        if (structural != null) {
            return new Invalid(structural);
        }
        JsonNode name = event.path("action").path("name");
        if (name.isTextual()) {
            try {
                ActionName.parse(name.asText());
            } catch (InvalidActionNameException e) {
                return new Invalid(Rejection.at(ErrorCode.INVALID_ACTION_NAME, "/action/name", e.getMessage()));
            }
        }
        if (schema != null) {
            byte[] json;
            try {
                json = mapper.writeValueAsBytes(event);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("a parsed JSON tree could not be written back", e);
            }
            List<CanonicalSchema.Violation> violations = schema.validate(json);
            if (!violations.isEmpty()) {
                List<FieldError> errors = violations.stream()
                        .map(v -> new FieldError(v.pointer(), v.message()))
                        .toList();
                return new Invalid(invalid(errors));
            }
        }
        CanonicalEvent canonical;
        try {
            canonical = CanonicalJson.fromTree(event);
        } catch (EventDecodingException e) {
            return new Invalid(Rejection.at(ErrorCode.INVALID_EVENT, "/", e.getMessage()));
        }
        List<FieldError> missing = RequiredFields.check(canonical);
        if (!missing.isEmpty()) {
            return new Invalid(invalid(missing));
        }
        EventLimits.Violation overLimit = limits.event().checkEvent(canonical);
        if (overLimit != null) {
            return new Invalid(Rejection.of(overLimit));
        }
        Rejection time = checkTime(canonical.eventTimestamp(), receivedAt);
        if (time != null) {
            return new Invalid(time);
        }
        if (plan != null) {
            TrackingPlanRules.Verdict verdict = plan.check(canonical);
            if (verdict.isRejected()) {
                List<FieldError> errors = verdict.violations().stream()
                        .map(v -> new FieldError(v.pointer(), v.message()))
                        .toList();
                return new Invalid(new Rejection(ErrorCode.TRACKING_PLAN_VIOLATION, verdict.message(), errors));
            }
        }
        return new Valid(canonical);
    }

    /**
     * The tenant: a present {@code organization_id} must be well-formed and, for a key bound to an organisation, be
     * that organisation; a bound key stamps its organisation on an event without one. Null when the event may pass.
     */
    private static Rejection checkOrganization(ObjectNode event, WriteKey key) {
        JsonNode given = event.get(OrganizationId.FIELD);
        if (given == null || given.isNull()) {
            if (key.organizationId() != null) {
                event.put(OrganizationId.FIELD, key.organizationId());
            }
            return null;
        }
        if (!given.isTextual() || !OrganizationId.isValid(given.asText())) {
            return Rejection.at(
                    ErrorCode.INVALID_EVENT,
                    "/" + OrganizationId.FIELD,
                    "organization_id "
                            + given + " is not an organization id: 1-" + OrganizationId.MAX_LENGTH
                            + " characters, a letter "
                            + "or digit, then letters, digits, '.', '_', ':' or '-'");
        }
        if (key.organizationId() != null && !key.organizationId().equals(given.asText())) {
            return Rejection.at(
                    ErrorCode.FORBIDDEN_ORGANIZATION,
                    "/" + OrganizationId.FIELD,
                    "write key '" + key.id()
                            + "' is bound to organization '" + key.organizationId() + "' and may not publish events of "
                            + "organization '" + given.asText() + "'");
        }
        return null;
    }

    private static Rejection invalid(List<FieldError> errors) {
        FieldError first = errors.get(0);
        return new Rejection(
                ErrorCode.INVALID_EVENT,
                "event does not match the canonical schema: " + first.pointer() + ": " + first.message()
                        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""),
                errors);
    }

    private Rejection checkTime(Instant eventTime, Instant receivedAt) {
        if (eventTime.isAfter(receivedAt.plus(limits.futureTolerance()))) {
            return Rejection.at(
                    ErrorCode.TIMESTAMP_OUT_OF_RANGE,
                    "/event_timestamp",
                    "event_timestamp " + eventTime + " is more than " + limits.futureTolerance()
                            + " ahead of the gateway's clock (" + receivedAt + ")");
        }
        if (eventTime.isBefore(receivedAt.minus(limits.maxAge()))) {
            return Rejection.at(
                    ErrorCode.TIMESTAMP_OUT_OF_RANGE,
                    "/event_timestamp",
                    "event_timestamp " + eventTime + " is older than the accepted age of " + limits.maxAge());
        }
        return null;
    }

    /** Depth-first walk: the first object or array nested too deep, or the first object with too many properties. */
    private Rejection checkStructure(JsonNode event) {
        StructureProblem p = findStructureProblem(event, 1);
        if (p == null) {
            return null;
        }
        String pointer = p.pointer();
        return p.properties < 0
                ? Rejection.at(
                        ErrorCode.TOO_DEEP, pointer, "nesting depth exceeds " + limits.maxDepth() + " at " + pointer)
                : Rejection.at(
                        ErrorCode.TOO_MANY_PROPERTIES,
                        pointer,
                        "object at " + pointer + " has " + p.properties + " properties; the limit is "
                                + limits.maxPropertiesPerObject());
    }

    /**
     * The walk itself builds no JSON pointers (it runs for every field of every event): the pointer of a problem is
     * assembled from its reference tokens on the way back up, only when there is one.
     */
    private StructureProblem findStructureProblem(JsonNode node, int depth) {
        if (!node.isContainerNode()) {
            return null;
        }
        if (depth > limits.maxDepth()) {
            return new StructureProblem(-1);
        }
        if (node.isObject()) {
            if (node.size() > limits.maxPropertiesPerObject()) {
                return new StructureProblem(node.size());
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode value = f.getValue();
                if (value.isContainerNode()) {
                    StructureProblem p = findStructureProblem(value, depth + 1);
                    if (p != null) {
                        p.tokens.addFirst(escape(f.getKey()));
                        return p;
                    }
                }
            }
        } else {
            for (int i = 0; i < node.size(); i++) {
                JsonNode value = node.get(i);
                if (value.isContainerNode()) {
                    StructureProblem p = findStructureProblem(value, depth + 1);
                    if (p != null) {
                        p.tokens.addFirst(Integer.toString(i));
                        return p;
                    }
                }
            }
        }
        return null;
    }

    /** A too-deep value ({@code properties} -1) or an object with too many properties, and where it is. */
    private static final class StructureProblem {
        final int properties;
        final Deque<String> tokens = new ArrayDeque<>();

        StructureProblem(int properties) {
            this.properties = properties;
        }

        String pointer() {
            return tokens.isEmpty() ? "/" : "/" + String.join("/", tokens);
        }
    }

    /** RFC 6901 escaping of one reference token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
