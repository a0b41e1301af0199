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

    record Event(int index, ObjectNode tree, Destination destination) implements Candidate {
        @Override
        public String idHint() {
            return tree.path("id").isTextual() ? tree.get("id").asText() : null;
        }
    }

    record Rejected(int index, String idHint, Rejection rejection) implements Candidate {}
}
