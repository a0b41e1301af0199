package io.quintet.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** What the action was performed on, with a snapshot of its key attributes at event time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Entity(
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("details") Map<String, Object> details) {

    public Entity {
        details = Maps.immutableOrNull(details);
    }

    public static Entity of(String id, String type) {
        return new Entity(id, type, null);
    }

    public Entity withId(String newId) {
        return new Entity(newId, type, details);
    }

    public Entity withDetails(Map<String, Object> newDetails) {
        return new Entity(id, type, newDetails);
    }

    /** The CloudEvents {@code subject}: {@code type/id}, or whichever part is present. */
    public String subject() {
        if (type != null && id != null) {
            return type + "/" + id;
        }
        return id != null ? id : type;
    }
}
