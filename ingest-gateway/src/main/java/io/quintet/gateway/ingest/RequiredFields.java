package io.quintet.gateway.ingest;

import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The part of the canonical contract the gateway always enforces, without the JSON Schema: the required fields and
 * the closed enumerations that routing downstream depends on. Cheap enough for every event; the full schema check
 * ({@code validation.schema.enabled}) adds formats and nested types on top.
 */
final class RequiredFields {
    private static final Set<String> ACTOR_TYPES = Set.of(Actor.USER, Actor.SERVICE, Actor.ANONYMOUS, Actor.SYSTEM);

    private RequiredFields() {}

    /** Every missing or malformed required field, with its pointer; empty when all are there. */
    static List<FieldError> check(CanonicalEvent e) {
        List<FieldError> errors = new ArrayList<>();
        if (e.id() == null || !isUuid(e.id())) {
            errors.add(new FieldError("/id", "id must be a UUID"));
        }
        if (e.eventTimestamp() == null) {
            errors.add(new FieldError("/event_timestamp", "event_timestamp is required (RFC 3339 date-time)"));
        }
        if (e.source() == null || e.source().isEmpty()) {
            errors.add(new FieldError("/source", "source is required"));
        }
        if (e.action() == null) {
            errors.add(new FieldError("/action", "action is required"));
        } else {
            if (e.action().name() == null) {
                errors.add(new FieldError("/action/name", "action.name is required"));
            }
            if (e.action().type() == null
                    || !Action.DEFAULT_TYPES.contains(e.action().type())) {
                errors.add(new FieldError(
                        "/action/type", "action.type must be one of " + new java.util.TreeSet<>(Action.DEFAULT_TYPES)));
            }
        }
        if (e.actor() == null) {
            errors.add(new FieldError("/actor", "actor is required"));
        } else {
            if (e.actor().id() == null || e.actor().id().isEmpty()) {
                errors.add(new FieldError("/actor/id", "actor.id is required"));
            }
            if (e.actor().type() != null && !ACTOR_TYPES.contains(e.actor().type())) {
                errors.add(new FieldError(
                        "/actor/type", "actor.type must be one of " + new java.util.TreeSet<>(ACTOR_TYPES)));
            }
        }
        return errors;
    }

    private static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
