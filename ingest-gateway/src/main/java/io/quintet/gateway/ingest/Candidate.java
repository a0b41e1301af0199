package io.quintet.gateway.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One item of a request after decoding: either an event tree (canonical JSON, not yet validated) bound for a
 * destination, or the reason decoding it already failed. {@code index} is the item's position in the request.
 */
public sealed interface Candidate {

    int index();

    /** The id the item claims, for the per-item result; null when unknown. */
    String idHint();

    /**
     * @param sourceBytes the item's size as it arrived (-1 when unknown): lets the size limit be checked without
     *                    serializing the event again
     */
    record Event(int index, ObjectNode tree, Destination destination, int sourceBytes) implements Candidate {
        public Event(int index, ObjectNode tree, Destination destination) {
            this(index, tree, destination, -1);
        }

        @Override
        public String idHint() {
            return tree.path("id").isTextual() ? tree.get("id").asText() : null;
        }
    }

    record Rejected(int index, String idHint, Rejection rejection) implements Candidate {
    }
}
