package io.quintet.feeds.stream;

import io.quintet.model.CanonicalEvent;

/**
 * One record of events.canonical after decoding: the canonical event, or the original bytes and the typed reason
 * they could not be decoded (these go to the dead-letter topic unchanged). Only passed between processors of one
 * sub-topology, never serialized.
 */
public record Decoding(CanonicalEvent event, byte[] original, String failureReason) {

    static Decoding ok(CanonicalEvent event) {
        return new Decoding(event, null, null);
    }

    static Decoding failed(byte[] original, String reason) {
        return new Decoding(null, original, reason);
    }

    public boolean isFailure() {
        return failureReason != null;
    }
}
