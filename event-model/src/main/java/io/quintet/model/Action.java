package io.quintet.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Set;

/**
 * The verb of the event. {@code name} follows Domain.Entity.Action (see {@link ActionName});
 * {@code type} is one of {@link #DEFAULT_TYPES} unless configuration extends the set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Action(
        @JsonProperty("name") String name,
        @JsonProperty("type") String type) {

    public static final Set<String> DEFAULT_TYPES =
            Set.of("create", "read", "update", "delete", "execute", "access", "communicate", "other");

    /** The parsed name; throws {@link InvalidActionNameException} when the name breaks the convention. */
    public ActionName parsedName() {
        return ActionName.parse(name);
    }
}
