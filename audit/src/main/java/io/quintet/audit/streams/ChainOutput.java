package io.quintet.audit.streams;

import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.model.CanonicalEvent;

/** What {@link ChainingProcessor} forwards: chained events, closed checkpoints, and events that cannot be chained. */
public sealed interface ChainOutput {

    /**
     * An event with its chain link and the JSON data that was hashed (written as the CloudEvent's data as it is; null:
     * the serializer writes it); written with {@link ChainedEventSerde} and {@link ChainPartitioner}.
     */
    record Event(CanonicalEvent event, ChainLink link, byte[] data) implements ChainOutput {
        public Event(CanonicalEvent event, ChainLink link) {
            this(event, link, null);
        }
    }

    /** A checkpoint to publish on {@code audit.checkpoints} (key {@code <log>/<partition>}, value its JSON). */
    record Checkpoint(SignedCheckpoint checkpoint) implements ChainOutput {
        public String json() {
            return checkpoint.toJson();
        }
    }

    /** An event with no canonical byte form (a string with a lone surrogate): route it to the dead-letter topic. */
    record Unchainable(CanonicalEvent event, String reason) implements ChainOutput {}
}
