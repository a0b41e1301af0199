package io.quintet.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical event: "an actor performed an action on an entity, at a timestamp, with a context".
 * Immutable; the JSON form follows {@code canonical-event.schema.json} (see {@link CanonicalSchema}).
 * Unknown top-level fields are kept in {@link #extensions()} so that a newer producer's fields survive a
 * round trip through an older service.
 * <p>
 * {@code organizationId} is the tenant (seed 003's BaseEvent {@code organization_id}), optional: it identifies an
 * organisation, not a person, so it is not personal data and travels unchanged to events.canonical and downstream.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "id",
    "event_timestamp",
    "observed_timestamp",
    "source",
    "spec_version",
    "action",
    "actor",
    "entity",
    "context",
    "correlation_id",
    "causation_id",
    "organization_id"
})
public record CanonicalEvent(
        @JsonProperty("id") String id,
        @JsonProperty("event_timestamp") Instant eventTimestamp,
        @JsonProperty("observed_timestamp") Instant observedTimestamp,
        @JsonProperty("source") String source,
        @JsonProperty("spec_version") String specVersion,
        @JsonProperty("action") Action action,
        @JsonProperty("actor") Actor actor,
        @JsonProperty("entity") Entity entity,
        @JsonProperty("context") Context context,
        @JsonProperty("correlation_id") String correlationId,
        @JsonProperty("causation_id") String causationId,
        @JsonProperty("organization_id") String organizationId,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extensions) {

    /** The version of the canonical schema this code writes. */
    public static final String SPEC_VERSION = "2.0";

    public CanonicalEvent {
        extensions = Maps.immutable(extensions);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The context, never null (an empty context when the event has none). */
    public Context contextOrEmpty() {
        return context == null ? Context.EMPTY : context;
    }

    public CanonicalEvent withActor(Actor newActor) {
        return toBuilder().actor(newActor).build();
    }

    public CanonicalEvent withEntity(Entity newEntity) {
        return toBuilder().entity(newEntity).build();
    }

    public CanonicalEvent withContext(Context newContext) {
        return toBuilder().context(newContext).build();
    }

    public CanonicalEvent withOrganizationId(String organization) {
        return toBuilder().organizationId(organization).build();
    }

    public CanonicalEvent withObservedTimestamp(Instant observed) {
        return toBuilder().observedTimestamp(observed).build();
    }

    /** Mutable builder for the immutable event. */
    public static final class Builder {
        private String id;
        private Instant eventTimestamp;
        private Instant observedTimestamp;
        private String source;
        private String specVersion = SPEC_VERSION;
        private Action action;
        private Actor actor;
        private Entity entity;
        private Context context;
        private String correlationId;
        private String causationId;
        private String organizationId;
        private final Map<String, Object> extensions = new LinkedHashMap<>();

        private Builder() {}

        private Builder(CanonicalEvent e) {
            id = e.id;
            eventTimestamp = e.eventTimestamp;
            observedTimestamp = e.observedTimestamp;
            source = e.source;
            specVersion = e.specVersion;
            action = e.action;
            actor = e.actor;
            entity = e.entity;
            context = e.context;
            correlationId = e.correlationId;
            causationId = e.causationId;
            organizationId = e.organizationId;
            extensions.putAll(e.extensions);
        }

        public Builder id(String v) {
            id = v;
            return this;
        }

        public Builder eventTimestamp(Instant v) {
            eventTimestamp = v;
            return this;
        }

        public Builder observedTimestamp(Instant v) {
            observedTimestamp = v;
            return this;
        }

        public Builder source(String v) {
            source = v;
            return this;
        }

        public Builder specVersion(String v) {
            specVersion = v;
            return this;
        }

        public Builder action(Action v) {
            action = v;
            return this;
        }

        public Builder action(String name, String type) {
            action = new Action(name, type);
            return this;
        }

        public Builder actor(Actor v) {
            actor = v;
            return this;
        }

        public Builder entity(Entity v) {
            entity = v;
            return this;
        }

        public Builder context(Context v) {
            context = v;
            return this;
        }

        public Builder correlationId(String v) {
            correlationId = v;
            return this;
        }

        public Builder causationId(String v) {
            causationId = v;
            return this;
        }

        public Builder organizationId(String v) {
            organizationId = v;
            return this;
        }

        public Builder extension(String name, Object value) {
            extensions.put(Objects.requireNonNull(name), value);
            return this;
        }

        public CanonicalEvent build() {
            return new CanonicalEvent(
                    id,
                    eventTimestamp,
                    observedTimestamp,
                    source,
                    specVersion,
                    action,
                    actor,
                    entity,
                    context,
                    correlationId,
                    causationId,
                    organizationId,
                    extensions);
        }
    }
}
