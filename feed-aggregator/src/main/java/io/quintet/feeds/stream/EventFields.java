package io.quintet.feeds.stream;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;

/**
 * One event as rules see it through JSON pointers into its canonical JSON form. The pointers rules use most
 * ({@code /entity/id}, {@code /entity/type}, {@code /entity/details/<text field>}, {@code /actor/id},
 * {@code /action/name}, {@code /source}) are read from the record; any other pointer builds the JSON tree once per
 * event, so a rule over any field keeps working and the common ones cost no tree.
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
                default -> null;
            };
        }
        if (head.equals("entity")
                && second.equals("details")
                && last.tail() != null
                && last.tail().matches()
                && last.getMatchingProperty() != null) {
            if (event.entity() == null || event.entity().details() == null) {
                return MissingNode.getInstance();
            }
            Object v = event.entity().details().get(last.getMatchingProperty());
            return v == null ? MissingNode.getInstance() : v instanceof String s ? TextNode.valueOf(s) : null;
        }
        return null;
    }

    private static JsonNode text(String s) {
        return s == null ? MissingNode.getInstance() : TextNode.valueOf(s);
    }
}
