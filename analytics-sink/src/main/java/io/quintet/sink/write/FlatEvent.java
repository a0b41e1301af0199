package io.quintet.sink.write;

import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import java.time.Instant;

/**
 * The values of one canonical event that the events table stores, already flat: strings, instants, a double, and
 * the free-form maps as their JSON text ({@link EventRowMapper#json}). {@link EventRowMapper} turns it into a row.
 * Two things make one: {@link #of(CanonicalEvent)} from the domain object (the reference), and {@link CanonicalRowReader}
 * straight from the canonical JSON bytes on the topic (the sink's hot path, no domain object in between);
 * {@code CanonicalRowReaderTest} checks that both give equal values. The client IP address has no field here: it is
 * never written. Mutable, filled once by its maker, then only read.
 */
final class FlatEvent {
    String id;
    Instant eventTimestamp;
    Instant observedTimestamp;
    String source;
    String specVersion;
    String actionName;
    String actionType;
    String actorId;
    String actorType;
    String actorPseudonym;
    String actorDetails;
    String entityId;
    String entityType;
    String entityDetails;
    String status;
    String errorCode;
    String errorMessage;
    String traceId;
    String spanId;
    Double durationMs;
    String clientUserAgent;
    String clientSessionId;
    String correlationId;
    String causationId;
    String organizationId;
    String attributes;
    String properties;
    String userStateSnapshot;
    String auditRequest;
    String auditResponse;
    String extensions;

    /** The flat values of a domain event (maps as JSON text, empty maps as null). */
    static FlatEvent of(CanonicalEvent e) {
        FlatEvent f = new FlatEvent();
        f.id = e.id();
        f.eventTimestamp = e.eventTimestamp();
        f.observedTimestamp = e.observedTimestamp();
        f.source = e.source();
        f.specVersion = e.specVersion();
        if (e.action() != null) {
            f.actionName = e.action().name();
            f.actionType = e.action().type();
        }
        Actor a = e.actor();
        if (a != null) {
            f.actorId = a.id();
            f.actorType = a.type();
            f.actorPseudonym = a.pseudonym();
            f.actorDetails = EventRowMapper.json(a.details());
        }
        Entity en = e.entity();
        if (en != null) {
            f.entityId = en.id();
            f.entityType = en.type();
            f.entityDetails = EventRowMapper.json(en.details());
        }
        Context c = e.contextOrEmpty();
        f.status = c.status() == null ? null : c.status().name();
        if (c.error() != null) {
            f.errorCode = c.error().code();
            f.errorMessage = c.error().message();
        }
        if (c.telemetry() != null) {
            f.traceId = c.telemetry().traceId();
            f.spanId = c.telemetry().spanId();
            f.durationMs = c.telemetry().durationMs();
        }
        if (c.client() != null) {
            f.clientUserAgent = c.client().userAgent();
            f.clientSessionId = c.client().sessionId();
        }
        f.correlationId = e.correlationId();
        f.causationId = e.causationId();
        f.organizationId = e.organizationId();
        f.attributes = EventRowMapper.json(c.attributes());
        Context.DomainSpecific d = c.domainSpecific();
        if (d != null && d.analytics() != null) {
            f.properties = EventRowMapper.json(d.analytics().properties());
            f.userStateSnapshot = EventRowMapper.json(d.analytics().userStateSnapshot());
        }
        if (d != null && d.audit() != null) {
            f.auditRequest = EventRowMapper.json(d.audit().request());
            f.auditResponse = EventRowMapper.json(d.audit().response());
        }
        f.extensions = EventRowMapper.json(e.extensions());
        return f;
    }
}
