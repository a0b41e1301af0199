package io.quintet.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Who performed the action. {@code id} is personal data for user actors: on events.canonical it holds the
 * subject's pseudonym (see the privacy rules in ARCHITECTURE.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Actor(
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("pseudonym") String pseudonym,
        @JsonProperty("details") Map<String, Object> details) {

    public static final String USER = "user";
    public static final String SERVICE = "service";
    public static final String ANONYMOUS = "anonymous";
    public static final String SYSTEM = "system";

    public Actor {
        details = Maps.immutableOrNull(details);
    }

    public static Actor of(String id, String type) {
        return new Actor(id, type, null, null);
    }

    public Actor withId(String newId) {
        return new Actor(newId, type, pseudonym, details);
    }

    public Actor withPseudonym(String newPseudonym) {
        return new Actor(id, type, newPseudonym, details);
    }

    public Actor withDetails(Map<String, Object> newDetails) {
        return new Actor(id, type, pseudonym, newDetails);
    }
}
