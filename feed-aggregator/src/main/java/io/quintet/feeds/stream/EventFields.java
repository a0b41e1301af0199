package io.quintet.feeds.stream;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.json.CanonicalJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * One event as rules see it through JSON pointers into its canonical JSON form. The pointers rules use most
 * ({@code /entity/id}, {@code /entity/type}, {@code /actor/id}, {@code /action/name}, {@code /source},
 * {@code /context/status}, and a scalar member of {@code /entity/details}, {@code /actor/details},
 * {@code /context/attributes} or the analytics {@code properties} / {@code user_state_snapshot}) are read from the
 * record; any other pointer builds the JSON tree once per event, so a rule over any field keeps working and the common
 * ones cost no tree (the shipped ai-cost-spike rule's filter and sum built one for every AI event).
 */
public final class EventFields {
    private final CanonicalEvent event;
    private JsonNode tree;

    public EventFields(CanonicalEvent event) {
        this.event = event;
    }

    public CanonicalEvent event() {
        return event;
    }

    /** The node at the pointer, or a missing node. */
    public JsonNode at(JsonPointer pointer) {
        JsonNode direct = direct(pointer);
        if (direct != null) {
            return direct;
        }
        if (tree == null) {
            tree = CanonicalJson.toTree(event);
        }
        return tree.at(pointer);
    }

    /** The node read from the record, or null when the pointer is not one of the direct ones (or the value is not text). */
    private JsonNode direct(JsonPointer p) {
        String head = p.getMatchingProperty();
        JsonPointer rest = p.tail();
        if (head == null || rest == null) {
            return null;
        }
        if (rest.matches()) {
            return head.equals("source") ? text(event.source()) : null;
        }
        String second = rest.getMatchingProperty();
        JsonPointer last = rest.tail();
        if (second == null || last == null) {
            return null;
        }
        if (last.matches()) {
            return switch (head) {
                case "entity" ->
                    event.entity() == null
                            ? MissingNode.getInstance()
                            : second.equals("id")
                                    ? text(event.entity().id())
                                    : second.equals("type")
                                            ? text(event.entity().type())
                                            : null;
                case "actor" ->
                    second.equals("id")
                            ? (event.actor() == null
                                    ? MissingNode.getInstance()
                                    : text(event.actor().id()))
                            : null;
                case "action" ->
                    second.equals("name")
                            ? (event.action() == null
                                    ? MissingNode.getInstance()
                                    : text(event.action().name()))
                            : null;
                case "context" ->
                    second.equals("status")
                            ? (event.context() == null || event.context().status() == null
                                    ? MissingNode.getInstance()
                                    : TextNode.valueOf(event.context().status().name()))
                            : null;
                default -> null;
            };
        }
        String third = last.getMatchingProperty();
        JsonPointer end = last.tail();
        if (third == null || end == null) {
            return null;
        }
        if (end.matches()) {
            // /entity/details/<name>, /actor/details/<name>, /context/attributes/<name>
            return switch (head) {
                case "entity" ->
                    second.equals("details")
                            ? (event.entity() == null
                                    ? MissingNode.getInstance()
                                    : member(event.entity().details(), third))
                            : null;
                case "actor" ->
                    second.equals("details")
                            ? (event.actor() == null
                                    ? MissingNode.getInstance()
                                    : member(event.actor().details(), third))
                            : null;
                case "context" ->
                    second.equals("attributes")
                            ? (event.context() == null
                                    ? MissingNode.getInstance()
                                    : member(event.context().attributes(), third))
                            : null;
                default -> null;
            };
        }
        // /context/domain_specific/analytics/{properties,user_state_snapshot}/<name>
        String fourth = end.getMatchingProperty();
        JsonPointer afterFourth = end.tail();
        if (!head.equals("context")
                || !second.equals("domain_specific")
                || !third.equals("analytics")
                || fourth == null
                || afterFourth == null
                || afterFourth.getMatchingProperty() == null
                || afterFourth.tail() == null
                || !afterFourth.tail().matches()) {
            return null;
        }
        Context c = event.context();
        Context.Analytics analytics = c == null || c.domainSpecific() == null
                ? null
                : c.domainSpecific().analytics();
        return switch (fourth) {
            case "properties" ->
                analytics == null
                        ? MissingNode.getInstance()
                        : member(analytics.properties(), afterFourth.getMatchingProperty());
            case "user_state_snapshot" ->
                analytics == null
                        ? MissingNode.getInstance()
                        : member(analytics.userStateSnapshot(), afterFourth.getMatchingProperty());
            default -> null;
        };
    }

    /**
     * A member of one of the record's free-form maps as the tree would hold it, for the scalar types the canonical
     * reader produces (text, booleans, integers, exact decimals); null (build the tree) for anything else.
     */
    private static JsonNode member(Map<String, Object> map, String name) {
        if (map == null || !map.containsKey(name)) {
            return MissingNode.getInstance();
        }
        Object v = map.get(name);
        if (v == null) {
            return NullNode.getInstance();
        } else if (v instanceof String s) {
            return TextNode.valueOf(s);
        } else if (v instanceof Boolean b) {
            return BooleanNode.valueOf(b);
        } else if (v instanceof Integer i) {
            return IntNode.valueOf(i);
        } else if (v instanceof Long l) {
            return LongNode.valueOf(l);
        } else if (v instanceof BigInteger b) {
            return BigIntegerNode.valueOf(b);
        } else if (v instanceof BigDecimal d) {
            return DecimalNode.valueOf(d);
        }
        return null;
    }

    private static JsonNode text(String s) {
        return s == null ? MissingNode.getInstance() : TextNode.valueOf(s);
    }
}
