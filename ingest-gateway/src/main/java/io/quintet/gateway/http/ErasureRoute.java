package io.quintet.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.Destination;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.GatewayException;
import io.quintet.gateway.ingest.ItemResult;
import io.quintet.gateway.ingest.RequestMeta;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/subjects/{subjectId}/erasure}: a right-to-be-forgotten request, allowed only to write keys listed
 * in {@code auth.erasure.keys}. Written to {@code erasure.requests}, keyed by subject id, as a canonical event
 * {@code privacy.subject.erasure_requested} (actor = the requesting key, entity = the subject) so the privacy
 * service reads it with the same CloudEvents serde as everything else. Optional body: {@code {"reason": "..."}}.
 * Answers 202 with the request id once Kafka acknowledged it.
 */
final class ErasureRoute extends IngestRoute {
    static final String PATH = "/v1/subjects/:subjectId/erasure";
    static final String ACTION = "privacy.subject.erasure_requested";
    static final int MAX_SUBJECT_ID = 512;

    ErasureRoute(GatewayServices services) {
        super(services, "/v1/subjects/{subjectId}/erasure");
    }

    @Override
    protected CompletableFuture<HttpReply> process(RoutingContext rc, RequestMeta meta) {
        WriteKey key = authenticate(rc);
        if (!key.mayErase()) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "write key '" + key.id() + "' may not request erasures");
        }
        String subjectId = rc.pathParam("subjectId");
        if (subjectId == null || subjectId.isBlank() || subjectId.length() > MAX_SUBJECT_ID) {
            throw new GatewayException(
                    ErrorCode.INVALID_EVENT, "the subject id must be 1 to " + MAX_SUBJECT_ID + " characters");
        }
        String source = key.primarySource()
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.FORBIDDEN,
                        "write key '" + key.id()
                                + "' has no concrete source (only wildcards) to stamp on erasure requests"));
        String reason = reason(rc.body().buffer());
        requireKafka();

        String requestId = UUID.randomUUID().toString();
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("id", requestId);
        event.put("event_timestamp", meta.receivedAt().toString());
        event.put("source", source);
        event.put("spec_version", CanonicalEvent.SPEC_VERSION);
        event.putObject("action").put("name", ACTION).put("type", "delete");
        event.putObject("actor").put("id", key.id()).put("type", Actor.SERVICE);
        event.putObject("entity").put("id", subjectId).put("type", "subject");
        ObjectNode attributes = event.putObject("context").putObject("attributes");
        attributes.put("erasure.requested_by", key.id());
        if (reason != null) {
            attributes.put("erasure.reason", reason);
        }
        rateLimit(key, 1);
        return publish(rc, List.of(new Candidate.Event(0, event, Destination.ERASURE)), key, meta)
                .thenApply(outcome -> {
                    ItemResult r = outcome.results().get(0);
                    if (!r.accepted()) {
                        throw new GatewayException(
                                r.rejection(), r.rejection().code().retriable() ? 5 : 0, null);
                    }
                    services.telemetry().record("/v1/subjects/{subjectId}/erasure", outcome);
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.put("request_id", requestId);
                    body.put("subject_id", subjectId);
                    body.put("status", "accepted");
                    return HttpReply.of(202, body);
                });
    }

    private String reason(Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        JsonNode node = services.canonicalDecoder().parseBody(body.getBytes());
        JsonNode reason = node.get("reason");
        if (!node.isObject() || (reason != null && !reason.isTextual() && !reason.isNull())) {
            throw new GatewayException(ErrorCode.INVALID_EVENT, "the body must be {\"reason\": \"...\"} or empty");
        }
        return reason == null || reason.isNull() ? null : reason.asText();
    }
}
