package io.quintet.enricher.privacy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quintet.model.CanonicalEvent;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * An event on its way through pseudonymization: the raw actor key it must return to (for stamping and re-keying),
 * the event with everything already pseudonymized, and the references to other persons still to be resolved, each
 * in the task that owns that person's vault entry. Travels through the {@code pseudonymize-ref-N} and
 * {@code pseudonymize-return} repartition topics, which hold raw identifiers like {@code events.raw} does.
 */
public record PrivacyHop(
        @JsonProperty("actor_key") String actorKey,
        @JsonProperty("event") CanonicalEvent event,
        @JsonProperty("pending") List<Reference> pending) {

    public PrivacyHop {
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    /** A field (JSON pointer) holding the raw identifier of a person. */
    public record Reference(
            @JsonProperty("pointer") String pointer,
            @JsonProperty("subject") String subject) {}

    public String nextSubject() {
        return pending.isEmpty() ? null : pending.get(0).subject();
    }

    public static Serde<PrivacyHop> serde() {
        return VaultEntries.serde(PrivacyHop.class);
    }
}
