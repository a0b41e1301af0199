package io.quintet.metrics.alerts;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;

/** One event as alert rules see it; the JSON tree for field pointers is built only when a rule needs it. */
final class EventView {
    private final CanonicalEvent event;
    private JsonNode tree;

    EventView(CanonicalEvent event) {
        this.event = event;
    }

    CanonicalEvent event() {
        return event;
    }

    /** The node at a JSON pointer into the canonical JSON form, or a missing node. */
    JsonNode at(JsonPointer pointer) {
        if (tree == null) {
            tree = CanonicalJson.toTree(event);
        }
        return tree.at(pointer);
    }
}
